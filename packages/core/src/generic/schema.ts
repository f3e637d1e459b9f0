import { z } from 'zod';
import { PRECISIONS, precisionBits } from '../precision.js';

const TENSOR_SLOTS = ['weights', 'inputs', 'outputs'] as const;

// Physical ranges: beyond them a spec is a typo, and counts derived from it would overflow.
const positive = z.number().min(1e-6).max(1e9);
const count = z.number().int().positive().max(2 ** 40);
const fanout = z.number().int().positive().max(65536);
const energyPj = z.number().nonnegative().max(1e6);

/** Either a number or "unbounded". */
const bandwidth = z.union([positive, z.literal('unbounded')]);

export const levelSchema = z
  .object({
    name: z.string().min(1),
    /** Words per instance shared by the operands it keeps; "unbounded" for DRAM. */
    capacityWords: z.union([count, z.literal('unbounded')]).optional(),
    /** Per-operand partitions in words (instead of a shared capacity). */
    partitionWords: z.object({ weights: z.number().int().nonnegative().max(2 ** 40), inputs: z.number().int().nonnegative().max(2 ** 40), outputs: z.number().int().nonnegative().max(2 ** 40) }).optional(),
    holds: z.array(z.enum(TENSOR_SLOTS)).min(1).default(['weights', 'inputs', 'outputs']),
    fanout: z.object({ x: fanout, y: fanout }).default({ x: 1, y: 1 }),
    /** Words per cycle per instance: one number for a shared port, or read/write. */
    bandwidthWordsPerCycle: z.union([bandwidth, z.object({ read: bandwidth, write: bandwidth })]).default('unbounded'),
    readEnergyPj: energyPj,
    writeEnergyPj: energyPj.optional(),
    networkEnergyPj: energyPj.default(0),
    doubleBuffered: z.boolean().default(true),
    leakageMw: z.number().nonnegative().max(1e6).default(0),
  })
  .refine((l) => l.capacityWords !== undefined || l.partitionWords !== undefined, {
    message: 'give capacityWords (shared) or partitionWords (per operand)',
    path: ['capacityWords'],
  });

/**
 * A fully user-described accelerator, like Timeloop's architecture spec: memory levels innermost first (the first
 * level's fanout reaches the MACs), the last level is the backing store.
 */
export const genericSchema = z.object({
  name: z.string().default('generic'),
  clockMHz: z.number().min(1e-6).max(1e5),
  wordBits: z.union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)]).default(16),
  /** The datapath's number format (the default tensor precision); default from `wordBits` (int up to 16, fp32). */
  precision: z.enum(PRECISIONS).optional(),
  macEnergyPj: energyPj,
  aluEnergyPj: energyPj.default(0.1),
  vectorOpsPerCycle: z.number().int().positive().max(2 ** 24).optional(),
  areaMm2: positive.optional(),
  levels: z.array(levelSchema).min(1, 'at least the backing store (one level holding every operand)'),
}).refine((s) => s.precision === undefined || precisionBits(s.precision) === s.wordBits, {
  message: 'the precision must be as wide as wordBits',
  path: ['precision'],
});

export type GenericSpec = z.infer<typeof genericSchema>;
export type GenericSpecInput = z.input<typeof genericSchema>;

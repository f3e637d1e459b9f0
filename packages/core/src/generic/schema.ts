import { z } from 'zod';

const TENSOR_SLOTS = ['weights', 'inputs', 'outputs'] as const;

const positive = z.number().positive();
const count = z.number().int().positive();

/** Either a number or "unbounded". */
const bandwidth = z.union([positive, z.literal('unbounded')]);

export const levelSchema = z
  .object({
    name: z.string().min(1),
    /** Words per instance shared by the operands it keeps; "unbounded" for DRAM. */
    capacityWords: z.union([count, z.literal('unbounded')]).optional(),
    /** Per-operand partitions in words (instead of a shared capacity). */
    partitionWords: z.object({ weights: z.number().int().nonnegative(), inputs: z.number().int().nonnegative(), outputs: z.number().int().nonnegative() }).optional(),
    holds: z.array(z.enum(TENSOR_SLOTS)).min(1).default(['weights', 'inputs', 'outputs']),
    fanout: z.object({ x: count, y: count }).default({ x: 1, y: 1 }),
    /** Words per cycle per instance: one number for a shared port, or read/write. */
    bandwidthWordsPerCycle: z.union([bandwidth, z.object({ read: bandwidth, write: bandwidth })]).default('unbounded'),
    readEnergyPj: z.number().nonnegative(),
    writeEnergyPj: z.number().nonnegative().optional(),
    networkEnergyPj: z.number().nonnegative().default(0),
    doubleBuffered: z.boolean().default(true),
    leakageMw: z.number().nonnegative().default(0),
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
  clockMHz: positive,
  wordBits: z.union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)]).default(16),
  macEnergyPj: z.number().nonnegative(),
  aluEnergyPj: z.number().nonnegative().default(0.1),
  vectorOpsPerCycle: count.optional(),
  areaMm2: positive.optional(),
  levels: z.array(levelSchema).min(2, 'at least one on-chip level and the backing store'),
});

export type GenericSpec = z.infer<typeof genericSchema>;
export type GenericSpecInput = z.input<typeof genericSchema>;

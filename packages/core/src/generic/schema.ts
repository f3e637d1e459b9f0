import { z } from 'zod';
import { depthFirstSpecSchema, epilogueSpecSchema } from '../epilogue.js';
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
    name: z.string().min(1).describe('Name of the level in reports and --set paths (rf, glb, dram, …).'),
    capacityWords: z
      .union([count, z.literal('unbounded')])
      .optional()
      .describe('Words per instance, shared by the operands the level keeps; "unbounded" only for the last level (the backing store).'),
    partitionWords: z
      .object({
        weights: z.number().int().nonnegative().max(2 ** 40).describe('Words reserved for weights.'),
        inputs: z.number().int().nonnegative().max(2 ** 40).describe('Words reserved for inputs.'),
        outputs: z.number().int().nonnegative().max(2 ** 40).describe('Words reserved for outputs (partial sums).'),
      })
      .optional()
      .describe('Per-operand partitions in words, instead of one shared capacityWords.'),
    holds: z
      .array(z.enum(TENSOR_SLOTS))
      .min(1)
      .default(['weights', 'inputs', 'outputs'])
      .describe('Operands the level can keep (the others bypass it); the last level must hold all three.'),
    bypassable: z
      .boolean()
      .default(true)
      .describe(
        'Whether an operand the level holds may skip it (a mapping\'s bypass). false: the hardware has no path around the level, so every operand in holds passes through it (as in ZigZag\'s memory hierarchies).',
      ),
    fanout: z
      .object({ x: fanout.describe('Children along x.'), y: fanout.describe('Children along y.') })
      .default({ x: 1, y: 1 })
      .describe('Instances of the level below (or MAC units, for the first level) this level feeds: x × y; the spatial unroll of a mapping uses it.'),
    bandwidthWordsPerCycle: z
      .union([bandwidth, z.object({ read: bandwidth.describe('Read words per cycle.'), write: bandwidth.describe('Write words per cycle.') })])
      .default('unbounded')
      .describe('Words per cycle per instance: one number for a port shared by reads and writes, {read, write} for two ports, or "unbounded".'),
    readEnergyPj: energyPj.describe('Energy of one word read, pJ.'),
    writeEnergyPj: energyPj.optional().describe('Energy of one word written, pJ (default: readEnergyPj).'),
    networkEnergyPj: energyPj.default(0).describe('Energy of moving one word from this level to one child over the array network, pJ.'),
    doubleBuffered: z.boolean().default(true).describe('Transfers into the level overlap compute (true, every tile takes twice its size) or stall it (false).'),
    leakageMw: z.number().nonnegative().max(1e6).default(0).describe('Static power of one instance, mW (charged for the whole run time).'),
  })
  .refine((l) => l.capacityWords !== undefined || l.partitionWords !== undefined, {
    message: 'give capacityWords (shared) or partitionWords (per operand)',
    path: ['capacityWords'],
  });

/**
 * A fully user-described accelerator, like Timeloop's architecture spec: memory levels innermost first (the first
 * level's fanout reaches the MACs), the last level is the backing store.
 */
export const genericSchema = z
  .object({
    name: z.string().default('generic').describe('Name of the architecture in reports.'),
    clockMHz: z.number().min(1e-6).max(1e5).describe('Clock frequency, MHz: cycles become seconds at this rate.'),
    wordBits: z
      .union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)], { message: 'expected 4, 8, 16 or 32 (bits)' })
      .default(16)
      .describe('Width of a word, bits: capacities, bandwidths and energies are per word of this width.'),
    precision: z
      .enum(PRECISIONS)
      .optional()
      .describe("The datapath's number format, the default tensor precision (default: int up to 16 bits, fp32 for 32); as wide as wordBits."),
    psumBits: z
      .union([z.literal(8), z.literal(16), z.literal(24), z.literal(32)], { message: 'expected 8, 16, 24 or 32 (bits)' })
      .optional()
      .describe(
        'Width of a partial sum, bits: the accumulator width outputs have until their reduction ends (an 8-bit datapath accumulates at 16 or 32). Default: as wide as the output.',
      ),
    macEnergyPj: energyPj.describe('Energy of one multiply-accumulate, pJ.'),
    aluEnergyPj: energyPj.default(0.1).describe('Energy of one non-MAC operation (pooling, ReLU, softmax, the optimizer update), pJ.'),
    vectorOpsPerCycle: z
      .number()
      .int()
      .positive()
      .max(2 ** 24)
      .optional()
      .describe('Non-MAC operations per cycle (default: one per MAC unit).'),
    areaMm2: positive.optional().describe('Silicon area, mm² (for the throughput-per-area goal and area constraints).'),
    epilogue: epilogueSpecSchema.optional(),
    depthFirst: depthFirstSpecSchema.default(true),
    levels: z
      .array(levelSchema)
      .min(1, 'at least the backing store (one level holding every operand)')
      .describe('Memory levels, innermost first: the first level sits in each PE, its fanout reaches the MACs; the last is the backing store (DRAM).'),
  })
  .refine((s) => s.precision === undefined || precisionBits(s.precision) === s.wordBits, {
    message: 'the precision must be as wide as wordBits',
    path: ['precision'],
  });

export type GenericSpec = z.infer<typeof genericSchema>;
export type GenericSpecInput = z.input<typeof genericSchema>;

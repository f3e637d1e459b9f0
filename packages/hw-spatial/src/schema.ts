import { z } from 'zod';

// Physical ranges (the .max bounds): beyond them a spec is a typo, and counts derived from it would overflow.

const positive = z.number().min(1e-6).max(1e9);
const count = z.number().int().positive().max(2 ** 40);
const words = z.number().int().nonnegative().max(2 ** 40);
const leakage = z.number().nonnegative().max(1e9).default(0);

/**
 * Access energies, either absolute (pJ per word) or relative to one MAC (`macPj` × factor), the way the Eyeriss
 * papers state them. `relative` wins when both are given.
 */
const energySchema = z.object({
  /** Energy of one MAC of `wordBits`-wide operands, pJ. */
  macPj: positive,
  /** Per-word access energies as multiples of `macPj` (ISCA 2016 style). */
  relative: z
    .object({
      rf: z.number().nonnegative().max(1e9),
      noc: z.number().nonnegative().max(1e9),
      glb: z.number().nonnegative().max(1e9),
      dram: z.number().nonnegative().max(1e9),
    })
    .optional(),
  /** Per-word access energies in pJ (used when `relative` is absent). */
  absolutePj: z
    .object({
      rf: z.number().nonnegative().max(1e9),
      noc: z.number().nonnegative().max(1e9),
      glb: z.number().nonnegative().max(1e9),
      dram: z.number().nonnegative().max(1e9),
    })
    .optional(),
  /** Energy of one non-MAC ALU op (pooling, ReLU), pJ. */
  aluPj: z.number().nonnegative().max(1e9).default(0.2),
});

const bandwidth = z.union([positive, z.literal('unbounded')]);

/**
 * The `spatial` template: an Eyeriss-like PE array with per-PE register files per operand, a banked global buffer,
 * a NoC from the buffer to the PEs, and a DRAM link.
 */
export const spatialSchema = z
  .object({
    name: z.string().default('spatial'),
    clockMHz: positive,
    wordBits: z.union([z.literal(8), z.literal(16), z.literal(32)]).default(16),
    array: z.object({ rows: count, cols: count }),
    /** Register files (scratchpads) in each PE, words per operand; 0 = the PE has none for that operand. */
    rf: z.object({
      weightsWords: words,
      inputsWords: words,
      outputsWords: words,
      /**
       * The MAC reads operands only from the register files (Eyeriss: the NoC delivers into the scratchpads), so an
       * operand a mapping does not keep there still costs a write and a read per use. False: a bypass path exists.
       */
      macReadsRfOnly: z.boolean().default(true),
      leakageMw: leakage,
    }),
    glb: z.object({
      /** Dedicated filter buffer, KB (0 = filters go from DRAM straight to the PEs). */
      weightsKB: z.number().nonnegative().max(1e9),
      /** Banks shared by input and partial-sum tiles (each bank wholly one or the other). */
      banks: count,
      bankKB: positive,
      /** Words per cycle from the buffer to the array and back (one number = shared port). */
      readWordsPerCycle: bandwidth.default('unbounded'),
      writeWordsPerCycle: bandwidth.default('unbounded'),
      /** True: transfers overlap compute and every tile takes twice its size. */
      doubleBuffered: z.boolean().default(false),
      leakageMw: leakage,
    }),
    noc: z
      .object({
        /** Multicast: one buffer read reaches every PE that needs the word. Unicast: one transfer per PE. */
        mode: z.enum(['multicast', 'unicast']).default('multicast'),
        /** `per-transfer`: the noc energy is per word delivered; `per-hop`: per word per router hop. */
        energyModel: z.enum(['per-transfer', 'per-hop']).default('per-transfer'),
        /**
         * `send`: a multicast word costs one transfer however many PEs take it; `receiver`: every PE that takes a word
         * costs one (the ISCA 2016 accounting: array-level accesses = buffer reads × PEs reached).
         */
        chargePer: z.enum(['send', 'receiver']).default('send'),
      })
      .default({ mode: 'multicast', energyModel: 'per-transfer', chargePer: 'send' }),
    dram: z.object({
      /** Link width and clock (words per core cycle = busBits / wordBits × busMHz / clockMHz), or words per cycle. */
      busBits: count.optional(),
      busMHz: positive.optional(),
      wordsPerCycle: positive.optional(),
      /** False: the chip waits for DRAM transfers (they add to the compute time). */
      overlapCompute: z.boolean().default(true),
    }),
    energy: energySchema,
    /** Run-length coding of feature maps on the DRAM link (Eyeriss: 5-bit run, 16-bit level, 3 pairs per 64 bits). */
    dramRlc: z.object({ runBits: count, levelBits: count, codeWordBits: count }).optional(),
    /** Skip the MAC and the filter read on zero input values (energy only). */
    zeroGating: z.boolean().default(false),
    areaMm2: positive.optional(),
  })
  .refine((s) => s.energy.relative !== undefined || s.energy.absolutePj !== undefined, {
    message: 'give energy.relative (multiples of macPj) or energy.absolutePj',
    path: ['energy'],
  })
  .refine((s) => s.dram.wordsPerCycle !== undefined || (s.dram.busBits !== undefined && s.dram.busMHz !== undefined), {
    message: 'give dram.wordsPerCycle, or dram.busBits and dram.busMHz',
    path: ['dram'],
  });

export type SpatialSpec = z.infer<typeof spatialSchema>;
export type SpatialSpecInput = z.input<typeof spatialSchema>;

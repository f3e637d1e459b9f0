import { depthFirstSpecSchema, epilogueSpecSchema } from '@trim-dse/core';
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
const factor = z.number().nonnegative().max(1e9);
const energySchema = z
  .object({
    /** Energy of one MAC of `wordBits`-wide operands, pJ. */
    macPj: positive.describe('Energy of one MAC of wordBits-wide operands, pJ.'),
    /** Per-word access energies as multiples of `macPj` (ISCA 2016 style). */
    relative: z
      .object({
        rf: factor.describe('Register-file access, × macPj.'),
        noc: factor.describe('Moving one word over the NoC, × macPj.'),
        glb: factor.describe('Global-buffer access, × macPj.'),
        dram: factor.describe('DRAM access, × macPj.'),
      })
      .optional()
      .describe('Per-word access energies as multiples of macPj (Eyeriss ISCA 2016 style); wins over absolutePj.'),
    /** Per-word access energies in pJ (used when `relative` is absent). */
    absolutePj: z
      .object({
        rf: factor.describe('Register-file access, pJ per word.'),
        noc: factor.describe('Moving one word over the NoC, pJ.'),
        glb: factor.describe('Global-buffer access, pJ per word.'),
        dram: factor.describe('DRAM access, pJ per word.'),
      })
      .optional()
      .describe('Per-word access energies in pJ (used when relative is absent).'),
    /** Energy of one non-MAC ALU op (pooling, ReLU), pJ. */
    aluPj: z.number().nonnegative().max(1e9).default(0.2).describe('Energy of one non-MAC operation (pooling, ReLU), pJ.'),
  })
  .describe('Access energies: relative to one MAC, or absolute.');

const bandwidth = z.union([positive, z.literal('unbounded')]);

/**
 * The `spatial` template: an Eyeriss-like PE array with per-PE register files per operand, a banked global buffer,
 * a NoC from the buffer to the PEs, and a DRAM link.
 */
export const spatialSchema = z
  .object({
    name: z.string().default('spatial').describe('Name of the architecture in reports.'),
    clockMHz: positive.describe('Clock frequency, MHz.'),
    wordBits: z
      .union([z.literal(8), z.literal(16), z.literal(32)])
      .default(16)
      .describe('Width of a word, bits: the native tensor precision and the unit of register files and bandwidths.'),
    array: z.object({ rows: count.describe('PE rows.'), cols: count.describe('PE columns.') }).describe('The PE array.'),
    /** Register files (scratchpads) in each PE, words per operand; 0 = the PE has none for that operand. */
    rf: z.object({
      weightsWords: words.describe('Filter scratchpad of each PE, words (0: none).'),
      inputsWords: words.describe('Ifmap scratchpad of each PE, words (0: none).'),
      outputsWords: words.describe('Partial-sum scratchpad of each PE, words (0: none).'),
      /**
       * The MAC reads operands only from the register files (Eyeriss: the NoC delivers into the scratchpads), so an
       * operand a mapping does not keep there still costs a write and a read per use. False: a bypass path exists.
       */
      macReadsRfOnly: z
        .boolean()
        .default(true)
        .describe('The MAC reads operands only from the scratchpads (Eyeriss); false: a bypass path from the NoC exists.'),
      /** The filter scratchpad has one port (Eyeriss: an SRAM), so loading a pass's weights stops the MAC. */
      weightsSinglePort: z
        .boolean()
        .default(false)
        .describe('The filter scratchpad has one port (Eyeriss: an SRAM): writing a pass\'s weights into it stops the MAC.'),
      /** A psum from the neighbouring PE or the buffer is added by the PE's own adder, taking a MAC cycle. */
      psumArrivalsUseAdder: z
        .boolean()
        .default(false)
        .describe('A partial sum arriving from the neighbouring PE or the buffer is added by the PE\'s own adder, taking a MAC cycle (Eyeriss).'),
      leakageMw: leakage.describe('Static power of one PE\'s scratchpads, mW.'),
    }).describe('Register files (scratchpads) in each PE, words per operand.'),
    glb: z.object({
      /** Dedicated filter buffer, KB (0 = filters go from DRAM straight to the PEs). */
      weightsKB: z.number().nonnegative().max(1e9).describe('Dedicated filter buffer, KB (0: filters go from DRAM straight to the PEs).'),
      /** Banks shared by input and partial-sum tiles (each bank wholly one or the other). */
      banks: count.describe('Banks shared by input and partial-sum tiles (each bank wholly one or the other).'),
      bankKB: positive.describe('Size of one bank, KB.'),
      /** Words per cycle from the buffer to the array and back (one number = shared port). */
      readWordsPerCycle: bandwidth.default('unbounded').describe('Words per cycle from the buffer to the array, or "unbounded".'),
      writeWordsPerCycle: bandwidth.default('unbounded').describe('Words per cycle from the array back to the buffer, or "unbounded".'),
      /** True: transfers overlap compute and every tile takes twice its size. */
      doubleBuffered: z.boolean().default(false).describe('Transfers overlap compute and every tile takes twice its size.'),
      leakageMw: leakage.describe('Static power of the buffer, mW.'),
    }).describe('The global buffer: a filter buffer and banks for inputs and partial sums.'),
    noc: z
      .object({
        /** Multicast: one buffer read reaches every PE that needs the word. Unicast: one transfer per PE. */
        mode: z.enum(['multicast', 'unicast']).default('multicast').describe('multicast: one buffer read reaches every PE that needs the word; unicast: one transfer per PE.'),
        /** `per-transfer`: the noc energy is per word delivered; `per-hop`: per word per router hop. */
        energyModel: z.enum(['per-transfer', 'per-hop']).default('per-transfer').describe('The NoC energy is per word delivered (per-transfer) or per word per router hop (per-hop).'),
        /**
         * `send`: a multicast word costs one transfer however many PEs take it; `receiver`: every PE that takes a word
         * costs one (the ISCA 2016 accounting: array-level accesses = buffer reads × PEs reached).
         */
        chargePer: z
          .enum(['send', 'receiver'])
          .default('send')
          .describe('send: a multicast word costs one transfer; receiver: one per PE that takes it (ISCA 2016 accounting).'),
      })
      .default({ mode: 'multicast', energyModel: 'per-transfer', chargePer: 'send' })
      .describe('The network from the buffer to the PEs.'),
    dram: z.object({
      /** Link width and clock (words per core cycle = busBits / wordBits × busMHz / clockMHz), or words per cycle. */
      busBits: count.optional().describe('DRAM bus width, bits.'),
      busMHz: positive.optional().describe('DRAM bus clock, MHz.'),
      wordsPerCycle: positive.optional().describe('Words per core cycle (instead of busBits and busMHz).'),
      /** False: the chip waits for DRAM transfers (they add to the compute time). */
      overlapCompute: z.boolean().default(true).describe('DRAM transfers overlap compute; false: the chip waits for them.'),
    }).describe('The DRAM link: busBits and busMHz (words per cycle = busBits / wordBits × busMHz / clockMHz), or wordsPerCycle.'),
    energy: energySchema,
    /** Run-length coding of feature maps on the DRAM link (Eyeriss: 5-bit run, 16-bit level, 3 pairs per 64 bits). */
    dramRlc: z
      .object({ runBits: count.describe('Bits of a zero-run length.'), levelBits: count.describe('Bits of a value.'), codeWordBits: count.describe('Bits of a code word.') })
      .optional()
      .describe('Run-length coding of feature maps on the DRAM link (Eyeriss: 5-bit run, 16-bit level, 3 pairs per 64 bits).'),
    /** Skip the MAC and the filter read on zero input values (energy only). */
    zeroGating: z.boolean().default(false).describe('Skip the MAC and the filter read on zero input values (energy only).'),
    areaMm2: positive.optional().describe('Silicon area, mm² (for the throughput-per-area goal).'),
    epilogue: epilogueSpecSchema.optional(),
    depthFirst: depthFirstSpecSchema.default(false),
    /** What the chip's own configuration tool optimises when it maps a layer (Eyeriss: energy). */
    mapperGoal: z
      .enum(['latency', 'energy', 'edp'])
      .optional()
      .describe('What the chip\'s own mapper optimises (Eyeriss: energy); the goal a run uses when it names none.'),
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

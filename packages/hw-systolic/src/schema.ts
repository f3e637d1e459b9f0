import { depthFirstSpecSchema, epilogueSpecSchema } from '@trim-dse/core';
import { z } from 'zod';

// Physical ranges: beyond them a spec is a typo, and counts derived from it would overflow.
const positive = z.number().min(1e-6).max(1e9);
const count = z.number().int().positive().max(1 << 20);
const energyPj = z.number().nonnegative().max(1e6);
/** At least one byte, at most 1 GiB per buffer. */
const kilobytes = z.number().min(1 / 1024).max(1 << 20);

/**
 * DRAM bandwidth per interface: words of `wordBits` per cycle (SCALE-Sim's `Bandwidth`), `{ GBps }` (1e9 bytes per
 * second at `clockMHz`), or "unbounded" (SCALE-Sim's `InterfaceBandwidth: CALC`).
 */
export const bandwidthSchema = z
  .union([positive, z.literal('unbounded'), z.object({ GBps: positive.describe('Gigabytes (1e9 bytes) per second.') }).strict()])
  .describe('DRAM bandwidth per interface: words of wordBits per cycle (SCALE-Sim\'s Bandwidth), { GBps: n }, or "unbounded" (SCALE-Sim\'s InterfaceBandwidth: CALC).');

/** Energies per word access of the datapath's width, pJ. Omitted ones take 45 nm defaults (see `energy.ts`). */
export const energySchema = z
  .object({
    macPj: energyPj.describe('One multiply-accumulate, pJ.'),
    /** Latching one word into a PE register (reads are part of the MAC). */
    peRegisterPj: energyPj.describe('Latching one word into a PE register, pJ (reads are part of the MAC).'),
    /** Per-operand SRAM energy per word; default from each buffer's size. */
    ifmapSramPj: energyPj.describe('One ifmap SRAM word access, pJ (default: from the buffer size).'),
    filterSramPj: energyPj.describe('One filter SRAM word access, pJ (default: from the buffer size).'),
    ofmapSramPj: energyPj.describe('One ofmap SRAM word access, pJ (default: from the buffer size).'),
    dramPj: energyPj.describe('One DRAM word access, pJ.'),
    aluPj: energyPj.describe('One non-MAC operation (pooling, ReLU, the optimizer update), pJ.'),
  })
  .partial()
  .strict()
  .describe('Energies per word access of the datapath width, pJ; omitted ones take 45 nm defaults (hw-systolic energy.ts).');

/**
 * An R×C systolic array (TPU / SCALE-Sim style) with one SRAM per operand in front of DRAM. `dataflow` says which
 * dataflow the array is wired for ('any' lets `--dataflow` choose among ws, os, is).
 */
export const systolicSchema = z
  .object({
    name: z.string().default('systolic').describe('Name of the architecture in reports.'),
    rows: z.number().int().positive().max(65536).describe('PE rows of the array (SCALE-Sim ArrayHeight).'),
    cols: z.number().int().positive().max(65536).describe('PE columns of the array (SCALE-Sim ArrayWidth).'),
    dataflow: z
      .enum(['ws', 'os', 'is', 'any'])
      .default('any')
      .describe('The dataflow the array is wired for; "any" lets --dataflow choose among ws, os and is.'),
    clockMHz: z.number().min(1e-6).max(1e5).default(1000).describe('Clock frequency, MHz.'),
    wordBits: z
      .union([z.literal(8), z.literal(16), z.literal(32)])
      .default(8)
      .describe('Width of a word, bits: the native tensor precision (int8 for 8) and the unit of SRAM and DRAM words.'),
    sram: z
      .object({
        ifmapKB: kilobytes.describe('Ifmap (input) SRAM, KB (1024 bytes).'),
        filterKB: kilobytes.describe('Filter (weight) SRAM, KB.'),
        ofmapKB: kilobytes.describe('Ofmap (output) SRAM, KB.'),
        doubleBuffered: z.boolean().default(true).describe('Each SRAM is split in two halves that fill while the other is read (SCALE-Sim).'),
      })
      .strict()
      .describe('One SRAM per operand in front of DRAM.'),
    dram: z
      .object({
        bandwidth: bandwidthSchema.default('unbounded'),
        /** 'per-operand': ifmap, filter and ofmap each have an interface of `bandwidth` (SCALE-Sim); 'shared': one. */
        interfaces: z
          .enum(['per-operand', 'shared'])
          .default('shared')
          .describe('"per-operand": ifmap, filter and ofmap each have an interface of this bandwidth (SCALE-Sim); "shared": one for all.'),
      })
      .strict()
      .default({ bandwidth: 'unbounded', interfaces: 'shared' })
      .describe('The DRAM link.'),
    energy: energySchema.default({}),
    vectorOpsPerCycle: count.optional().describe('Non-MAC operations per cycle (default: one per PE column).'),
    epilogue: epilogueSpecSchema.optional(),
    depthFirst: depthFirstSpecSchema.default(true),
    areaMm2: positive.optional().describe('Silicon area, mm² (default: estimated from the array and SRAMs).'),
  })
  .strict();

export type SystolicSpec = z.infer<typeof systolicSchema>;
export type SystolicSpecInput = z.input<typeof systolicSchema>;

/** JSON Schema of the architecture file of this template (for editors and docs). */
export const systolicJsonSchema = z.toJSONSchema(systolicSchema, { io: 'input' });

import { z } from 'zod';

const positive = z.number().positive();
const count = z.number().int().positive();

/** DRAM bandwidth: words per cycle, `{ GBps }`, or "unbounded" (SCALE-Sim's `InterfaceBandwidth: CALC`). */
export const bandwidthSchema = z.union([positive, z.literal('unbounded'), z.object({ GBps: positive }).strict()]);

/** Energies per word access of the datapath's width, pJ. Omitted ones take 45 nm defaults (see `energy.ts`). */
export const energySchema = z
  .object({
    macPj: z.number().nonnegative(),
    /** Latching one word into a PE register (reads are part of the MAC). */
    peRegisterPj: z.number().nonnegative(),
    /** Per-operand SRAM energy per word; default from each buffer's size. */
    ifmapSramPj: z.number().nonnegative(),
    filterSramPj: z.number().nonnegative(),
    ofmapSramPj: z.number().nonnegative(),
    dramPj: z.number().nonnegative(),
    aluPj: z.number().nonnegative(),
  })
  .partial()
  .strict();

/**
 * An R×C systolic array (TPU / SCALE-Sim style) with one SRAM per operand in front of DRAM. `dataflow` says which
 * dataflow the array is wired for ('any' lets `--dataflow` choose among ws, os, is).
 */
export const systolicSchema = z
  .object({
    name: z.string().default('systolic'),
    rows: count,
    cols: count,
    dataflow: z.enum(['ws', 'os', 'is', 'any']).default('any'),
    clockMHz: positive.default(1000),
    wordBits: z.union([z.literal(8), z.literal(16), z.literal(32)]).default(8),
    sram: z
      .object({
        ifmapKB: positive,
        filterKB: positive,
        ofmapKB: positive,
        doubleBuffered: z.boolean().default(true),
      })
      .strict(),
    dram: z
      .object({
        bandwidth: bandwidthSchema.default('unbounded'),
        /** 'per-operand': ifmap, filter and ofmap each have an interface of `bandwidth` (SCALE-Sim); 'shared': one. */
        interfaces: z.enum(['per-operand', 'shared']).default('shared'),
      })
      .strict()
      .default({ bandwidth: 'unbounded', interfaces: 'shared' }),
    energy: energySchema.default({}),
    vectorOpsPerCycle: count.optional(),
    areaMm2: positive.optional(),
  })
  .strict();

export type SystolicSpec = z.infer<typeof systolicSchema>;
export type SystolicSpecInput = z.input<typeof systolicSchema>;

/** JSON Schema of the architecture file of this template (for editors and docs). */
export const systolicJsonSchema = z.toJSONSchema(systolicSchema, { io: 'input' });

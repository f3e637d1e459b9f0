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
export const bandwidthSchema = z.union([positive, z.literal('unbounded'), z.object({ GBps: positive }).strict()]);

/** Energies per word access of the datapath's width, pJ. Omitted ones take 45 nm defaults (see `energy.ts`). */
export const energySchema = z
  .object({
    macPj: energyPj,
    /** Latching one word into a PE register (reads are part of the MAC). */
    peRegisterPj: energyPj,
    /** Per-operand SRAM energy per word; default from each buffer's size. */
    ifmapSramPj: energyPj,
    filterSramPj: energyPj,
    ofmapSramPj: energyPj,
    dramPj: energyPj,
    aluPj: energyPj,
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
    rows: z.number().int().positive().max(65536),
    cols: z.number().int().positive().max(65536),
    dataflow: z.enum(['ws', 'os', 'is', 'any']).default('any'),
    clockMHz: z.number().min(1e-6).max(1e5).default(1000),
    wordBits: z.union([z.literal(8), z.literal(16), z.literal(32)]).default(8),
    sram: z
      .object({
        ifmapKB: kilobytes,
        filterKB: kilobytes,
        ofmapKB: kilobytes,
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

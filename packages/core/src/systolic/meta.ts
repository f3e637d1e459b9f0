import { TrimInternalError } from '../errors.js';
import type { HardwareModel } from '../hardware.js';

/** The three dataflows of a SCALE-Sim-style systolic array: which operand stays in the PEs. */
export const SYSTOLIC_DATAFLOWS = ['ws', 'os', 'is'] as const;
export type SystolicDataflow = (typeof SYSTOLIC_DATAFLOWS)[number];

/** Codes for the hot path (no strings there). */
export const WS = 0;
export const OS = 1;
export const IS = 2;
export type SystolicDataflowCode = typeof WS | typeof OS | typeof IS;

export function dataflowCode(df: SystolicDataflow): SystolicDataflowCode {
  return df === 'ws' ? WS : df === 'os' ? OS : IS;
}

/**
 * What the `systolic` template puts in `HardwareModel.meta` for its dataflows: the physical array, the dataflow the
 * array is wired for ('any' = let the dataflow choose), per-operand SRAM words by operand slot (0 filter, 1 ifmap,
 * 2 ofmap; the whole buffer, both halves when double-buffered) and the DRAM interface in words per cycle
 * (Infinity = as fast as needed, SCALE-Sim's `InterfaceBandwidth: CALC`).
 */
export interface SystolicMeta {
  readonly rows: number;
  readonly cols: number;
  readonly dataflow: SystolicDataflow | 'any';
  readonly sramWords: readonly [number, number, number];
  readonly dramWordsPerCycle: number;
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && v > 0;

/** The systolic meta of a hardware model built by the `systolic` template (a bug if it is missing or malformed). */
export function systolicMeta(hw: HardwareModel): SystolicMeta {
  const m = hw.meta as Partial<SystolicMeta>;
  const ok =
    isPositive(m.rows) &&
    isPositive(m.cols) &&
    (m.dataflow === 'any' || SYSTOLIC_DATAFLOWS.includes(m.dataflow as SystolicDataflow)) &&
    Array.isArray(m.sramWords) &&
    m.sramWords.length === 3 &&
    m.sramWords.every(isPositive) &&
    isPositive(m.dramWordsPerCycle);
  if (!ok) throw new TrimInternalError(`hardware ${hw.name} (template ${hw.template}) lacks the systolic meta (rows, cols, dataflow, sramWords, dramWordsPerCycle)`);
  return m as SystolicMeta;
}

/** Whether an array wired for `configured` can run `df`. */
export function runsDataflow(configured: SystolicDataflow | 'any', df: SystolicDataflow): boolean {
  return configured === 'any' || configured === df;
}

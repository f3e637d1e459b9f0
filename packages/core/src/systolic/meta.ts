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
 * (Infinity = as fast as needed, SCALE-Sim's `InterfaceBandwidth: CALC`), and per-operand SRAM energies.
 */
export interface SystolicMeta {
  readonly rows: number;
  readonly cols: number;
  readonly dataflow: SystolicDataflow | 'any';
  readonly sramWords: readonly [number, number, number];
  readonly dramWordsPerCycle: number;
  /** True: each operand has its own DRAM interface of `dramWordsPerCycle` (SCALE-Sim); false: one shared. */
  readonly dramPerOperand: boolean;
  /** Energy per word access (read or write) of each operand's SRAM, by slot, pJ. */
  readonly sramEnergyPj: readonly [number, number, number];
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && v > 0;
const isTriple = (v: unknown, ok: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length === 3 && v.every(ok);
const checked = new WeakSet<object>();

/** The systolic meta of a hardware model built by the `systolic` template (a bug if it is missing or malformed). */
export function systolicMeta(hw: HardwareModel): SystolicMeta {
  const m = hw.meta as Partial<SystolicMeta>;
  if (checked.has(m)) return m as SystolicMeta;
  const ok =
    isPositive(m.rows) &&
    isPositive(m.cols) &&
    (m.dataflow === 'any' || SYSTOLIC_DATAFLOWS.includes(m.dataflow as SystolicDataflow)) &&
    isTriple(m.sramWords, isPositive) &&
    isTriple(m.sramEnergyPj, (x) => typeof x === 'number' && x >= 0) &&
    isPositive(m.dramWordsPerCycle) &&
    typeof m.dramPerOperand === 'boolean';
  if (!ok) {
    throw new TrimInternalError(
      `hardware ${hw.name} (template ${hw.template}) lacks the systolic meta (rows, cols, dataflow, sramWords, sramEnergyPj, dramWordsPerCycle, dramPerOperand)`,
    );
  }
  checked.add(m);
  return m as SystolicMeta;
}

/** Whether a hardware model carries the systolic meta (built by the `systolic` template or a compatible one). */
export function isSystolic(hw: HardwareModel): boolean {
  return hw.template === 'systolic';
}

/** Whether an array wired for `configured` can run `df`. */
export function runsDataflow(configured: SystolicDataflow | 'any', df: SystolicDataflow): boolean {
  return configured === 'any' || configured === df;
}

import { Illegal, type Cost, type Mapping } from '@trim-dse/core';
import { ANY, DATAFLOW_OF_SLOT, type SystolicDataflowCode, type Wiring } from './codes.js';

/** Level of the PE registers in the systolic model (`build.ts`). */
const PE = 0;

/** Constant reasons (set, never built, in the hot path). */
export const ONE_STATIONARY =
  'a systolic array keeps exactly one operand in its PEs: the mapping must keep one of weights (ws), inputs (is) or outputs (os) at the pe level';
/** By wiring code (WS, OS, IS). */
export const WIRED_REASONS: readonly [string, string, string] = [
  'this array is wired for weight stationary (dataflow: ws): only the weights can stay in its PEs',
  'this array is wired for output stationary (dataflow: os): only the outputs can stay in its PEs',
  'this array is wired for input stationary (dataflow: is): only the inputs can stay in its PEs',
];

/** The SCALE-Sim dataflow of the one operand a mapping keeps at the pe level, or −1 when it keeps none or several. */
export function stationaryOf(m: Mapping): SystolicDataflowCode | -1 {
  const k = m.keep;
  const base = PE * 3;
  if (k[base] + k[base + 1] + k[base + 2] !== 1) return -1;
  return DATAFLOW_OF_SLOT[k[base] === 1 ? 0 : k[base + 1] === 1 ? 1 : 2];
}

/**
 * `stationaryOf` under the array's wiring: −1, with the reason in `out`, when the mapping keeps no single operand or
 * one the wiring cannot hold stationary.
 */
export function stationaryDataflow(m: Mapping, wiring: Wiring, out: Cost): SystolicDataflowCode | -1 {
  const df = stationaryOf(m);
  if (df < 0) {
    out.fail(Illegal.Template, PE, -1, ONE_STATIONARY);
    return -1;
  }
  if (wiring !== ANY && wiring !== df) {
    out.fail(Illegal.Template, PE, -1, WIRED_REASONS[wiring]);
    return -1;
  }
  return df;
}

import { C, DIM_COUNT, Illegal, K, Q, RELEVANT, S, type Cost, type MacOp, type Mapping } from '@trim-dse/core';
import { laneElements, type BankedEngine } from './banks.js';

export const NO_STAGE = 'the layer has no stage (engine) in this layer-pipelined design';
export const BRAM_KEEPS_ALL = 'the MAC lanes read and write only the BRAM banks: level bram must keep every operand';
export const WIRING =
  'the engine unrolls output channels (≤ Tm) and output columns (≤ Tp) across x, and reduced input channels (≤ Tn) and filter columns (≤ Tk) across y';
export const WEIGHT_BANK = 'a weight bank lane holds two kernel slices (ping-pong)';
export const INPUT_BANK = 'an input bank holds two input windows (ping-pong halves)';
export const OUTPUT_BANK = 'an output memory holds one output tile (each lane has two)';
const BANK_REASON = [WEIGHT_BANK, INPUT_BANK, OUTPUT_BANK] as const;

/** Bit d set: dim d indexes the operand of that projection (0 filter, 1 window, 2 output). */
const OUTPUT_DIMS = [RELEVANT.filter, RELEVANT.window, RELEVANT.output];

/**
 * The engine's own rules on a mapping the core engine found legal (`checkMapping`), on level 0 (bram):
 * - bram keeps every operand (the lanes have no path to DRAM);
 * - wiring: x unrolls only K (≤ Tm) and Q (≤ Tp), each indexing the output (one accumulator per x lane); y only C
 *   (≤ Tn) and S (≤ Tk), each reduced (the adder tree sums the y lanes into one output);
 * - banks: one tile of each operand, split over its bank lanes, fits half a lane (both ping-pong halves fit the
 *   lane), in bytes at the operand's precision — `Illegal.Capacity` at bram, so mapspaces prune on it.
 * Writes a failure into `out` (allocating nothing) and returns whether the mapping passed.
 */
export function engineRules(op: MacOp, m: Mapping, e: BankedEngine, out: Cost): boolean {
  if (!m.keep[0] || !m.keep[1] || !m.keep[2]) {
    out.fail(Illegal.Template, 0, -1, BRAM_KEEPS_ALL);
    return false;
  }
  const { Tm, Tn, Tp, Tk } = e.shape;
  const outDims = OUTPUT_DIMS[op.projections[2]];
  for (let d = 0; d < DIM_COUNT; d++) {
    const x = m.spatialX[d];
    const y = m.spatialY[d];
    if (x > 1) {
      const cap = d === K ? Tm : d === Q ? Tp : 0;
      if (x > cap || ((outDims >> d) & 1) === 0) return wiring(out, d);
    }
    if (y > 1) {
      const cap = d === C ? Tn : d === S ? Tk : 0;
      if (y > cap || ((outDims >> d) & 1) === 1) return wiring(out, d);
    }
  }
  for (let t = 0; t < 3; t++) {
    const bytes = 2 * laneElements(op, m, t, e) * op.operands[t].bytes;
    if (bytes > e.laneBytes[t]) {
      out.fail(Illegal.Capacity, 0, -1, BANK_REASON[t]);
      return false;
    }
  }
  return true;
}

function wiring(out: Cost, d: number): false {
  out.fail(Illegal.Template, 0, d, WIRING);
  return false;
}

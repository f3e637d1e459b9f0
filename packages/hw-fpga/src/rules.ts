import { C, DIM_COUNT, G, Illegal, K, P, Q, R, RELEVANT, S, type Cost, type MacOp, type Mapping } from '@trim-dse/core';
import { laneElements, type BankedEngine } from './banks.js';

export const NO_STAGE = 'the layer has no stage (engine) in this layer-pipelined design';
export const BRAM_KEEPS_ALL = 'the MAC lanes read and write only the BRAM banks: level bram must keep every operand';
export const WIRING =
  'the engine unrolls output channels (≤ Tm), output columns (≤ Tp) and rows (≤ Ty) across x, and reduced input channels (≤ Tn), filter columns (≤ Tk) and rows (≤ Tr) across y';
export const WEIGHT_BANK = 'a weight bank lane holds two kernel slices (ping-pong)';
export const INPUT_BANK = 'an input bank holds two input windows (ping-pong halves)';
export const OUTPUT_BANK = 'an output memory holds one output tile (each lane has two)';
const BANK_REASON = [WEIGHT_BANK, INPUT_BANK, OUTPUT_BANK] as const;

export const DEPTHWISE = 'a depthwise engine shares its Tm output lanes between output channels and groups (K · G ≤ Tm)';
export const WINOGRAD =
  'a Winograd PE multiplies (m+r−1)² values per cycle: more lanes than that need the F(m×m, r×r) transform, which takes a whole r×r kernel at stride 1';

/** Bit d set: dim d indexes the operand of that projection (0 filter, 1 window, 2 output). */
const OUTPUT_DIMS = [RELEVANT.filter, RELEVANT.window, RELEVANT.output];

/** Lanes the engine has for dim d on its output side (x) and on its reduction side (y); 0 = not unrolled there. */
function xCap(e: BankedEngine['shape'], d: number): number {
  if (d === K) return e.Tm;
  if (d === Q) return e.Tp;
  if (d === P) return e.Ty;
  if (d === G) return e.family === 'depthwise' ? e.Tm : 0;
  return 0;
}
function yCap(e: BankedEngine['shape'], d: number): number {
  if (d === C) return e.Tn;
  if (d === S) return e.Tk;
  if (d === R) return e.Tr;
  return 0;
}

/** Whether an op can run through a Winograd F(m×m, r×r) transform: an r×r kernel at stride 1, no dilation. */
export function winogradFits(op: MacOp, r: number): boolean {
  return op.bounds[R] === r && op.bounds[S] === r && op.strideH === 1 && op.strideW === 1 && op.dilationH === 1 && op.dilationW === 1;
}

/**
 * The engine's own rules on a mapping the core engine found legal (`checkMapping`), on level 0 (bram):
 * - bram keeps every operand (the lanes have no path to DRAM);
 * - wiring: x unrolls only dims that index the output — K (≤ Tm), Q (≤ Tp), P (≤ Ty), and on a depthwise engine G
 *   (K · G ≤ Tm) — one accumulator per x lane; y only reduced dims — C (≤ Tn), S (≤ Tk), R (≤ Tr) — which the adder
 *   tree sums into one output;
 * - Winograd: a PE has (m+r−1)² multipliers; a mapping using more lanes per PE (Q·P·S·R) is the transform, legal
 *   only for an r×r kernel at stride 1 with the whole kernel unrolled;
 * - banks: one tile of each operand, split over its bank lanes, fits half a lane (both ping-pong halves fit the
 *   lane), in bytes at the operand's precision — `Illegal.Capacity` at bram, so mapspaces prune on it.
 * Writes a failure into `out` (allocating nothing) and returns whether the mapping passed.
 */
export function engineRules(op: MacOp, m: Mapping, e: BankedEngine, out: Cost): boolean {
  if (!m.keep[0] || !m.keep[1] || !m.keep[2]) {
    out.fail(Illegal.Template, 0, -1, BRAM_KEEPS_ALL);
    return false;
  }
  const s = e.shape;
  const outDims = OUTPUT_DIMS[op.projections[2]];
  for (let d = 0; d < DIM_COUNT; d++) {
    const x = m.spatialX[d];
    const y = m.spatialY[d];
    if (x > 1 && (x > xCap(s, d) || ((outDims >> d) & 1) === 0)) return wiring(out, d);
    if (y > 1 && (y > yCap(s, d) || ((outDims >> d) & 1) === 1)) return wiring(out, d);
  }
  if (s.family === 'depthwise' && m.spatialX[K] * m.spatialX[G] > s.Tm) {
    out.fail(Illegal.Template, 0, G, DEPTHWISE);
    return false;
  }
  if (s.tileValues > 0) {
    const perPe = m.spatialX[Q] * m.spatialX[P] * m.spatialY[S] * m.spatialY[R];
    if (perPe > s.tileValues && !(winogradFits(op, s.Tr) && m.spatialY[S] === s.Tk && m.spatialY[R] === s.Tr)) {
      out.fail(Illegal.Template, 0, -1, WINOGRAD);
      return false;
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

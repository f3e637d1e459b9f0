import { C, G, K, N, P, Q, R, S, windowRows, type MacOp, type Mapping } from '@trim-dse/core';
import type { BufferPlan, EngineShape } from './resources.js';

/**
 * One engine's banks as its legality rules read them: for each operand slot (0 weights side, 1 inputs side,
 * 2 output) how many lanes split each dim, and the bytes one bank lane holds (both ping-pong halves).
 * - weights: Tm·Tk banks of Tn-word entries = Tm·Tn·Tk lanes of `weightBankDepth` words, split by K/Tm, C/Tn, S/Tk;
 * - inputs: Tn·Tp banks of `inputBankWords` words, split by C/Tn and input columns/Tp;
 * - outputs: Tm·Tp lanes of two `outputBankWords` memories, split by K/Tm and Q/Tp.
 */
export interface BankedEngine {
  readonly shape: EngineShape;
  /** Lanes along K, C, Q (columns) and S per slot: [slot·4 + 0..3]. */
  readonly lanes: Int32Array;
  /** Bytes per bank lane per slot, both halves. */
  readonly laneBytes: Float64Array;
}

export function bankedEngine(e: EngineShape, b: Pick<BufferPlan, 'weightBankDepth' | 'inputBankWords' | 'outputBankWords'>, wordBytes: number): BankedEngine {
  // prettier-ignore
  const lanes = Int32Array.from([
    e.Tm, e.Tn, 1, e.Tk, // weights
    1, e.Tn, e.Tp, 1, // inputs
    e.Tm, 1, e.Tp, 1, // outputs
  ]);
  const laneBytes = Float64Array.from([b.weightBankDepth * wordBytes, b.inputBankWords * wordBytes, 2 * b.outputBankWords * wordBytes]);
  return { shape: e, lanes, laneBytes };
}

/** The op's extent of dim d in the tile kept at the BRAM level (level 0), clamped to the op: padding holds no data. */
function tileAt(op: MacOp, m: Mapping, d: number): number {
  const t = m.temporal[d] * m.spatialX[d] * m.spatialY[d];
  const b = op.bounds[d];
  return t < b ? t : b;
}

/**
 * Elements one bank lane of `slot` holds for one tile (one half) of the mapping's BRAM tile: the operand's tile
 * under its projection (0 filter, 1 window, 2 output) with each dim split over the slot's lanes.
 */
export function laneElements(op: MacOp, m: Mapping, slot: number, e: BankedEngine): number {
  const l = e.lanes;
  const o = slot * 4;
  const proj = op.projections[slot];
  if (proj === 0) {
    return tileAt(op, m, G) * Math.ceil(tileAt(op, m, K) / l[o]) * Math.ceil(tileAt(op, m, C) / l[o + 1]) * tileAt(op, m, R) * Math.ceil(tileAt(op, m, S) / l[o + 3]);
  }
  if (proj === 2) {
    return tileAt(op, m, N) * tileAt(op, m, G) * Math.ceil(tileAt(op, m, K) / l[o]) * tileAt(op, m, P) * Math.ceil(tileAt(op, m, Q) / l[o + 2]);
  }
  const rows = windowRows(tileAt(op, m, P), tileAt(op, m, R), op.strideH, op.dilationH);
  const cols = windowRows(tileAt(op, m, Q), tileAt(op, m, S), op.strideW, op.dilationW);
  return tileAt(op, m, N) * tileAt(op, m, G) * Math.ceil(tileAt(op, m, C) / l[o + 1]) * rows * Math.ceil(cols / l[o + 2]);
}

import { C, DIM_COUNT, G, K, N, P, Q, R, S, windowRows, type MacOp, type Mapping } from '@trim-dse/core';
import { bankLayout } from './bank-layout.js';
import { fullEngine, type BufferPlan, type EngineShape, type FullEngine } from './resources.js';

/**
 * One engine and its banks as its legality rules read them: the unroll (every field given), how many lanes split
 * each dim of each operand's tile ([slot · 8 + dim]; slot 0 weights side, 1 inputs side, 2 output; a window's rows
 * are split by the P lanes, its columns by the Q lanes), and the bytes one bank lane holds (both ping-pong halves).
 * A weight lane is one word column of a weight bank (`weightBankDepth` words); an output lane has two memories.
 */
export interface BankedEngine {
  readonly shape: FullEngine;
  readonly lanes: Int32Array;
  /** Bytes per bank lane per slot, both halves. */
  readonly laneBytes: Float64Array;
}

export function bankedEngine(e: EngineShape, b: Pick<BufferPlan, 'weightBankDepth' | 'inputBankWords' | 'outputBankWords'>, wordBytes: number): BankedEngine {
  const shape = fullEngine(e);
  const laneBytes = Float64Array.from([b.weightBankDepth * wordBytes, b.inputBankWords * wordBytes, 2 * b.outputBankWords * wordBytes]);
  return { shape, lanes: bankLayout(shape).lanes, laneBytes };
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
  const o = slot * DIM_COUNT;
  const proj = op.projections[slot];
  const part = (d: number) => Math.ceil(tileAt(op, m, d) / l[o + d]);
  if (proj === 0) return part(G) * part(K) * part(C) * part(R) * part(S);
  if (proj === 2) return tileAt(op, m, N) * part(G) * part(K) * part(P) * part(Q);
  const rows = windowRows(tileAt(op, m, P), tileAt(op, m, R), op.strideH, op.dilationH);
  const cols = windowRows(tileAt(op, m, Q), tileAt(op, m, S), op.strideW, op.dilationW);
  return tileAt(op, m, N) * part(G) * part(C) * Math.ceil(rows / l[o + P]) * Math.ceil(cols / l[o + Q]);
}

import { C, DIM_COUNT, emptyMapping, G, K, macOp, N, P, Q, R, S, type MacOp, type Mapping, type Operand } from '@trim-dse/core';

/** Operands of a convolution at `bytes` per element. */
export function convOperands(bytes: number): [Operand, Operand, Operand] {
  return [
    { tensor: 'weights', projection: 'filter', bytes, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes, density: 1 },
  ];
}

/** M = 4 output channels, N = 2 input channels, 4 × 4 outputs, 3 × 3 kernel, stride 1 (a 6 × 6 input). */
export function smallConv(o: { bytes?: number; layer?: string; K?: number; R?: number } = {}): MacOp {
  const r = o.R ?? 3;
  return macOp({
    name: o.layer ?? 'c',
    layer: o.layer ?? 'c',
    layerKind: 'conv2d',
    phase: 'forward',
    bounds: { K: o.K ?? 4, C: 2, P: 4, Q: 4, R: r, S: r },
    operands: convOperands(o.bytes ?? 4),
  });
}

/**
 * Zhang's mapping on the template's two levels (what the fpga-unrolled dataflow proposes, written here because a
 * template's tests do not import a dataflow): bram unrolls K by min(Tm, K) on x and C by min(Tn, C) on y and loops
 * tr × tc × R × S; dram loops the tiles, rows → columns → output channels → input channels.
 */
export function zhangMapping(op: MacOp, e: { Tm: number; Tn: number }, tr: number, tc: number): Mapping {
  const b = op.bounds;
  const m = emptyMapping(2);
  const up = DIM_COUNT;
  m.spatialX[K] = Math.min(e.Tm, b[K]);
  m.spatialY[C] = Math.min(e.Tn, b[C]);
  m.temporal[P] = tr;
  m.temporal[Q] = tc;
  m.temporal[R] = b[R];
  m.temporal[S] = b[S];
  m.temporal[up + N] = b[N];
  m.temporal[up + G] = b[G];
  m.temporal[up + K] = Math.ceil(b[K] / e.Tm);
  m.temporal[up + C] = Math.ceil(b[C] / e.Tn);
  m.temporal[up + P] = Math.ceil(b[P] / tr);
  m.temporal[up + Q] = Math.ceil(b[Q] / tc);
  // Outermost first: N G R S P Q K C at dram; N G K C P Q R S at bram.
  [N, G, K, C, P, Q, R, S].forEach((d, i) => (m.order[i] = d));
  [N, G, R, S, P, Q, K, C].forEach((d, i) => (m.order[up + i] = d));
  return m;
}

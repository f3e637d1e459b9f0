/**
 * The loop dimensions of every MAC op, in a fixed index order so the engine can use flat typed arrays.
 * N batch, G groups, K output channels (per group), C input channels (per group), P/Q output rows/cols,
 * R/S filter rows/cols.
 */
export const DIMS = ['N', 'G', 'K', 'C', 'P', 'Q', 'R', 'S'] as const;
export type Dim = (typeof DIMS)[number];
export const DIM_COUNT = 8;
export const N = 0;
export const G = 1;
export const K = 2;
export const C = 3;
export const P = 4;
export const Q = 5;
export const R = 6;
export const S = 7;

export function dimIndex(d: Dim): number {
  return DIMS.indexOf(d);
}

/**
 * How an operand's elements are addressed by the loop indices.
 * - `filter`: (G, K, C, R, S) — forward weights, and the gradient of the weights in backward-weight.
 * - `window`: (N, G, C, H, W) with H = (P−1)·strideH + (R−1)·dilationH + 1 — the sliding-window operand.
 * - `output`: (N, G, K, P, Q) — forward outputs, and the output gradient read by backward-weight.
 */
export type Projection = 'filter' | 'window' | 'output';

/** Bitmask of the dims each projection depends on (bit i = DIMS[i]). */
export const RELEVANT: Record<Projection, number> = {
  filter: (1 << G) | (1 << K) | (1 << C) | (1 << R) | (1 << S),
  window: (1 << N) | (1 << G) | (1 << C) | (1 << P) | (1 << Q) | (1 << R) | (1 << S),
  output: (1 << N) | (1 << G) | (1 << K) | (1 << P) | (1 << Q),
};

export const PROJECTION_CODE: Record<Projection, number> = { filter: 0, window: 1, output: 2 };

import type { TiledSpec } from '@trim-dse/core';
import type { ISConfig } from './schema.js';

/**
 * Input stationary on a generic or spatial array: the reduction dims (C, R, S) go down the rows and output pixels
 * (Q, P, N) across the columns, so each PE owns one im2col input element; inside a PE only the filters (K) are
 * iterated — the loop that does not touch the input — and the PE keeps only the input.
 */
export function isSpec(config: ISConfig): TiledSpec {
  return {
    spatialY: ['C', 'R', 'S'],
    spatialX: ['Q', 'P', 'N'],
    peOrder: ['N', 'C', 'P', 'Q', 'R', 'S', 'K'],
    peDims: ['K'],
    peKeep: [false, true, false],
    outerOrders: [
    ['N', 'C', 'R', 'S', 'P', 'Q', 'K'],
    ['N', 'P', 'Q', 'C', 'R', 'S', 'K'],
    ['K', 'N', 'C', 'R', 'S', 'P', 'Q'],
  ],
    maxCandidates: config.maxCandidates,
  };
}

import type { TiledSpec } from '@trim-dse/core';
import type { WSConfig } from './schema.js';

/**
 * Weight stationary on a generic or spatial array: the reduction dims (C, R, S) go down the rows and the filters
 * (K) across the columns, so each PE owns one weight; inside a PE only output pixels (N, P, Q) are iterated — loops
 * that do not touch the weight — and the PE keeps only the weight (inputs and partial sums pass through).
 */
export function wsSpec(config: WSConfig): TiledSpec {
  return {
    spatialY: ['C', 'R', 'S'],
    spatialX: ['K'],
    peOrder: ['K', 'C', 'R', 'S', 'N', 'P', 'Q'],
    peDims: ['N', 'P', 'Q'],
    peKeep: [true, false, false],
    outerOrders: [
    ['K', 'C', 'R', 'S', 'N', 'P', 'Q'],
    ['N', 'K', 'C', 'R', 'S', 'P', 'Q'],
    ['C', 'R', 'S', 'K', 'N', 'P', 'Q'],
  ],
    maxCandidates: config.maxCandidates,
  };
}

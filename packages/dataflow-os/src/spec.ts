import type { TiledSpec } from '@trim-dse/core';
import type { OSConfig } from './schema.js';

/**
 * Output stationary on a generic or spatial array: output pixels (Q, P, N) go down the rows and filters (K) across
 * the columns, so each PE owns one output; inside a PE only the reduction dims (C, R, S) are iterated — loops that
 * do not touch the output — and the PE keeps only the partial sum.
 */
export function osSpec(config: OSConfig): TiledSpec {
  return {
    spatialY: ['Q', 'P', 'N'],
    spatialX: ['K'],
    peOrder: ['N', 'K', 'P', 'Q', 'C', 'R', 'S'],
    peDims: ['C', 'R', 'S'],
    peKeep: [false, false, true],
    outerOrders: [
    ['N', 'K', 'P', 'Q', 'C', 'R', 'S'],
    ['K', 'N', 'P', 'Q', 'C', 'R', 'S'],
    ['C', 'R', 'S', 'N', 'K', 'P', 'Q'],
  ],
    maxCandidates: config.maxCandidates,
  };
}

import type { Dim, TiledSpec } from '@trim-dse/core';
import type { NvdlaConfig } from './schema.js';

/**
 * NVDLA-style direct convolution on a PE array. Each column is a MAC cell for one output channel ("atomic-K"); each
 * row is one input-channel lane of those cells ("atomic-C"), so a cycle multiplies an atomic-C slice of one input
 * pixel by atomic-K kernels and reduces down the columns. Kernel positions (R, S) are not unrolled: they are
 * walked in time. Inside a PE only a stripe of output pixels (N, P, Q) is iterated while the PE keeps its weight;
 * the buffer above accumulates the stripe's partial sums over R, S and the channel blocks.
 */
export function nvdlaSpec(config: NvdlaConfig): TiledSpec {
  const accumulate: Dim[] = ['K', 'N', 'P', 'Q', 'R', 'S', 'C'];
  const weightReuse: Dim[][] = [
    ['K', 'R', 'S', 'C', 'N', 'P', 'Q'],
    ['K', 'C', 'R', 'S', 'N', 'P', 'Q'],
  ];
  return {
    spatialX: ['K'],
    spatialY: ['C'],
    peOrder: ['K', 'C', 'R', 'S', 'N', 'P', 'Q'],
    peDims: ['N', 'P', 'Q'],
    peKeep: [true, false, false],
    outerOrders: config.weightReuseOrders ? [accumulate, ...weightReuse] : [accumulate],
    maxCandidates: config.maxCandidates,
  };
}

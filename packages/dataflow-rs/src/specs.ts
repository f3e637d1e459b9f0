import type { Dim, TiledSpec } from '@trim-dse/core';
import type { RsConfig } from './schema.js';

/**
 * Buffer-level loop orders (outermost first) tried for row stationary. Q is always innermost: advancing it slides
 * the ifmap row through the PE's ifmap spad (only `stride` new values per step) while the filter row stays put.
 * C just outside Q keeps the partial-sum tile in place while channels accumulate.
 */
export const RS_OUTER_ORDERS: readonly (readonly Dim[])[] = [
  ['N', 'K', 'P', 'R', 'C', 'Q'],
  ['N', 'P', 'K', 'R', 'C', 'Q'],
  ['K', 'N', 'P', 'R', 'C', 'Q'],
  ['P', 'N', 'K', 'R', 'C', 'Q'],
  ['N', 'C', 'K', 'P', 'R', 'Q'],
];

/**
 * The tiled specs of row stationary: filter rows (R) down the array's rows and output rows (P = E) across its
 * columns form the logical R × E PE set; the spare rows and columns replicate it over one more dim. Inside a PE
 * only K (p filters), C (q channels) and S (the filter row) are tiled: the 1-D convolution primitive.
 */
export function rsSpecs(config: RsConfig): TiledSpec[] {
  const specs: TiledSpec[] = [];
  const ys: (readonly Dim[])[] = [['R'], ...config.replicateY.map((d) => ['R', d] as const)];
  const xs: (readonly Dim[])[] = [['P'], ...config.replicateX.map((d) => ['P', d] as const)];
  for (const y of ys) {
    for (const x of xs) {
      if (y.some((d) => d !== 'P' && x.includes(d))) continue;
      specs.push({
        spatialY: y,
        spatialX: x,
        peOrder: ['K', 'C', 'S'],
        peDims: ['K', 'C', 'S'],
        outerOrders: RS_OUTER_ORDERS,
        maxCandidates: config.maxCandidates,
      });
    }
  }
  return specs;
}

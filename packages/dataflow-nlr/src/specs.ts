import type { Dim, TiledSpec } from '@trim-dse/core';
import type { NlrConfig } from './schema.js';

/** Buffer-level loop orders (outermost first) tried for NLR. */
export const NLR_OUTER_ORDERS: readonly (readonly Dim[])[] = [
  ['N', 'P', 'Q', 'K', 'C', 'R', 'S'],
  ['K', 'N', 'P', 'Q', 'C', 'R', 'S'],
  ['N', 'K', 'C', 'R', 'S', 'P', 'Q'],
];

/**
 * No local reuse (ISCA 2016's NLR, DianNao-like): the PEs keep nothing; every operand comes from the global buffer
 * each cycle. Output channels (K) go across the columns and input channels (C) down the rows, so one input is
 * multicast along a row, weights are unicast and partial sums reduce down the columns.
 */
export function nlrSpecs(config: NlrConfig): TiledSpec[] {
  const variants: Array<[readonly Dim[], readonly Dim[]]> = [
    [['K'], ['C']],
    [['K', 'Q'], ['C', 'R']],
    [['K', 'N'], ['C', 'S']],
  ];
  return variants.map(([x, y]) => ({
    spatialX: x,
    spatialY: y,
    peOrder: [],
    peDims: [],
    peKeep: [false, false, false] as const,
    outerOrders: NLR_OUTER_ORDERS,
    maxCandidates: config.maxCandidates,
  }));
}

import type { Dim, TiledSpec } from '@trim-dse/core';
import type { FreeConfig } from './schema.js';

/**
 * Array placements tried (x, then y): output channels across with the reduction down (the TPU's and ZigZag
 * tpu_like's K × C), output channels across with output pixels down, output pixels across with the reduction down.
 * They are the spatial unrollings of ws, os and is (plus a packing without a padded fold, as LOMA's fractional
 * unrollings never fetch padding); what differs from those is the PE: nothing is made stationary.
 */
const PLACEMENTS: ReadonlyArray<readonly [readonly Dim[], readonly Dim[]]> = [
  [['K'], ['C', 'R', 'S']],
  [['K'], ['Q', 'P', 'N']],
  [['Q', 'P', 'N'], ['C', 'R', 'S']],
];

/**
 * Loop orders (outermost first) for every level: the reduction innermost (partial sums stay in the innermost
 * level that keeps outputs, as an output register accumulates), or the output pixels innermost (the weights' tile
 * is reused across them), or the output channels innermost (the inputs' tile is).
 */
const ORDERS: readonly (readonly Dim[])[] = [
  ['N', 'K', 'P', 'Q', 'C', 'R', 'S'],
  ['N', 'K', 'C', 'R', 'S', 'P', 'Q'],
  ['N', 'C', 'R', 'S', 'P', 'Q', 'K'],
];

/**
 * Free temporal mapping: the mapspace ZigZag's LOMA (and Timeloop's mapper without constraints) searches. Any loop
 * may be tiled at any level, inside the PEs too, and every level keeps every operand it holds — where ws, os and is
 * keep only their stationary operand in the PEs. One spec per placement × loop order (the same order at every
 * level: 9 walks of the tiled mapspace per op).
 */
export function freeSpecs(config: FreeConfig): TiledSpec[] {
  const specs: TiledSpec[] = [];
  for (const [x, y] of PLACEMENTS) {
    for (const order of ORDERS) specs.push({ spatialX: x, spatialY: y, peOrder: order, outerOrders: [order], maxCandidates: config.maxCandidates, divisorPacking: true });
  }
  return specs;
}

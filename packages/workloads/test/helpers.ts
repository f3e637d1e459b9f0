import { inferenceOps, type MacOp, type Network } from '@trim-dse/core';

export function macOps(net: Network): MacOp[] {
  return inferenceOps(net).filter((op): op is MacOp => op.kind === 'mac');
}

/** Total MACs of the network's MAC layers, optionally of one layer kind. */
export function totalMacs(net: Network, kind?: 'conv2d' | 'linear' | 'matmul'): number {
  return macOps(net)
    .filter((op) => kind === undefined || op.layerKind === kind)
    .reduce((a, op) => a + op.macs, 0);
}

export function macsByLayer(net: Network): Map<string, number> {
  return new Map(macOps(net).map((op) => [op.layer, op.macs]));
}

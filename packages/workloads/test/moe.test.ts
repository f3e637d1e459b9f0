import { tensorElements, type Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { buildNetworkFile, networkFileSchema } from '../src/index.js';
import { expertRows } from '../src/transformer/moe.js';
import { macsByLayer, totalMacs } from './helpers.js';

function net(seq: number, { dim = 4096, ...layer }: Record<string, unknown>, batch = 1): Network {
  const doc = networkFileSchema.parse({ network: 'm', inputs: [{ name: 'x', shape: ['batch', 'seq', dim] }], layers: [{ kind: 'moe', name: 'moe', ...layer }] });
  return buildNetworkFile(doc, { batch, precision: 'bf16', seqLen: seq });
}
/** Parameters: the weight operands of the einsums (router d·E, E experts' weights). */
function params(n: Network): number {
  let total = 0;
  for (const l of n.layers) {
    if (l.kind !== 'einsum' || l.params.weightAxes === undefined) continue;
    const bounds = new Map(l.params.dims);
    total += l.params.weightAxes.split(' ').reduce((a, d) => a * (bounds.get(d) as number), 1);
  }
  return total;
}

describe('moe: a router, uniform top-k routing, E expert MLPs and the combine', () => {
  it('Mixtral-like (d 4096, hidden 14336, E 8, k 2, SwiGLU), 8 tokens: d·E + k·3·d·hidden + k·d = 352,362,496 MACs per token', () => {
    const d = 4096;
    const h = 14336;
    const n = net(8, { experts: 8, topK: 2, hidden: h });
    // 8 tokens × 2 choices over 8 experts: 2 rows each, none padded.
    expect(expertRows(8, { experts: 8, topK: 2, capacityFactor: 1 })).toBe(2);
    const perToken = d * 8 + 2 * 3 * d * h + 2 * d;
    expect(perToken).toBe(352_362_496);
    expect(totalMacs(n)).toBe(8 * perToken);
    const m = macsByLayer(n);
    expect(m.get('moe.router')).toBe(8 * d * 8);
    expect(m.get('moe.gate')).toBe(8 * 2 * d * h); // E·rows·d·hidden = T·k·d·hidden
    expect(m.get('moe.combine')).toBe(8 * 2 * d);
    // Parameters: all 8 experts (3·d·hidden each) and the router.
    expect(params(n)).toBe(8 * 3 * d * h + d * 8);
    expect(n.tensors.get(n.layers[n.layers.length - 1].output)!.shape).toEqual([1, 8, d]);
  });

  it('capacity factor 1.25 pads every expert to ⌈T·k·1.25/E⌉ rows of compute: 8 tokens, k 2, E 8 → 3 rows, not 2', () => {
    const n = net(8, { experts: 8, topK: 2, hidden: 32, dim: 16, capacityFactor: 1.25 });
    expect(expertRows(8, { experts: 8, topK: 2, capacityFactor: 1.25 })).toBe(3);
    expect(macsByLayer(n).get('moe.up')).toBe(8 * 3 * 16 * 32);
    // The dispatch copies 16 chosen rows and 8 padded rows into 8 × 3 rows.
    expect(tensorElements(n.tensors.get('moe.dispatch')!)).toBe(8 * 3 * 16);
  });

  it('plain experts (GELU, not gated) and rounding up: 3 tokens, k 1, E 2 → ⌈1.5⌉ = 2 rows each, 2 dense layers', () => {
    const n = net(3, { experts: 2, topK: 1, hidden: 8, dim: 4, gated: false, activation: 'gelu' });
    expect(totalMacs(n)).toBe(3 * 4 * 2 + 2 * 2 * 2 * 4 * 8 + 3 * 4);
  });

  it('bad input: one line naming the layer and field', () => {
    expect(() => net(4, { experts: 2, topK: 3, hidden: 8, dim: 4 })).toThrow(/layer moe: topK 3 is more than the 2 experts/);
    expect(() => networkFileSchema.parse({ network: 'm', inputs: [{ name: 'x', shape: [1, 2, 4] }], layers: [{ kind: 'moe', name: 'm', experts: 4, topK: 1, hidden: 8, capacityFactor: 0.5 }] })).toThrow(/capacityFactor/);
  });
});

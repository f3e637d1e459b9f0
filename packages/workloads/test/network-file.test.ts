import { inferenceOps, NetworkBuilder, tensorElements, TrimUserError, type Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { attention, buildNetworkFile, loadWorkload, networkFileSchema, type NetworkLayer } from '../src/index.js';
import { macsByLayer, totalMacs } from './helpers.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const OPTS = { batch: 1, precision: 'int16' } as const;

/** A network file of the given inputs and layers, built (no file: the schema parses the object as a file would). */
function net(inputs: Array<{ name: string; shape: Array<number | 'batch' | 'seq'> }>, layers: NetworkLayer[] | unknown[], o: { batch?: number; seqLen?: number } = {}): Network {
  const doc = networkFileSchema.parse({ network: 't', inputs, layers });
  return buildNetworkFile(doc, { ...OPTS, ...o });
}

describe('network file: MAC layers lowered to einsums (hand-worked MACs)', () => {
  it('einsum with a parameter operand: y[b,s,k] = Σ_c x[b,s,c]·W[k,c] does b·s·k·c MACs', () => {
    const n = net([{ name: 'x', shape: [2, 3, 5] }], [{ kind: 'einsum', name: 'e', inputs: ['x'], dims: { b: 2, s: 3, k: 4, c: 5 }, axes: ['b s c'], weight: 'k c', out: 'b s k' }]);
    expect(totalMacs(n)).toBe(2 * 3 * 4 * 5);
    expect(n.tensors.get('e')!.shape).toEqual([2, 3, 4]);
  });

  it('matmul broadcasts leading dims: [2,1,3,4] @ [5,4,6] is [2,5,3,6] with 2·5·3·6·4 MACs; transB reads b as [.., n, k]', () => {
    const n = net(
      [{ name: 'a', shape: [2, 1, 3, 4] }, { name: 'b', shape: [5, 4, 6] }, { name: 'bt', shape: [5, 6, 4] }],
      [{ kind: 'matmul', name: 'mm', inputs: ['a', 'b'] }, { kind: 'matmul', name: 'mt', inputs: ['a', 'bt'], transB: true }],
    );
    expect(macsByLayer(n).get('mm')).toBe(2 * 5 * 3 * 6 * 4);
    expect(macsByLayer(n).get('mt')).toBe(2 * 5 * 3 * 6 * 4);
    expect(n.tensors.get('mm')!.shape).toEqual([2, 5, 3, 6]);
  });

  it('matmul refuses batch dims that do not broadcast and mismatched inner sizes, naming the layer', () => {
    const bad = (b: number[]) => () => net([{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: b }], [{ kind: 'matmul', name: 'mm', inputs: ['a', 'b'] }]);
    expect(bad([3, 4, 6])).toThrow(/layer mm: batch dims 2 and 3 do not broadcast/);
    expect(bad([2, 5, 6])).toThrow(/layer mm: inner sizes differ: a has 4, b has 5/);
  });

  it('linear over the last axis of any rank: [3, 5] → 7 is 3·5·7 MACs; [batch, seq, c] reads the symbols', () => {
    expect(totalMacs(net([{ name: 'x', shape: [3, 5] }], [{ kind: 'linear', name: 'fc', out: 7 }]))).toBe(105);
    const n = net([{ name: 'x', shape: ['batch', 'seq', 8] }], [{ kind: 'linear', name: 'fc', out: 16 }], { batch: 2, seqLen: 10 });
    expect(totalMacs(n)).toBe(2 * 10 * 8 * 16);
  });

  it('attention: MHA 4·s·h² + 2·s²·h; GQA and MQA shrink the K and V projections only', () => {
    const x = [{ name: 'x', shape: [1, 4, 8] as number[] }];
    const s = 4;
    const h = 8;
    const mha = net(x, [{ kind: 'attention', name: 'a', heads: 2 }]);
    expect(totalMacs(mha)).toBe(4 * s * h * h + 2 * s * s * h); // 1024 + 256
    // GQA: 4 query heads of width 2 over 2 KV heads: K and V project to 2·2 = 4 features.
    const gqa = net(x, [{ kind: 'attention', name: 'a', heads: 4, kvHeads: 2 }]);
    expect(totalMacs(gqa)).toBe(2 * s * h * h + 2 * s * h * 4 + 2 * s * s * h);
    const mqa = net(x, [{ kind: 'attention', name: 'a', heads: 4, kvHeads: 1 }]);
    expect(totalMacs(mqa)).toBe(2 * s * h * h + 2 * s * h * 2 + 2 * s * s * h);
    expect(() => net(x, [{ kind: 'attention', name: 'a', heads: 4, kvHeads: 3 }])).toThrow(/layer a: heads 4 must be a multiple of kvHeads 3/);
  });

  it('causal attention skips the key blocks above the diagonal: 2 query blocks of 2 see 2 and 4 keys', () => {
    const b = new NetworkBuilder('c', 'int16');
    const x = b.input('x', [1, 4, 8]);
    attention(b, 'a', x, { heads: 2, causal: true, causalBlock: 2 });
    const m = macsByLayer(b.build());
    // scores and context: heads·d·Σ queries·keys = 2·4·(2·2 + 2·4) each, against 2·4·16 dense.
    expect(m.get('a.scores[0]')! + m.get('a.scores[1]')!).toBe(2 * 4 * (2 * 2 + 2 * 4));
    expect(m.get('a.context[0]')! + m.get('a.context[1]')!).toBe(96);
  });

  it('swiglu and gated MLPs: three s·h·f products; a plain MLP two', () => {
    const x = [{ name: 'x', shape: [1, 4, 8] as number[] }];
    expect(totalMacs(net(x, [{ kind: 'swiglu', name: 'm', hidden: 16 }]))).toBe(3 * 4 * 8 * 16);
    expect(totalMacs(net(x, [{ kind: 'mlp', name: 'm', hidden: 16, activation: 'gelu' }]))).toBe(2 * 4 * 8 * 16);
  });

  it('embedding, norms, rotary, dropout and activations are vector ops with no MACs; embedding appends dim', () => {
    const n = net(
      [{ name: 'ids', shape: [2, 5] }],
      [
        { kind: 'embedding', name: 'e', vocab: 100, dim: 8 },
        { kind: 'layernorm', name: 'ln' },
        { kind: 'rmsnorm', name: 'rms' },
        { kind: 'rotary', name: 'rope' },
        { kind: 'dropout', name: 'drop', p: 0.1 },
        { kind: 'silu', name: 'act' },
      ],
    );
    expect(n.tensors.get('e')!.shape).toEqual([2, 5, 8]);
    const ops = inferenceOps(n);
    expect(ops.every((o) => o.kind === 'vector')).toBe(true);
    // Layer norm reads γ and β (2·8), RMS norm γ (8); the embedding reads one 8-wide row per id.
    const weights = (name: string) => {
      const op = ops.find((o) => o.name === name);
      return op?.kind === 'vector' ? op.reads.filter((r) => r.tensor === 'weights').reduce((a, r) => a + r.elements, 0) : -1;
    };
    expect([weights('ln'), weights('rms'), weights('e')]).toEqual([16, 8, 2 * 5 * 8]);
  });

  it('split, slice and reshape are views (no op); concat copies; a slice feeds a matmul with its own elements', () => {
    const n = net(
      [{ name: 'x', shape: [1, 4, 12] }],
      [
        { kind: 'split', name: 'qkv', axis: -1, sizes: [4, 4, 4] },
        { kind: 'slice', name: 'k', input: 'qkv.1', axis: 1, start: 0, end: 2 },
        { kind: 'matmul', name: 'scores', inputs: ['qkv.0', 'k'], transB: true },
        { kind: 'concat', name: 'cat', inputs: ['qkv.0', 'qkv.2'], axis: 2 },
        { kind: 'reshape', name: 'flat', shape: [1, 32] },
      ],
    );
    expect(macsByLayer(n).get('scores')).toBe(4 * 2 * 4);
    expect(n.tensors.get('cat')!.shape).toEqual([1, 4, 8]);
    expect(inferenceOps(n).map((o) => o.name)).toEqual(['scores', 'cat']);
    expect(tensorElements(n.tensors.get('flat')!)).toBe(32);
  });

  it('repeat stamps a block with prefixed names; $in is the iteration input', () => {
    const n = loadWorkload(`${FIXTURES}tiny-gpt.yaml`, OPTS);
    const s = 16;
    const h = 64;
    // Per block: q and o (s·h²), k and v at 2 KV heads of 16 (s·h·32 each), scores and context (s²·h), SwiGLU 3·s·h·128.
    const block = 2 * s * h * h + 2 * s * h * 32 + 2 * s * s * h + 3 * s * h * 128;
    expect(totalMacs(n)).toBe(2 * block + s * h * 1000);
    expect(n.layers.some((l) => l.name === 'block.1.attn.q')).toBe(true);
    expect(totalMacs(loadWorkload(`${FIXTURES}tiny-gpt.yaml`, { ...OPTS, seqLen: 32 }))).toBeGreaterThan(totalMacs(n));
  });

  it('JSON network files load too (told from a Timeloop problem by their layers list)', () => {
    expect(totalMacs(loadWorkload(`${FIXTURES}tiny-gpt.json`, { ...OPTS, batch: 2 }))).toBe(2 * 3 * (5 * 7 + 7 * 5));
  });

  it('bad files fail in one line naming the field or the layer', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(TrimUserError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => net([{ name: 'x', shape: [2, 3] }], [{ kind: 'linear', name: 'fc', input: 'y', out: 3 }]))).toMatch(/layer fc: input "y" is not an input or an earlier layer/);
    expect(err(() => net([{ name: 'x', shape: ['seq', 3] }], [{ kind: 'linear', name: 'fc', out: 3 }]))).toMatch(/size "seq" needs the sequence length/);
    expect(err(() => net([{ name: 'x', shape: [2, 3] }], [{ kind: 'einsum', name: 'e', inputs: ['x'], dims: { i: 2, j: 4 }, axes: ['i j'], weight: 'j', out: 'i' }]))).toMatch(/layer e: input "x" has 6 elements but its axes "i j" index 8/);
    expect(err(() => net([{ name: 'x', shape: [2, 3] }], [{ kind: 'split', name: 's', axis: 1, sizes: [1, 1] }]))).toMatch(/sizes 1\+1 = 2 do not add up/);
  });
});

describe('transformer zoo (MACs from the published shapes)', () => {
  it('vit-b16 at 224×224: patch embedding 196·768·3·256, 12·(12·197·768² + 2·197²·768), head 768·1000 = 17,563,828,224', () => {
    const n = loadWorkload('vit-b16', OPTS);
    expect(macsByLayer(n).get('patch-embed')).toBe(196 * 768 * 3 * 256);
    expect(totalMacs(n)).toBe(196 * 768 * 3 * 256 + 12 * (12 * 197 * 768 ** 2 + 2 * 197 ** 2 * 768) + 768 * 1000);
    expect(totalMacs(n)).toBe(17_563_828_224);
  });

  it('gpt2-small: --seq scales the products, and more than 1024 tokens is refused naming --seq', () => {
    const s = 64;
    expect(totalMacs(loadWorkload('gpt2-small', { ...OPTS, seqLen: s }))).toBe(12 * (12 * s * 768 ** 2 + 2 * s * s * 768) + s * 768 * 50257);
    expect(() => loadWorkload('gpt2-small', { ...OPTS, seqLen: 1025 })).toThrow(/at most 1024 tokens/);
  });

  it('causal gpt2-small at 256 tokens: two 128-token query blocks see 128 and 256 keys (3/4 of the dense scores)', () => {
    const s = 256;
    const dense = totalMacs(loadWorkload('gpt2-small', { ...OPTS, seqLen: s }));
    const causal = totalMacs(loadWorkload('gpt2-small', { ...OPTS, seqLen: s, causal: true }));
    expect(dense - causal).toBe(12 * 2 * 768 * (s * s - 128 * (128 + 256)));
  });
});

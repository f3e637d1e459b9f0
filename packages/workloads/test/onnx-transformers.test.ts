import { inferenceOps, TrimUserError, type Network } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNetworkFile } from '../src/network/build.js';
import { networkFileSchema } from '../src/network/schema.js';
import { loadOnnx } from '../src/onnx/index.js';
import { OnnxModelBuilder } from './onnx-fixtures.js';
import { gpt2Onnx, llamaOnnx, vitOnnx, type DecoderDims } from './onnx-transformer-fixtures.js';

const macs = (net: Network) => inferenceOps(net).reduce((a, op) => a + (op.kind === 'mac' ? op.macs : 0), 0);
const macsOf = (net: Network, layer: string) => inferenceOps(net).reduce((a, op) => a + (op.kind === 'mac' && op.layer === layer ? op.macs : 0), 0);
const load = (bytes: Uint8Array, batch = 1) => loadOnnx(bytes, { batch, precision: 'int16' });
const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('ONNX: the done-when model (depthwise + pointwise convs, Gemm, batched rank-4 attention MatMuls)', () => {
  // N images of C×S×S → depthwise 3×3 → pointwise to E channels → S² tokens of E features → fused QKV Gemm → heads
  // → Q·Kᵀ and A·V per head (rank 4) → output Gemm.
  const [N, C, S, E, HEADS] = [2, 16, 8, 32, 4];
  const T = S * S;
  const DH = E / HEADS;
  function model(): Uint8Array {
    const m = new OnnxModelBuilder('conv-attention');
    const x = m.input('x', ['N', C, S, S]);
    let t = m.node('Conv', [x, m.weight('dw.w', [C, 1, 3, 3])], { group: C, kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'depthwise');
    t = m.node('Relu', [t], {}, 'relu');
    t = m.node('Conv', [t, m.weight('pw.w', [E, C, 1, 1]), m.weight('pw.b', [E])], { kernel_shape: [1, 1] }, 'pointwise');
    t = m.node('Transpose', [m.node('Reshape', [t, m.ints('tokens', [N, E, T])], {}, 'to_tokens')], { perm: [0, 2, 1] }, 'tokens_first');
    const qkv = m.node('Reshape', [m.node('Gemm', [m.node('Reshape', [t, m.ints('rows', [N * T, E])], {}, 'rows'), m.weight('qkv.w', [3 * E, E]), m.weight('qkv.b', [3 * E])], { transB: 1 }, 'qkv'), m.ints('unrows', [N, T, 3 * E])], {}, 'unrows');
    const [q, k, v] = m.multi('Split', [qkv], 3, { axis: 2 }, 'split');
    const heads = (u: string, perm: number[]) => m.node('Transpose', [m.node('Reshape', [u, m.ints(`${u}.h`, [N, T, HEADS, DH])])], { perm });
    let s = m.node('MatMul', [heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1])], {}, 'scores');
    s = m.node('Softmax', [m.node('Mul', [s, m.weight('scale', [])], {}, 'scale')], { axis: -1 }, 'softmax');
    const ctx = m.node('MatMul', [s, heads(v, [0, 2, 1, 3])], {}, 'context');
    const merged = m.node('Reshape', [m.node('Transpose', [ctx], { perm: [0, 2, 1, 3] }), m.ints('merged', [N * T, E])], {}, 'merge');
    m.output(m.node('Gemm', [merged, m.weight('out.w', [E, E])], { transB: 1 }, 'out'));
    return m.encode();
  }

  it('imports with exact MACs: N·S²·(9·C + C·E + 3·E² + 2·T·E + E²)', () => {
    const net = load(model(), N);
    expect(macsOf(net, 'depthwise')).toBe(N * C * S * S * 9);
    expect(macsOf(net, 'pointwise')).toBe(N * E * C * S * S);
    expect(macsOf(net, 'qkv')).toBe(N * T * E * 3 * E);
    expect(macsOf(net, 'scores')).toBe(N * HEADS * T * T * DH);
    expect(macsOf(net, 'context')).toBe(N * HEADS * T * DH * T);
    expect(macsOf(net, 'out')).toBe(N * T * E * E);
    // By hand at N = 2, C = 16, S = 8, E = 32, 4 heads: 18,432 + 65,536 + 393,216 + 2·262,144 + 131,072.
    expect(macs(net)).toBe(1_132_544);
    expect(macs(net)).toBe(N * S * S * (9 * C + C * E + 3 * E * E + 2 * T * E + E * E));
    expect(net.layers.find((l) => l.name === 'depthwise')).toMatchObject({ kind: 'conv2d', params: { groups: C } });
    expect(net.layers.find((l) => l.name === 'scores')?.kind).toBe('einsum');
  });
});

describe('ONNX MatMul of any rank with NumPy broadcasting (einsum layers)', () => {
  const product = (a: readonly number[], b: readonly number[] | { weight: readonly number[] }) => {
    const m = new OnnxModelBuilder('mm');
    const x = m.input('a', a);
    const y = 'weight' in b ? m.weight('w', b.weight) : m.input('b', b);
    m.output(m.node('MatMul', [x, y], {}, 'mm'));
    return load(m.encode());
  };

  it('a plain rank-4 activation product 1×4×16×32 · 1×4×32×16: 4·16·16·32 MACs', () => {
    const net = product([1, 4, 16, 32], [1, 4, 32, 16]);
    expect(macs(net)).toBe(4 * 16 * 16 * 32);
    expect(net.tensors.get(net.layers[net.layers.length - 1].output)?.shape).toEqual([1, 4, 16, 16]);
  });

  it('rank 5, and grouped-query attention by broadcasting K over the query heads of its group', () => {
    expect(macs(product([2, 3, 4, 8, 16], [2, 3, 4, 16, 8]))).toBe(2 * 3 * 4 * 8 * 8 * 16);
    // Q [1, kv 2, group 4, L 16, dh 8] · Kᵀ [1, 2, 1, 8, 16]: every query head still scores L² pairs of dh.
    const gqa = product([1, 2, 4, 16, 8], [1, 2, 1, 8, 16]);
    expect(macs(gqa)).toBe(8 * 16 * 16 * 8);
    const layer = gqa.layers.find((l) => l.kind === 'einsum');
    expect(layer?.kind === 'einsum' && layer.params.axes).toEqual(['x1 x2 m k', 'x1 k n']);
  });

  it('activation × activation of lower rank broadcasts; activation × a rank-3 initializer broadcasts its batch', () => {
    expect(macs(product([2, 4, 8, 16], [16, 8]))).toBe(2 * 4 * 8 * 8 * 16);
    const w = product([2, 8, 16], { weight: [2, 16, 4] });
    expect(macs(w)).toBe(2 * 8 * 4 * 16);
    expect(w.tensors.get('mm')?.shape).toEqual([2, 8, 4]);
    // A rank-2 weight is a linear layer over the last dim: 3·5·7 rows of 16 → 4.
    expect(macs(product([3, 5, 7, 16], { weight: [16, 4] }))).toBe(3 * 5 * 7 * 16 * 4);
  });

  it('refuses products that do not broadcast, naming the node', () => {
    expect(() => product([2, 4, 8, 16], [3, 16, 8])).toThrow(/ONNX node mm \(MatMul\): 2×4×8×16 · 3×16×8: batch dimensions do not broadcast/);
    expect(() => product([2, 8, 16], { weight: [3, 16, 4] })).toThrow(/ONNX node mm \(MatMul\): batch dims 2 and 3 do not broadcast/);
  });
});

describe('ONNX operators of transformer exports', () => {
  it('Gather picks a token of an activation (a view), Slice and Concat onto a graph input (a KV-cache append), Cast, Expand', () => {
    const m = new OnnxModelBuilder('ops');
    const x = m.input('x', [2, 8, 16]);
    const past = m.input('past', [2, 4, 16]);
    const cls = m.node('Gather', [x, m.intTensor('zero', [], [0])], { axis: 1 }, 'cls');
    const head = m.node('Gemm', [m.node('Cast', [cls], { to: 10 }, 'cast'), m.weight('w', [16, 3])], {}, 'classifier');
    const half = m.node('Slice', [x, m.ints('s', [0]), m.ints('e', [4]), m.ints('a', [1])], {}, 'first_half');
    const cache = m.node('Concat', [past, half], { axis: 1 }, 'append');
    const wide = m.node('Expand', [m.node('Unsqueeze', [cache, m.ints('ax', [1])], {}, 'unsq'), m.ints('shape', [2, 3, 8, 16])], {}, 'expand');
    m.output(head);
    m.output(m.node('Relu', [wide], {}, 'relu'));
    const net = load(m.encode(), 2);
    expect(net.tensors.get('cls')?.shape).toEqual([2, 16]);
    expect(macsOf(net, 'classifier')).toBe(2 * 16 * 3);
    expect(net.layers.find((l) => l.name === 'first_half')).toMatchObject({ kind: 'view', params: { op: 'slice' } });
    expect(net.tensors.get('append')).toMatchObject({ shape: [2, 8, 16], role: 'kv-cache' });
    expect(net.layers.find((l) => l.name === 'append')).toMatchObject({ kind: 'eltwise', params: { op: 'append' } });
    expect(net.tensors.get('expand')?.shape).toEqual([2, 3, 8, 16]);
    expect(macs(net)).toBe(2 * 16 * 3);
  });

  it('a decode step: K/V appended to the past cache inputs, GQA scores as a rank-5 broadcast product', () => {
    const [D, H, KV, DH, PAST] = [32, 4, 2, 8, 15];
    const G = H / KV;
    const m = new OnnxModelBuilder('decode');
    const x = m.input('x', [1, 1, D]);
    const cache = (u: string, kind: string) => {
      const rows = m.node('Transpose', [m.node('Reshape', [m.node('MatMul', [x, m.weight(`${kind}.w`, [D, KV * DH])], {}, `${kind}_proj`), m.ints(`${kind}.s`, [1, 1, KV, DH])])], { perm: [0, 2, 1, 3] });
      return m.node('Concat', [m.input(u, [1, KV, PAST, DH]), rows], { axis: 2 }, `present_${kind}`);
    };
    const k = cache('past_key', 'k');
    const v = cache('past_value', 'v');
    const q = m.node('Reshape', [m.node('MatMul', [x, m.weight('q.w', [D, H * DH])], {}, 'q_proj'), m.ints('q.s', [1, KV, G, 1, DH])], {}, 'q_groups');
    const kT = m.node('Transpose', [m.node('Unsqueeze', [k, m.ints('k.ax', [2])])], { perm: [0, 1, 2, 4, 3] });
    const p = m.node('Softmax', [m.node('MatMul', [q, kT], {}, 'scores')], { axis: -1 }, 'softmax');
    m.output(m.node('MatMul', [p, m.node('Unsqueeze', [v, m.ints('v.ax', [2])])], {}, 'context'));
    const net = load(m.encode());
    // The new token attends to PAST + 1 keys in every query head: H·(PAST + 1)·DH MACs for the scores, as many for ·V.
    expect(macsOf(net, 'scores')).toBe(H * (PAST + 1) * DH);
    expect(macsOf(net, 'context')).toBe(H * (PAST + 1) * DH);
    expect(macs(net)).toBe(D * H * DH + 2 * D * KV * DH + 2 * H * (PAST + 1) * DH);
    for (const t of ['present_k', 'present_v']) expect(net.tensors.get(t)).toMatchObject({ shape: [1, KV, PAST + 1, DH], role: 'kv-cache' });
  });

  it('refuses every operator it does not map in ONE error, ReduceMean outside a norm pattern included', () => {
    const m = new OnnxModelBuilder('bad');
    const x = m.input('x', [1, 8, 16]);
    const pooled = m.node('ReduceMean', [x], { axes: [1], keepdims: 0 }, 'mean_pool');
    m.node('Sqrt', [pooled], {}, 'root');
    m.node('Erf', [x], {}, 'erf');
    m.node('Shape', [x], {}, 'shape');
    m.node('ReduceMean', [m.weight('c', [4, 4])], { axes: [0] }, 'folds');
    const err = errorOf(() => load(m.encode()));
    expect(err).toBeInstanceOf(TrimUserError);
    expect(err.message).toContain('unsupported operators: ReduceMean (mean_pool); Sqrt (root); Erf (erf); Shape (shape). ');
    expect(err.message).toMatch(/LayerNorm \(ReduceMean, Sub, Pow/);
    expect(err.message).not.toContain('folds');
  });

  it('folds mask and position arithmetic on constants (Range, ConstantOfShape, Trilu, Equal); refuses it on activations', () => {
    const m = new OnnxModelBuilder('masks');
    const L = 6;
    const x = m.input('x', [1, L, 16]);
    const scalar = (name: string, v: number) => m.node('Constant', [], { value_int: v }, name);
    const positions = m.node('Unsqueeze', [m.node('Range', [scalar('start', 0), scalar('limit', L), scalar('delta', 1)], {}, 'range'), m.ints('ax', [0])], {}, 'position_ids');
    const pos = m.node('Gather', [m.weight('wpe', [32, 16]), positions], {}, 'wpe');
    const h = m.node('Add', [x, pos], {}, 'add_positions');
    const scores = m.node('MatMul', [h, m.node('Transpose', [h], { perm: [0, 2, 1] }, 'hT')], {}, 'scores');
    const upper = m.node('Trilu', [m.node('ConstantOfShape', [m.ints('square', [L, L])], {}, 'ones'), scalar('one', 1)], { upper: 1 }, 'triu');
    const mask = m.node('Equal', [upper, scalar('zero', 0)], {}, 'causal');
    m.output(m.node('Where', [mask, scores, m.weight('neg_inf', [])], {}, 'masked'));
    const net = load(m.encode());
    expect(net.layers.map((l) => [l.name, l.kind])).toEqual([
      ['add_positions', 'eltwise'],
      ['add_positions.view', 'view'],
      ['scores', 'einsum'],
      ['scores.shape', 'view'],
      ['masked', 'eltwise'],
    ]);
    expect(macs(net)).toBe(L * L * 16);

    const bad = new OnnxModelBuilder('bad-mask');
    const y = bad.input('y', [1, 4]);
    bad.node('Equal', [y, bad.weight('z', [])], {}, 'data_mask');
    expect(() => load(bad.encode())).toThrow(/unsupported operators: Equal \(data_mask\)/);
  });

  it('reads an RMSNorm pattern only when its intermediates feed nothing else', () => {
    const rms = (leak: boolean) => {
      const m = new OnnxModelBuilder('rms');
      const x = m.input('x', [1, 8, 16]);
      const mean = m.node('ReduceMean', [m.node('Pow', [x, m.weight('two', [])], {}, 'pow')], { axes: [-1] }, 'mean');
      const std = m.node('Sqrt', [m.node('Add', [mean, m.weight('eps', [])], {}, 'eps')], {}, 'sqrt');
      m.output(m.node('Div', [x, std], {}, 'norm'));
      if (leak) m.output(m.node('Relu', [std], {}, 'leak'));
      return m.encode();
    };
    expect(load(rms(false)).layers.map((l) => [l.name, l.kind === 'norm' && l.params])).toEqual([['norm', { mode: 'rms' }]]);
    expect(() => load(rms(true))).toThrow(/unsupported operators: ReduceMean \(mean\); Sqrt \(sqrt\)/);
  });
});

describe('ONNX exports of the zoo transformer families import with the MACs of the same network in TRIM format', () => {
  it('GPT-2 (2 blocks): Gather embeddings, fused QKV Gemm + Split, Where causal mask, tied LM head', () => {
    const d: DecoderDims = { layers: 2, seq: 8, hidden: 32, heads: 4, kvHeads: 4, ffn: 128, vocab: 50 };
    const net = load(gpt2Onnx(d));
    const trim = buildNetworkFile(
      networkFileSchema.parse({
        network: 'gpt2-tiny',
        inputs: [{ name: 'tokens', shape: ['batch', 'seq'] }],
        layers: [
          { kind: 'embedding', name: 'wte', input: 'tokens', vocab: d.vocab, dim: d.hidden },
          {
            repeat: {
              name: 'h',
              count: d.layers,
              layers: [
                { kind: 'layernorm', name: 'ln_1' },
                { kind: 'attention', name: 'attn', heads: d.heads },
                { kind: 'add', name: 'res1', inputs: ['$in', 'attn'] },
                { kind: 'layernorm', name: 'ln_2' },
                { kind: 'mlp', name: 'mlp', hidden: d.ffn, activation: 'gelu' },
                { kind: 'add', name: 'res2', inputs: ['res1', 'mlp'] },
              ],
            },
          },
          { kind: 'layernorm', name: 'ln_f' },
          { kind: 'linear', name: 'lm_head', out: d.vocab, tiedTo: 'wte' },
        ],
      }),
      { batch: 1, precision: 'int16', seqLen: d.seq },
    );
    const { seq: L, hidden: D, vocab: V } = d;
    // Per block 12·L·D² (QKV 3, output 1, MLP 8) + 2·L²·D (scores, context); the LM head L·D·V.
    const closed = d.layers * (12 * L * D * D + 2 * L * L * D) + L * D * V;
    expect(closed).toBe(217_600);
    expect(macs(net)).toBe(closed);
    expect(macs(trim)).toBe(closed);
    // The LM head reuses the token table; the causal mask is element-wise; both LayerNorm forms are one norm with γ, β.
    expect(net.layers.find((l) => l.name === 'lm_head')).toMatchObject({ kind: 'einsum', params: { tiedTo: 'wte' } });
    expect(net.layers.find((l) => l.name === 'h.0.attn.where')?.kind).toBe('eltwise');
    const norms = net.layers.filter((l) => l.kind === 'norm');
    expect(norms.map((l) => [l.name, l.kind === 'norm' && l.params])).toEqual(
      ['h.0.ln_1', 'h.0.ln_2', 'h.1.ln_1', 'h.1.ln_2', 'ln_f'].map((n) => [n, { mode: 'layer', affineFeatures: D }]),
    );
  });

  it('LLaMA (2 blocks): RMSNorm as Pow/ReduceMean/Sqrt/Div, RoPE, GQA K/V by Expand/Reshape, SwiGLU', () => {
    const d: DecoderDims = { layers: 2, seq: 8, hidden: 32, heads: 4, kvHeads: 2, ffn: 64, vocab: 50 };
    const net = load(llamaOnnx(d));
    const trim = buildNetworkFile(
      networkFileSchema.parse({
        network: 'llama-tiny',
        inputs: [{ name: 'tokens', shape: ['batch', 'seq'] }],
        layers: [
          { kind: 'embedding', name: 'embed', input: 'tokens', vocab: d.vocab, dim: d.hidden },
          {
            repeat: {
              name: 'layers',
              count: d.layers,
              layers: [
                { kind: 'rmsnorm', name: 'ln1' },
                { kind: 'attention', name: 'attn', heads: d.heads, kvHeads: d.kvHeads, rotary: true },
                { kind: 'add', name: 'res1', inputs: ['$in', 'attn'] },
                { kind: 'rmsnorm', name: 'ln2' },
                { kind: 'swiglu', name: 'mlp', hidden: d.ffn },
                { kind: 'add', name: 'res2', inputs: ['res1', 'mlp'] },
              ],
            },
          },
          { kind: 'rmsnorm', name: 'norm' },
          { kind: 'linear', name: 'lm_head', out: d.vocab },
        ],
      }),
      { batch: 1, precision: 'int16', seqLen: d.seq },
    );
    const { seq: L, hidden: D, heads: H, kvHeads: KV, ffn: F, vocab: V } = d;
    const dh = D / H;
    // Per block: Q and O L·D·H·dh each, K and V L·D·KV·dh each, scores and context H·L²·dh each, SwiGLU 3·L·D·F.
    const closed = d.layers * (2 * L * D * H * dh + 2 * L * D * KV * dh + 2 * H * L * L * dh + 3 * L * D * F) + L * D * V;
    expect(closed).toBe(168_448);
    expect(macs(net)).toBe(closed);
    expect(macs(trim)).toBe(closed);
    expect(macsOf(net, 'layers.0.k_proj')).toBe(L * D * KV * dh);
    const norms = net.layers.filter((l) => l.kind === 'norm');
    expect(norms.map((l) => l.kind === 'norm' && l.params)).toEqual(Array(2 * d.layers + 1).fill({ mode: 'rms', affineFeatures: D }));
    // No Pow, ReduceMean, Sqrt or Reciprocal survives as a layer of its own.
    expect(net.layers.some((l) => /\/(pow|mean|sqrt|rsqrt|eps)$/.test(l.name))).toBe(false);
  });
});

describe('ONNX export of a ViT', () => {
  it('patch Conv, class token Concat (a one-row parameter table, as the zoo), Erf GELU, classifier on token 0', () => {
    const d = { layers: 1, image: 32, patch: 8, hidden: 32, heads: 4, mlp: 128, classes: 10 };
    const net = load(vitOnnx(d));
    const patches = (d.image / d.patch) ** 2;
    const T = patches + 1;
    const D = d.hidden;
    // The zoo's ViT formula at these dims: patches·D·3·P² + layers·(12·T·D² + 2·T²·D) + D·classes.
    const closed = patches * D * 3 * d.patch ** 2 + d.layers * (12 * T * D * D + 2 * T * T * D) + D * d.classes;
    expect(closed).toBe(326_016);
    expect(macs(net)).toBe(closed);
    expect(net.layers.find((l) => l.name === 'cls_token')).toMatchObject({ kind: 'embedding', params: { vocab: 1, dim: D } });
    expect(net.tensors.get('tokens')?.shape).toEqual([1, T, D]);
    expect(net.layers.find((l) => l.name === 'layer.0.gelu')).toMatchObject({ kind: 'eltwise', params: { op: 'gelu' } });
  });
});

describe('ONNX import of corrupted transformer exports', () => {
  it('either imports or refuses with a TrimUserError, never another error (byte flips, property)', () => {
    const seeds = [
      gpt2Onnx({ layers: 1, seq: 4, hidden: 8, heads: 2, kvHeads: 2, ffn: 16, vocab: 10 }),
      llamaOnnx({ layers: 1, seq: 4, hidden: 8, heads: 2, kvHeads: 1, ffn: 16, vocab: 10 }),
      vitOnnx({ layers: 1, image: 8, patch: 4, hidden: 8, heads: 2, mlp: 16, classes: 3 }),
    ];
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (which, flips) => {
        const bytes = new Uint8Array(seeds[which]);
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        try {
          load(bytes);
        } catch (e) {
          expect(e, (e as Error).stack).toBeInstanceOf(TrimUserError);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});

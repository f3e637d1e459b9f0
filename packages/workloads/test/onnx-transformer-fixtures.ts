import { OnnxModelBuilder } from './onnx-fixtures.js';

/**
 * Small decoder stacks written node by node the way `torch.onnx.export` writes Hugging Face's GPT-2 and LLaMA
 * (fixed shapes, constant folding on): the operators, their order and their layouts, with tiny dimensions.
 */
export interface DecoderDims {
  readonly layers: number;
  readonly seq: number;
  readonly hidden: number;
  readonly heads: number;
  /** LLaMA: key/value heads (grouped-query attention). */
  readonly kvHeads: number;
  readonly ffn: number;
  readonly vocab: number;
}

/** Splits [1, L, n·dh] into heads and puts them before the tokens: [1, n, L, dh] (`keysT`: [1, n, dh, L]). */
function toHeads(m: OnnxModelBuilder, t: string, seq: number, n: number, dh: number, keysT = false): string {
  return m.node('Transpose', [m.node('Reshape', [t, m.ints(`${t}.heads`, [1, seq, n, dh])])], { perm: keysT ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

/** [1, n, L, dh] back to [1, L, n·dh]. */
function fromHeads(m: OnnxModelBuilder, t: string, seq: number, width: number): string {
  return m.node('Reshape', [m.node('Transpose', [t], { perm: [0, 2, 1, 3] }), m.ints(`${t}.merge`, [1, seq, width])]);
}

/** LayerNorm as opset < 17 writes it: ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β. */
function layerNormPrimitives(m: OnnxModelBuilder, x: string, d: number, name: string): string {
  const mean = m.node('ReduceMean', [x], { axes: [-1], keepdims: 1 }, `${name}/mean`);
  const centred = m.node('Sub', [x, mean], {}, `${name}/sub`);
  const sq = m.node('Pow', [centred, m.weight(`${name}.two`, [])], {}, `${name}/pow`);
  const variance = m.node('ReduceMean', [sq], { axes: [-1], keepdims: 1 }, `${name}/var`);
  const std = m.node('Sqrt', [m.node('Add', [variance, m.weight(`${name}.eps`, [])], {}, `${name}/eps`)], {}, `${name}/sqrt`);
  const y = m.node('Div', [centred, std], {}, `${name}/div`);
  return m.node('Add', [m.node('Mul', [y, m.weight(`${name}.g`, [d])], {}, `${name}/gamma`), m.weight(`${name}.b`, [d])], {}, name);
}

/** HF's `NewGELUActivation` as exported before opset 20: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
function geluNew(m: OnnxModelBuilder, x: string, name: string): string {
  const cube = m.node('Mul', [m.node('Pow', [x, m.weight(`${name}.three`, [])], {}, `${name}/pow`), m.weight(`${name}.c`, [])], {}, `${name}/cube`);
  const inner = m.node('Mul', [m.node('Add', [x, cube], {}, `${name}/add`), m.weight(`${name}.sqrt2pi`, [])], {}, `${name}/inner`);
  const t = m.node('Add', [m.node('Tanh', [inner], {}, `${name}/tanh`), m.weight(`${name}.one`, [])], {}, `${name}/one`);
  return m.node('Mul', [m.node('Mul', [x, t], {}, `${name}/mul`), m.weight(`${name}.half`, [])], {}, name);
}

/**
 * GPT-2 (HF `GPT2LMHeadModel`): token and position embeddings (Gather), pre-LN blocks with the fused QKV Conv1D
 * (Reshape, Gemm, Reshape, Split), per-head Q·Kᵀ, the 1/√dh scale (Div), the causal mask (Slice of the `bias` buffer,
 * Where), Softmax, ·V, the output projection, the MLP with GELU, and the LM head tied to the token embedding
 * (MatMul by its transpose). Block 0 uses LayerNormalization (opset ≥ 17) and Gelu (opset 20), block 1 LayerNorm
 * as primitives and the tanh GELU as Pow/Mul/Add/Tanh.
 */
export function gpt2Onnx(d: DecoderDims): Uint8Array {
  const m = new OnnxModelBuilder('gpt2-tiny', 17);
  const { seq: L, hidden: D, heads: H } = d;
  const dh = D / H;
  const ids = m.input('input_ids', [1, L]);
  const wte = m.weight('transformer.wte.weight', [d.vocab, D]);
  const tok = m.node('Gather', [wte, ids], { axis: 0 }, 'wte');
  const pos = m.node('Gather', [m.weight('transformer.wpe.weight', [4 * L, D]), m.intTensor('position_ids', [1, L], [...Array(L).keys()])], { axis: 0 }, 'wpe');
  let h = m.node('Add', [tok, pos], {}, 'embed_add');
  const causal = m.weight('h.attn.bias', [1, 1, 4 * L, 4 * L]);
  const ends = m.ints('mask.ends', [L, L]);
  for (let l = 0; l < d.layers; l++) {
    const p = `h.${l}`;
    const ln1 = l === 0 ? m.node('LayerNormalization', [h, m.weight(`${p}.ln_1.g`, [D]), m.weight(`${p}.ln_1.b`, [D])], { axis: -1 }, `${p}.ln_1`) : layerNormPrimitives(m, h, D, `${p}.ln_1`);
    const flat = m.node('Reshape', [ln1, m.ints(`${p}.flat`, [-1, D])], {}, `${p}.attn.flat`);
    const qkv2 = m.node('Gemm', [flat, m.weight(`${p}.c_attn.w`, [D, 3 * D]), m.weight(`${p}.c_attn.b`, [3 * D])], {}, `${p}.attn.c_attn`);
    const qkv = m.node('Reshape', [qkv2, m.ints(`${p}.unflat`, [1, L, 3 * D])], {}, `${p}.attn.unflat`);
    const [q, k, v] = m.multi('Split', [qkv, m.ints(`${p}.split`, [D, D, D])], 3, { axis: 2 }, `${p}.attn.split`);
    let s = m.node('MatMul', [toHeads(m, q, L, H, dh), toHeads(m, k, L, H, dh, true)], {}, `${p}.attn.scores`);
    s = m.node('Div', [s, m.weight(`${p}.sqrt_dh`, [])], {}, `${p}.attn.scale`);
    const mask = m.node('Slice', [causal, m.ints(`${p}.mask.starts`, [0, 0]), ends, m.ints(`${p}.mask.axes`, [2, 3])], {}, `${p}.attn.mask`);
    s = m.node('Where', [mask, s, m.weight(`${p}.masked_bias`, [])], {}, `${p}.attn.where`);
    const probs = m.node('Softmax', [s], { axis: -1 }, `${p}.attn.softmax`);
    const ctx = m.node('MatMul', [probs, toHeads(m, v, L, H, dh)], {}, `${p}.attn.context`);
    const o = m.node('Add', [m.node('MatMul', [fromHeads(m, ctx, L, D), m.weight(`${p}.c_proj.w`, [D, D])], {}, `${p}.attn.c_proj`), m.weight(`${p}.c_proj.b`, [D])], {}, `${p}.attn.c_proj.bias`);
    h = m.node('Add', [h, o], {}, `${p}.res1`);
    const ln2 = m.node('LayerNormalization', [h, m.weight(`${p}.ln_2.g`, [D]), m.weight(`${p}.ln_2.b`, [D])], { axis: -1 }, `${p}.ln_2`);
    let f = m.node('Add', [m.node('MatMul', [ln2, m.weight(`${p}.c_fc.w`, [D, d.ffn])], {}, `${p}.mlp.c_fc`), m.weight(`${p}.c_fc.b`, [d.ffn])], {}, `${p}.mlp.c_fc.bias`);
    f = l === 0 ? m.node('Gelu', [f], { approximate: 'tanh' }, `${p}.mlp.gelu`) : geluNew(m, f, `${p}.mlp.gelu`);
    f = m.node('Add', [m.node('MatMul', [f, m.weight(`${p}.mlp.proj.w`, [d.ffn, D])], {}, `${p}.mlp.c_proj`), m.weight(`${p}.mlp.proj.b`, [D])], {}, `${p}.mlp.c_proj.bias`);
    h = m.node('Add', [h, f], {}, `${p}.res2`);
  }
  const lnf = m.node('LayerNormalization', [h, m.weight('ln_f.g', [D]), m.weight('ln_f.b', [D])], { axis: -1 }, 'ln_f');
  m.output(m.node('MatMul', [lnf, m.node('Transpose', [wte], { perm: [1, 0] }, 'wte.T')], {}, 'lm_head'));
  return m.encode();
}

/**
 * RMSNorm as HF's `LlamaRMSNorm` exports: Pow 2, ReduceMean (axes as an attribute, or as an input from opset 18),
 * Add ε, Sqrt, Reciprocal (or Div 1 by it), Mul by x, Mul by γ.
 */
function rmsNorm(m: OnnxModelBuilder, x: string, d: number, name: string, variant: 0 | 1): string {
  const sq = m.node('Pow', [x, m.weight(`${name}.two`, [])], {}, `${name}/pow`);
  const mean = variant === 0 ? m.node('ReduceMean', [sq], { axes: [-1], keepdims: 1 }, `${name}/mean`) : m.node('ReduceMean', [sq, m.ints(`${name}.axes`, [-1])], { keepdims: 1 }, `${name}/mean`);
  const std = m.node('Sqrt', [m.node('Add', [mean, m.weight(`${name}.eps`, [])], {}, `${name}/eps`)], {}, `${name}/sqrt`);
  const inv = variant === 0 ? m.node('Reciprocal', [std], {}, `${name}/rsqrt`) : m.node('Div', [m.weight(`${name}.one`, []), std], {}, `${name}/rsqrt`);
  const y = m.node('Cast', [m.node('Mul', [x, inv], {}, `${name}/mul`)], { to: 1 }, `${name}/cast`);
  return m.node('Mul', [m.weight(`${name}.weight`, [d]), y], {}, name);
}

/** Rotary embedding as HF writes it: x·cos + rotate_half(x)·sin, rotate_half = Concat(−x₂, x₁) of the two halves. */
function rotary(m: OnnxModelBuilder, x: string, seq: number, dh: number, name: string): string {
  const x1 = m.node('Slice', [x, m.ints(`${name}.s0`, [0]), m.ints(`${name}.e0`, [dh / 2]), m.ints(`${name}.ax0`, [-1])], {}, `${name}/x1`);
  const x2 = m.node('Slice', [x, m.ints(`${name}.s1`, [dh / 2]), m.ints(`${name}.e1`, [2 ** 62]), m.ints(`${name}.ax1`, [-1])], {}, `${name}/x2`);
  const rot = m.node('Concat', [m.node('Neg', [x2], {}, `${name}/neg`), x1], { axis: -1 }, `${name}/rotate_half`);
  const cos = m.node('Mul', [x, m.weight(`${name}.cos`, [1, 1, seq, dh])], {}, `${name}/cos`);
  const sin = m.node('Mul', [rot, m.weight(`${name}.sin`, [1, 1, seq, dh])], {}, `${name}/sin`);
  return m.node('Add', [cos, sin], {}, name);
}

/** K or V heads repeated for the query heads they serve (HF `repeat_kv`): Unsqueeze, Expand, Reshape. */
function repeatKv(m: OnnxModelBuilder, t: string, d: DecoderDims, name: string): string {
  const dh = d.hidden / d.heads;
  const groups = d.heads / d.kvHeads;
  const u = m.node('Unsqueeze', [t, m.ints(`${name}.axes`, [2])], {}, `${name}/unsqueeze`);
  const e = m.node('Expand', [u, m.ints(`${name}.shape`, [1, d.kvHeads, groups, d.seq, dh])], {}, `${name}/expand`);
  return m.node('Reshape', [e, m.ints(`${name}.merged`, [1, d.heads, d.seq, dh])], {}, name);
}

/**
 * LLaMA (HF `LlamaForCausalLM`): embedding Gather, RMSNorm as primitives, separate Q/K/V projections, RoPE, GQA K/V
 * repeated by Expand/Reshape, the additive causal mask, SwiGLU as MatMul·Sigmoid·Mul·MatMul, an untied LM head.
 */
export function llamaOnnx(d: DecoderDims): Uint8Array {
  const m = new OnnxModelBuilder('llama-tiny', 17);
  const { seq: L, hidden: D, heads: H, kvHeads: KV } = d;
  const dh = D / H;
  const ids = m.input('input_ids', [1, L]);
  let h = m.node('Gather', [m.weight('embed_tokens.weight', [d.vocab, D]), ids], { axis: 0 }, 'embed_tokens');
  const mask = m.weight('causal_mask', [1, 1, L, L]);
  for (let l = 0; l < d.layers; l++) {
    const p = `layers.${l}`;
    const x = rmsNorm(m, h, D, `${p}.input_layernorm`, l % 2 === 0 ? 0 : 1);
    const q = rotary(m, toHeads(m, m.node('MatMul', [x, m.weight(`${p}.q.w`, [D, H * dh])], {}, `${p}.q_proj`), L, H, dh), L, dh, `${p}.q_rope`);
    const k = rotary(m, toHeads(m, m.node('MatMul', [x, m.weight(`${p}.k.w`, [D, KV * dh])], {}, `${p}.k_proj`), L, KV, dh), L, dh, `${p}.k_rope`);
    const v = toHeads(m, m.node('MatMul', [x, m.weight(`${p}.v.w`, [D, KV * dh])], {}, `${p}.v_proj`), L, KV, dh);
    const kT = m.node('Transpose', [repeatKv(m, k, d, `${p}.repeat_k`)], { perm: [0, 1, 3, 2] }, `${p}.kT`);
    let s = m.node('MatMul', [q, kT], {}, `${p}.scores`);
    s = m.node('Add', [m.node('Mul', [s, m.weight(`${p}.scale`, [])], {}, `${p}.scale`), mask], {}, `${p}.mask`);
    const ctx = m.node('MatMul', [m.node('Softmax', [s], { axis: -1 }, `${p}.softmax`), repeatKv(m, v, d, `${p}.repeat_v`)], {}, `${p}.context`);
    h = m.node('Add', [h, m.node('MatMul', [fromHeads(m, ctx, L, D), m.weight(`${p}.o.w`, [H * dh, D])], {}, `${p}.o_proj`)], {}, `${p}.res1`);
    const y = rmsNorm(m, h, D, `${p}.post_attention_layernorm`, l % 2 === 0 ? 1 : 0);
    const gate = m.node('MatMul', [y, m.weight(`${p}.gate.w`, [D, d.ffn])], {}, `${p}.gate_proj`);
    const silu = m.node('Mul', [gate, m.node('Sigmoid', [gate], {}, `${p}.sigmoid`)], {}, `${p}.silu`);
    const up = m.node('MatMul', [y, m.weight(`${p}.up.w`, [D, d.ffn])], {}, `${p}.up_proj`);
    const down = m.node('MatMul', [m.node('Mul', [silu, up], {}, `${p}.gated`), m.weight(`${p}.down.w`, [d.ffn, D])], {}, `${p}.down_proj`);
    h = m.node('Add', [h, down], {}, `${p}.res2`);
  }
  m.output(m.node('MatMul', [rmsNorm(m, h, D, 'norm', 0), m.weight('lm_head.w', [D, d.vocab])], {}, 'lm_head'));
  return m.encode();
}

export interface VitDims {
  readonly layers: number;
  readonly image: number;
  readonly patch: number;
  readonly hidden: number;
  readonly heads: number;
  readonly mlp: number;
  readonly classes: number;
}

/**
 * ViT (HF `ViTForImageClassification`): the patch embedding as a strided Conv, flatten(2).transpose(1, 2), the class
 * token Expanded and Concatenated in front, learned positions added, pre-LN encoder blocks (Q/K/V MatMul + bias,
 * per-head products, GELU around Erf as HF writes it), the final LayerNorm and the classifier on token 0 (Gather).
 */
export function vitOnnx(d: VitDims): Uint8Array {
  const m = new OnnxModelBuilder('vit-tiny', 14);
  const { hidden: D, heads: H, patch: P } = d;
  const dh = D / H;
  const side = d.image / P;
  const T = side * side + 1;
  const px = m.input('pixel_values', [1, 3, d.image, d.image]);
  const conv = m.node('Conv', [px, m.weight('patch.w', [D, 3, P, P]), m.weight('patch.b', [D])], { kernel_shape: [P, P], strides: [P, P] }, 'patch_embed');
  const rows = m.node('Transpose', [m.node('Reshape', [conv, m.ints('flat2', [1, D, side * side])], {}, 'flatten2')], { perm: [0, 2, 1] }, 'patches');
  const cls = m.node('Expand', [m.weight('cls_token', [1, 1, D]), m.ints('cls.shape', [1, 1, D])], {}, 'cls_expand');
  let h = m.node('Add', [m.node('Concat', [cls, rows], { axis: 1 }, 'tokens'), m.weight('position_embeddings', [1, T, D])], {}, 'add_positions');
  const ln = (x: string, name: string) => m.node('LayerNormalization', [x, m.weight(`${name}.g`, [D]), m.weight(`${name}.b`, [D])], { axis: -1 }, name);
  const dense = (x: string, name: string, inF: number, out: number) => m.node('Add', [m.node('MatMul', [x, m.weight(`${name}.w`, [inF, out])], {}, name), m.weight(`${name}.b`, [out])], {}, `${name}.bias`);
  for (let l = 0; l < d.layers; l++) {
    const p = `layer.${l}`;
    const x = ln(h, `${p}.ln_before`);
    const heads = (t: string, keysT = false) => toHeads(m, t, T, H, dh, keysT);
    let s = m.node('MatMul', [heads(dense(x, `${p}.query`, D, D)), heads(dense(x, `${p}.key`, D, D), true)], {}, `${p}.scores`);
    s = m.node('Softmax', [m.node('Div', [s, m.weight(`${p}.sqrt_dh`, [])], {}, `${p}.scale`)], { axis: -1 }, `${p}.softmax`);
    const ctx = m.node('MatMul', [s, heads(dense(x, `${p}.value`, D, D))], {}, `${p}.context`);
    h = m.node('Add', [h, dense(fromHeads(m, ctx, T, D), `${p}.output`, D, D)], {}, `${p}.res1`);
    const f = dense(ln(h, `${p}.ln_after`), `${p}.fc1`, D, d.mlp);
    const half = m.node('Mul', [f, m.weight(`${p}.half`, [])], {}, `${p}.gelu/half`);
    const erf = m.node('Add', [m.node('Erf', [m.node('Div', [f, m.weight(`${p}.sqrt2`, [])], {}, `${p}.gelu/div`)], {}, `${p}.gelu/erf`), m.weight(`${p}.one`, [])], {}, `${p}.gelu/add`);
    h = m.node('Add', [h, dense(m.node('Mul', [half, erf], {}, `${p}.gelu`), `${p}.fc2`, d.mlp, D)], {}, `${p}.res2`);
  }
  const cls0 = m.node('Gather', [ln(h, 'layernorm'), m.intTensor('token0', [], [0])], { axis: 1 }, 'cls0');
  m.output(m.node('Gemm', [cls0, m.weight('classifier.w', [d.classes, D]), m.weight('classifier.b', [d.classes])], { transB: 1 }, 'classifier'));
  return m.encode();
}

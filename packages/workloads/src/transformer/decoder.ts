import { NetworkBuilder, TrimUserError, type Network, type Precision } from '@trim-dse/core';
import { attention, dense, mlp } from './layers.js';

/** A decoder-only transformer (GPT-2, LLaMA): its published hyper-parameters. */
export interface DecoderSpec {
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly norm: 'layer' | 'rms';
  readonly activation: 'gelu' | 'silu';
  readonly gated: boolean;
  /** Rotary position embedding (else a learned position table). */
  readonly rotary: boolean;
  /** The LM head reuses the token embedding table. */
  readonly tiedHead: boolean;
  /** Longest sequence the model was trained for (its position table / RoPE range). */
  readonly maxSeq: number;
  /** Dropout probability in training (embeddings, attention probabilities, residual branches); 0: none. */
  readonly dropout: number;
}

export interface DecoderOptions {
  readonly batch: number;
  readonly precision: Precision;
  /** Tokens of the forward pass (prefill, training); default 1024. */
  readonly seqLen?: number;
  /**
   * `decode`: one new token per sequence attends to `context` keys (the new one included) read from a KV cache.
   * `prefill`: the forward pass over the prompt, its keys and values written as the KV cache (role `kv-cache`).
   */
  readonly mode?: 'forward' | 'prefill' | 'decode';
  readonly context?: number;
  /** Skip the masked key blocks of causal attention (default dense). */
  readonly causal?: boolean;
  /** Build the model's dropout layers (the training phase asks for them; inference has none). */
  readonly dropout?: boolean;
}

/**
 * The network of a decoder-only transformer, pre-norm: x += attn(norm(x)); x += mlp(norm(x)); final norm; LM head.
 * Forward (`seqLen` tokens) or one decode step (1 token, `context` keys per layer from the KV cache).
 */
export function decoder(spec: DecoderSpec, o: DecoderOptions): Network {
  const decode = o.mode === 'decode';
  const seq = decode ? 1 : (o.seqLen ?? 1024);
  const context = decode ? (o.context ?? spec.maxSeq) : seq;
  if (context > spec.maxSeq || seq > spec.maxSeq) {
    throw new TrimUserError(`workload ${spec.name} takes at most ${spec.maxSeq} tokens, got ${Math.max(seq, context)}`, { field: decode ? '--context' : '--seq', fix: `use at most ${spec.maxSeq}` });
  }
  const suffix = decode ? `-decode-ctx${context}` : o.seqLen !== undefined ? `-seq${seq}` : '';
  const b = new NetworkBuilder(`${spec.name}${suffix}`, o.precision);
  const drop = o.dropout === true && spec.dropout > 0;
  const dropout = (name: string, x: string) => (drop ? b.eltwise(name, [x], 'dropout') : x);
  const d = spec.hidden / spec.heads;
  const tokens = b.input('tokens', [o.batch, seq]);
  let x = b.embedding('embed', tokens, spec.vocab, spec.hidden);
  if (!spec.rotary) {
    // Learned positions: the rows of the positions in use, added to the token embeddings.
    const positions = b.input('positions', [o.batch, seq]);
    x = b.add2('embed.add', x, b.embedding('embed.positions', positions, spec.maxSeq, spec.hidden));
  }
  x = dropout('embed.dropout', x);
  const written: string[] = [];
  for (let i = 0; i < spec.layers; i++) {
    const p = `h${i}`;
    const cache = decode
      ? { keys: b.input(`${p}.k.past`, [o.batch, context - 1, spec.kvHeads, d]), values: b.input(`${p}.v.past`, [o.batch, context - 1, spec.kvHeads, d]), tokens: context }
      : undefined;
    const a = attention(b, `${p}.attn`, b.norm(`${p}.norm1`, x, spec.norm, { affine: true }), {
      heads: spec.heads,
      kvHeads: spec.kvHeads,
      rotary: spec.rotary,
      ...(o.causal ? { causal: true } : {}),
      ...(cache ? { cache } : {}),
      ...(drop ? { dropout: true } : {}),
    });
    if (o.mode === 'prefill') written.push(a.keys, a.values);
    x = b.add2(`${p}.attn.add`, x, dropout(`${p}.attn.dropout`, a.out));
    const f = mlp(b, `${p}.mlp`, b.norm(`${p}.norm2`, x, spec.norm, { affine: true }), { hidden: spec.ffn, activation: spec.activation, gated: spec.gated });
    x = b.add2(`${p}.mlp.add`, x, dropout(`${p}.mlp.dropout`, f));
  }
  x = b.norm('norm', x, spec.norm, { affine: true });
  dense(b, 'lm-head', x, spec.vocab, spec.tiedHead ? 'embed' : undefined);
  return withRole(b.build(), written, 'kv-cache');
}

/**
 * Prefill: the keys and values each layer writes (after rotary) are the KV cache decode reads, so they take the role
 * `kv-cache` (as decode's appended cache): the JSON's `kvCache` reports their bytes, the scheduler places them.
 */
function withRole(net: Network, names: readonly string[], role: string): Network {
  if (names.length === 0) return net;
  const tensors = new Map(net.tensors);
  for (const n of names) {
    const t = tensors.get(n);
    if (t) tensors.set(n, { ...t, role });
  }
  return { ...net, tensors };
}

/** GPT-2 small (Radford et al. 2019; Hugging Face `gpt2` config): 12 layers, 768 wide, 12 heads, vocab 50,257. */
export const GPT2_SMALL: DecoderSpec = {
  name: 'gpt2-small',
  layers: 12,
  hidden: 768,
  heads: 12,
  kvHeads: 12,
  ffn: 3072,
  vocab: 50257,
  norm: 'layer',
  activation: 'gelu',
  gated: false,
  rotary: false,
  tiedHead: true,
  maxSeq: 1024,
  dropout: 0.1, // attn_pdrop = resid_pdrop = embd_pdrop = 0.1
};

/**
 * LLaMA 3 8B (Meta, "The Llama 3 Herd of Models" 2024, Table 3; Hugging Face `Meta-Llama-3-8B` config): 32 layers,
 * 4096 wide, 32 query heads over 8 KV heads, SwiGLU 14,336, RMSNorm, RoPE, vocab 128,256, 8,192 tokens.
 */
export const LLAMA3_8B: DecoderSpec = {
  name: 'llama3-8b',
  layers: 32,
  hidden: 4096,
  heads: 32,
  kvHeads: 8,
  ffn: 14336,
  vocab: 128256,
  norm: 'rms',
  activation: 'silu',
  gated: true,
  rotary: true,
  tiedHead: false,
  maxSeq: 8192,
  dropout: 0, // no dropout in pre-training
};

import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/** BERT-base (Devlin et al., NAACL 2019, §3): hidden 768, 12 heads, feed-forward 3072. */
export const BERT_BASE = { hidden: 768, heads: 12, ffn: 3072 } as const;

export interface BertOptions extends ZooOptions {
  /** Tokens per sequence (default 128). */
  readonly seqLen?: number;
}

/**
 * One BERT-base encoder block (post-layer-norm, as in the original BERT) over `seqLen` tokens; activations are
 * [batch, features, tokens, 1]. Q·Kᵀ and A·V are per-head batched matmuls; the 1/√d scaling is folded into the softmax.
 * MACs per sequence: 4·L·768² (Q, K, V, O) + 2·L²·768 (Q·Kᵀ, A·V) + 2·L·768·3072 (FFN), L = seqLen.
 */
export function bertBase(batch: number, options: BertOptions): Network {
  const seqLen = options.seqLen ?? 128;
  const { hidden, heads, ffn } = BERT_BASE;
  const b = new NetworkBuilder(seqLen === 128 ? 'bert-base' : `bert-base-seq${seqLen}`, options.precision);
  const x = b.input('tokens', [batch, hidden, seqLen, 1]);
  const q = b.linear('attention.query', x, hidden);
  const k = b.linear('attention.key', x, hidden);
  const v = b.linear('attention.value', x, hidden);
  const scores = b.matmul('attention.scores', q, k, { heads, transB: true });
  const probs = b.softmax('attention.softmax', scores);
  const context = b.matmul('attention.context', probs, v, { heads, transB: false });
  let y = b.linear('attention.output', context, hidden);
  y = b.add2('attention.add', y, x);
  const h = b.norm('attention.layernorm', y, 'layer');
  let f = b.linear('ffn.intermediate', h, ffn);
  f = b.eltwise('ffn.gelu', [f], 'gelu');
  f = b.linear('ffn.output', f, hidden);
  f = b.add2('ffn.add', f, h);
  b.norm('ffn.layernorm', f, 'layer');
  return b.build();
}

import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/** BERT-base (Devlin et al., NAACL 2019, §3): hidden 768, 12 heads, feed-forward 3072. */
export const BERT_BASE = { hidden: 768, heads: 12, ffn: 3072, layers: 12 } as const;

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
  const b = new NetworkBuilder(seqLen === 128 ? 'bert-base-block' : `bert-base-block-seq${seqLen}`, options.precision);
  bertBlock(b, '', b.input('tokens', [batch, BERT_BASE.hidden, seqLen, 1]));
  return b.build();
}

/**
 * The BERT-base encoder: 12 of those blocks (`encoder.<i>.attention.query`, …), without the embeddings (no MACs)
 * and the pooler. MACs: 12× the block's, 11,173,625,856 at 128 tokens.
 */
export function bertEncoder(batch: number, options: BertOptions): Network {
  const seqLen = options.seqLen ?? 128;
  const b = new NetworkBuilder(seqLen === 128 ? 'bert-base' : `bert-base-seq${seqLen}`, options.precision);
  let x = b.input('tokens', [batch, BERT_BASE.hidden, seqLen, 1]);
  for (let i = 0; i < BERT_BASE.layers; i++) x = bertBlock(b, `encoder.${i}.`, x);
  return b.build();
}

function bertBlock(b: NetworkBuilder, p: string, x: string): string {
  const { hidden, heads, ffn } = BERT_BASE;
  const q = b.linear(`${p}attention.query`, x, hidden);
  const k = b.linear(`${p}attention.key`, x, hidden);
  const v = b.linear(`${p}attention.value`, x, hidden);
  const scores = b.matmul(`${p}attention.scores`, q, k, { heads, transB: true });
  const probs = b.softmax(`${p}attention.softmax`, scores);
  const context = b.matmul(`${p}attention.context`, probs, v, { heads, transB: false });
  let y = b.linear(`${p}attention.output`, context, hidden);
  y = b.add2(`${p}attention.add`, y, x);
  const h = b.norm(`${p}attention.layernorm`, y, 'layer');
  let f = b.linear(`${p}ffn.intermediate`, h, ffn);
  f = b.eltwise(`${p}ffn.gelu`, [f], 'gelu');
  f = b.linear(`${p}ffn.output`, f, hidden);
  f = b.add2(`${p}ffn.add`, f, h);
  return b.norm(`${p}ffn.layernorm`, f, 'layer');
}

import { TrimUserError, type NetworkBuilder } from '@trim-dse/core';

/**
 * Transformer layers lowered onto core layers: every product an einsum over named dims (b batch, s query tokens,
 * t key tokens, c the reduced features, k/f output features, g KV heads, r query heads per KV head, d head width),
 * element-wise work as vector layers. Activations are `[b, s, features]`.
 */

/** `y[b,s,k] = Σ_c x[b,s,c] · W[k,c]`: a linear layer over the last axis (`tiedTo`: the weight is that layer's). */
export function dense(b: NetworkBuilder, name: string, x: string, outFeatures: number, tiedTo?: string): string {
  const [batch, seq, c] = rank3(b, name, x);
  return b.einsum(name, [x], {
    dims: [['b', batch], ['s', seq], ['k', outFeatures], ['c', c]],
    axes: ['b s c'],
    weightAxes: 'k c',
    out: 'b s k',
    ...(tiedTo !== undefined ? { tiedTo } : {}),
  });
}

export interface AttentionOptions {
  readonly heads: number;
  /** Key/value heads: = heads (MHA), fewer (GQA), 1 (MQA). Default heads. */
  readonly kvHeads?: number;
  /** Width of one head; default hidden / heads. */
  readonly headDim?: number;
  /** Rotary position embedding on queries and keys. */
  readonly rotary?: boolean;
  /**
   * Causal mask: skip the key blocks wholly above the diagonal (query blocks of `causalBlock` tokens attend to the
   * keys up to their block's end). Default false: dense scores, as most MAC counts are quoted.
   */
  readonly causal?: boolean;
  readonly causalBlock?: number;
  /**
   * Decode: the cache before this step (`[b, tokens − s, kvHeads, headDim]` inputs); the new keys and values are
   * appended and the scores read all `tokens`.
   */
  readonly cache?: { readonly keys: string; readonly values: string; readonly tokens: number };
  /** Dropout on the attention probabilities (training). */
  readonly dropout?: boolean;
}

/** Multi-head attention (MHA / GQA / MQA) with its Q, K, V and output projections; returns `[b, s, hidden]`. */
export function attention(b: NetworkBuilder, name: string, x: string, o: AttentionOptions): { out: string; keys: string; values: string } {
  const [batch, seq, hidden] = rank3(b, name, x);
  const heads = o.heads;
  const kvHeads = o.kvHeads ?? heads;
  const d = o.headDim ?? hidden / heads;
  check(name, Number.isInteger(d) && d > 0, `hidden ${hidden} does not split into ${heads} heads (give headDim)`);
  check(name, Number.isInteger(kvHeads) && kvHeads > 0 && heads % kvHeads === 0, `heads ${heads} must be a multiple of kvHeads ${kvHeads}`);
  const r = heads / kvHeads;
  let q = dense(b, `${name}.q`, x, heads * d);
  let k = dense(b, `${name}.k`, x, kvHeads * d);
  const v = dense(b, `${name}.v`, x, kvHeads * d);
  if (o.rotary) {
    q = b.eltwise(`${name}.q.rotary`, [q], 'rotary');
    k = b.eltwise(`${name}.k.rotary`, [k], 'rotary');
  }
  // Decode: the new keys and values are appended to the cache in place; the scores read the whole cache.
  const keys = o.cache ? b.append(`${name}.k.cache`, o.cache.keys, b.view(`${name}.k.rows`, k, 'reshape', [batch, seq, kvHeads, d]), 1) : k;
  const values = o.cache ? b.append(`${name}.v.cache`, o.cache.values, b.view(`${name}.v.rows`, v, 'reshape', [batch, seq, kvHeads, d]), 1) : v;
  const tokens = o.cache ? o.cache.tokens : seq;
  // Query heads h = g·r + j share KV head g (r = 1: MHA; g = 1: MQA); a dim of bound 1 is left out.
  const gr = (withS: string) => [...(kvHeads > 1 ? ['g'] : []), ...(r > 1 ? ['r'] : []), withS].join(' ');
  const headDims = (): Array<[string, number]> => [...(kvHeads > 1 ? [['g', kvHeads] as [string, number]] : []), ...(r > 1 ? [['r', r] as [string, number]] : [])];
  const blocks = o.causal ? causalBlocks(seq, tokens, o.causalBlock ?? 128) : [{ from: 0, queries: seq, keys: tokens }];
  const outs: string[] = [];
  blocks.forEach((blk, i) => {
    const tag = blocks.length === 1 ? '' : `[${i}]`;
    const qb = blocks.length === 1 ? q : b.view(`${name}.q${tag}`, q, 'slice', [batch, blk.queries, heads * d]);
    const kb = blocks.length === 1 ? keys : b.view(`${name}.k${tag}`, keys, 'slice', [batch, blk.keys, kvHeads * d]);
    const vb = blocks.length === 1 ? values : b.view(`${name}.v${tag}`, values, 'slice', [batch, blk.keys, kvHeads * d]);
    const dims: Array<[string, number]> = [['b', batch], ...headDims(), ['s', blk.queries], ['t', blk.keys], ['d', d]];
    const kvAxes = ['b t', kvHeads > 1 ? 'g' : '', 'd'].filter((s) => s !== '').join(' ');
    const qAxes = ['b s', kvHeads > 1 ? 'g' : '', r > 1 ? 'r' : '', 'd'].filter((s) => s !== '').join(' ');
    // scores[b,h,s,t] = Σ_d q[b,s,h,d] · k[b,t,g(h),d]: the keys take the weights side.
    const scores = b.einsum(`${name}.scores${tag}`, [qb, kb], { dims, axes: [qAxes, kvAxes], out: `b ${gr('s t')}` });
    const soft = b.softmax(`${name}.softmax${tag}`, scores);
    const probs = o.dropout ? b.eltwise(`${name}.probs.dropout${tag}`, [soft], 'dropout') : soft;
    // context[b,s,h,d] = Σ_t p[b,h,s,t] · v[b,t,g(h),d].
    outs.push(b.einsum(`${name}.context${tag}`, [probs, vb], { dims, axes: [`b ${gr('s t')}`, kvAxes], out: qAxes }));
  });
  const context = outs.length === 1 ? outs[0] : b.concat(`${name}.context`, outs, 1);
  const flat = b.view(`${name}.heads`, context, 'reshape', [batch, seq, heads * d]);
  return { out: dense(b, `${name}.o`, flat, hidden), keys, values };
}

/** Query blocks of `block` tokens; each attends to the keys up to its last query (the cache before it included). */
function causalBlocks(seq: number, tokens: number, block: number): Array<{ from: number; queries: number; keys: number }> {
  const past = tokens - seq;
  const out: Array<{ from: number; queries: number; keys: number }> = [];
  for (let from = 0; from < seq; from += block) {
    const queries = Math.min(block, seq - from);
    out.push({ from, queries, keys: past + from + queries });
  }
  return out;
}

export interface MlpOptions {
  readonly hidden: number;
  /** GELU (GPT-2, BERT) or SiLU (LLaMA). */
  readonly activation: 'gelu' | 'silu';
  /** Gated (SwiGLU when SiLU): down(act(gate(x)) ⊙ up(x)). */
  readonly gated?: boolean;
}

/** The feed-forward block: two (gated: three) dense layers around the activation. */
export function mlp(b: NetworkBuilder, name: string, x: string, o: MlpOptions): string {
  const width = rank3(b, name, x)[2];
  if (o.gated) {
    const gate = b.eltwise(`${name}.act`, [dense(b, `${name}.gate`, x, o.hidden)], o.activation);
    const up = dense(b, `${name}.up`, x, o.hidden);
    return dense(b, `${name}.down`, b.eltwise(`${name}.gated`, [gate, up], 'mul'), width);
  }
  const h = b.eltwise(`${name}.act`, [dense(b, `${name}.fc`, x, o.hidden)], o.activation);
  return dense(b, `${name}.proj`, h, width);
}

function rank3(b: NetworkBuilder, name: string, x: string): [number, number, number] {
  const s = b.shapeOf(x);
  check(name, s.length === 3, `input "${x}" has shape [${s.join(', ')}]; transformer layers read [batch, tokens, features]`);
  return [s[0], s[1], s[2]];
}

function check(layer: string, ok: boolean, why: string): void {
  if (!ok) throw new TrimUserError(`layer ${layer}: ${why}`, { field: layer });
}

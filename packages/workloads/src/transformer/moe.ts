import { TrimUserError, type NetworkBuilder } from '@trim-dse/core';
import { dense } from './layers.js';

export interface MoeOptions {
  /** E: expert MLPs (all of them are parameters). */
  readonly experts: number;
  /** k: experts each token is routed to. */
  readonly topK: number;
  /** Hidden width of one expert MLP. */
  readonly hidden: number;
  readonly activation: 'gelu' | 'silu';
  /** Gated expert MLPs (SwiGLU with SiLU: down(act(gate(x)) ⊙ up(x))), else up → act → down. */
  readonly gated: boolean;
  /** ≥ 1: each expert's row buffer is this many times its fair share; the extra rows are padded compute. */
  readonly capacityFactor: number;
}

/**
 * Rows each expert computes under the load-balance assumption: routing is uniform, so each of the E experts receives
 * T·k/E of the T tokens' T·k choices, rounded up, times the capacity factor (rounded up): ⌈T·k·cf / E⌉.
 */
export function expertRows(tokens: number, o: Pick<MoeOptions, 'experts' | 'topK' | 'capacityFactor'>): number {
  return Math.ceil((tokens * o.topK * o.capacityFactor) / o.experts);
}

/**
 * A mixture-of-experts feed-forward block on `[b, s, d]` (Shazeer et al. 2017; Mixtral: E 8, k 2, SwiGLU):
 * - router: a dense d → E layer (T·d·E MACs) and its softmax (the top-k choice of E scores per token is not modelled);
 * - dispatch: each token copied to its k experts' row buffers `[E, rows, d]` (a copy, no arithmetic; the padded
 *   rows are copied too), rows = `expertRows` (uniform load: every expert gets its share, none overflows);
 * - experts: einsums with an expert dim `e` over the buffers, weights `[E, …]` (all E experts' parameters), so
 *   MACs = E·rows·d·hidden·(3 gated, 2 plain) = k experts' worth per token when E divides T·k·cf;
 * - combine: each token's k expert outputs weighted by their gates and added: an einsum of k·d MACs per token.
 * MACs per token (E | T·k·cf): d·E + k·cf·d·hidden·(3 or 2) + k·d.
 */
export function moe(b: NetworkBuilder, name: string, x: string, o: MoeOptions): string {
  const s = b.shapeOf(x);
  const fail = (field: string, why: string): never => {
    throw new TrimUserError(`layer ${name}: ${why}`, { field: `${name}.${field}` });
  };
  if (s.length !== 3) fail('input', `input "${x}" has shape [${s.join(', ')}]; moe reads [batch, tokens, features]`);
  if (o.topK > o.experts) fail('topK', `topK ${o.topK} is more than the ${o.experts} experts`);
  if (!(o.capacityFactor >= 1)) fail('capacityFactor', `capacityFactor ${o.capacityFactor} is below 1 (experts would drop tokens)`);
  const [batch, seq, d] = s;
  const tokens = batch * seq;
  const e = o.experts;
  const rows = expertRows(tokens, o);
  const scores = b.softmax(`${name}.router.softmax`, dense(b, `${name}.router`, x, e));

  // Dispatch: k copies of every token, then the padded rows, into E buffers of `rows` rows.
  const flat = b.view(`${name}.tokens`, x, 'reshape', [tokens, d]);
  const parts: string[] = Array.from({ length: o.topK }, () => flat);
  for (let pad = e * rows - tokens * o.topK, i = 0; pad > 0; i++) {
    const n = Math.min(pad, tokens);
    parts.push(n === tokens ? flat : b.view(`${name}.pad.${i}`, flat, 'slice', [n, d]));
    pad -= n;
  }
  const dispatched = parts.length === 1 ? flat : b.concat(`${name}.dispatch`, parts, 0);
  const buffers = b.view(`${name}.buffers`, dispatched, 'reshape', [e, rows, d]);

  // y[e,m,f] = Σ_c x[e,m,c] · W[e,f,c]: expert e's weights multiply only its own rows.
  const up = (tag: string, input: string, inF: number, outF: number) =>
    b.einsum(`${name}.${tag}`, [input], { dims: [['e', e], ['m', rows], ['f', outF], ['c', inF]], axes: ['e m c'], weightAxes: 'e f c', out: 'e m f' });
  let h: string;
  if (o.gated) {
    const gate = b.eltwise(`${name}.act`, [up('gate', buffers, d, o.hidden)], o.activation);
    h = b.eltwise(`${name}.gated`, [gate, up('up', buffers, d, o.hidden)], 'mul');
  } else h = b.eltwise(`${name}.act`, [up('fc', buffers, d, o.hidden)], o.activation);
  const y = up('down', h, o.hidden, d);

  // Combine: y[b,s,d] = Σ_j g[b,s,j] · rows[b,s,j,d]: each token's k chosen rows (the padded rows dropped) weighted by
  // their gates (the top k of the router's scores) and summed: k·d multiply-adds per token, an einsum so that the
  // router gets its gradient through the gates in training.
  const chosen = b.view(`${name}.chosen`, y, 'slice', [batch, seq, o.topK, d]);
  const gates = b.view(`${name}.gates`, scores, 'slice', [batch, seq, o.topK]);
  return b.einsum(`${name}.combine`, [chosen, gates], { dims: [['b', batch], ['s', seq], ['d', d], ['j', o.topK]], axes: ['b s j d', 'b s j'], out: 'b s d' });
}

import type { EdgeUse, OpEdges } from './edges.js';
import type { MacOp, Op } from '../op.js';

/**
 * A fused attention core (`--fusion full`): scores S = Q·Kᵀ, P = softmax(S), O = P·V computed block by block as
 * FlashAttention does (Dao et al., NeurIPS 2022, Algorithm 1; FlashAttention-2, Dao 2023): a block of `block`
 * query rows stays on chip with its output accumulator and row statistics while blocks of keys and values stream
 * past; the scores and probabilities of the block live only in the buffer (online softmax: running max and sum,
 * the accumulator rescaled as each key block arrives). Nothing of S or P reaches the backing store; in exchange K
 * and V are read once per query block (`passes`), unless a whole head's K and V fit beside one query block.
 */
export interface AttentionCore {
  readonly scores: number;
  readonly softmax: number;
  /** A dropout on the probabilities between the softmax and the context (training), its mask regenerated, not stored. */
  readonly dropout?: { readonly op: number; readonly input: EdgeUse; readonly mask: readonly EdgeUse[] };
  readonly context: number;
  /** The probabilities' tensor as the softmax writes it and as the context op reads it (its role there). */
  readonly probs: EdgeUse;
  readonly probsRead: EdgeUse;
  readonly probsStored: boolean;
  /** The keys (the scores op's second input) and values (the context op's other input). */
  readonly keys: EdgeUse;
  readonly values: EdgeUse;
  /** Query rows per key element (query positions × query heads sharing a KV head), keys per row, head width. */
  readonly rows: number;
  readonly keysPerRow: number;
  readonly headDim: number;
  /** Query rows per block, key rows per block, and how often K and V are read from the backing store. */
  readonly block: number;
  readonly keyBlock: number;
  readonly passes: number;
  /** The online softmax's extra work: the accumulator rescaled once per key block after the first. */
  readonly rescaleOps: number;
}

function product(op: MacOp, mask: number): number {
  let n = 1;
  for (let d = 0; d < op.bounds.length; d++) if (mask & (1 << d)) n *= op.bounds[d];
  return n;
}

/**
 * The largest power-of-two query block whose working set fits `capacityBytes` of the staging level: Q block and O
 * accumulator (block × d each), K and V blocks (keyBlock × d each) and the score block (block × keyBlock), at
 * `bytes` per element. First with the whole of a head's K and V resident (read once), else square blocks. Undefined
 * when not even one row fits.
 */
export function attentionBlock(rows: number, keys: number, d: number, bytes: number, capacityBytes: number): { block: number; keyBlock: number; passes: number } | undefined {
  const fits = (b: number, kb: number) => bytes * (2 * b * d + 2 * kb * d + b * kb) <= capacityBytes;
  const largest = (kb: (b: number) => number): number => {
    let b = 0;
    for (let c = 1; c <= rows && fits(c, kb(c)); c *= 2) b = c;
    return b;
  };
  const resident = largest(() => keys);
  if (resident >= 1) return { block: resident, keyBlock: keys, passes: 1 };
  const square = largest((b) => Math.min(b, keys));
  if (square < 1) return undefined;
  return { block: square, keyBlock: Math.min(square, keys), passes: Math.ceil(rows / square) };
}

/**
 * Finds an attention core at op j (the softmax): op j−1 a MAC op of two activations writing S alone, op j reading S
 * alone and writing P, op j+1 a MAC op reading P once; all of one phase.
 */
export function attentionAt(ops: readonly Op[], edges: readonly OpEdges[], j: number, readers: ReadonlyMap<string, number>, capacityBytes: number): AttentionCore | undefined {
  const s = ops[j - 1];
  const sm = ops[j];
  // An element-wise op reading only P (the probabilities' dropout) may sit between the softmax and the context.
  const d = ops[j + 1];
  const withDropout = d?.kind === 'vector' && edges[j + 1].reads.length === 1 && edges[j + 1].reads[0].tensor === edges[j].writes[0]?.tensor && ops[j + 2]?.kind === 'mac';
  const ci = withDropout ? j + 2 : j + 1;
  const c = ops[ci];
  if (!s || !c || s.kind !== 'mac' || sm.kind !== 'vector' || c.kind !== 'mac' || sm.layerKind !== 'softmax') return undefined;
  if (s.phase !== sm.phase || c.phase !== sm.phase || (withDropout && d.phase !== sm.phase)) return undefined;
  const es = edges[j - 1];
  const em = edges[j];
  const ec = edges[ci];
  if (es.reads.length !== 2 || es.writes.length !== 1 || em.reads.length !== 1 || em.writes.length !== 1) return undefined;
  if (em.reads[0].tensor !== es.writes[0].tensor) return undefined;
  let dropout: AttentionCore['dropout'];
  let probs = em.writes[0];
  if (withDropout) {
    // P read only by the dropout; its output read by the context; its mask read by no one (else it is stashed).
    if ((readers.get(probs.tensor) ?? 0) !== 1) return undefined;
    const ed = edges[j + 1];
    const out = ed.writes.find((w) => ec.reads.some((r) => r.tensor === w.tensor));
    if (!out) return undefined;
    const mask = ed.writes.filter((w) => w !== out);
    if (mask.some((m) => (readers.get(m.tensor) ?? 0) > 0)) return undefined;
    dropout = { op: j + 1, input: ed.reads[0], mask };
    probs = out;
  }
  const reads = ec.reads.filter((r) => r.tensor === probs.tensor);
  const values = ec.reads.find((r) => r.tensor !== probs.tensor);
  // The backward pass reads P (training): it stays materialised, and the fused form is not FlashAttention's (whose
  // backward recomputes P from Q, K and the row statistics; not modelled): the core runs unfused.
  if (reads.length !== 1 || !values || (readers.get(probs.tensor) ?? 0) > 1) return undefined;
  // Dims of the scores op: query rows (in Q and S, not K), keys (in K and S, not Q), the reduction d (in Q and K).
  const [mk, mq, ms] = s.nest.mask;
  const rows = product(s, mq & ms & ~mk);
  const keysPerRow = product(s, mk & ms & ~mq);
  const headDim = product(s, mk & mq & ~ms);
  const bytes = Math.max(s.operands[0].bytes, s.operands[1].bytes, s.operands[2].bytes, c.operands[2].bytes);
  const b = attentionBlock(rows, keysPerRow, headDim, bytes, capacityBytes);
  if (!b) return undefined;
  const scoreElements = es.writes[0].elements;
  const keyBlocks = Math.ceil(keysPerRow / b.keyBlock);
  return {
    scores: j - 1,
    softmax: j,
    ...(dropout ? { dropout } : {}),
    context: ci,
    probs,
    probsRead: reads[0],
    probsStored: false,
    keys: es.reads[1],
    values,
    rows,
    keysPerRow,
    headDim,
    ...b,
    rescaleOps: (scoreElements / keysPerRow) * headDim * (keyBlocks - 1),
  };
}

/**
 * The backward of an attention core as FlashAttention runs it (Dao et al. 2022, Algorithm 4), found when the phase
 * model recomputes the core before its backward (`--recompute selective`): the recomputed scores and probabilities
 * (ops `scores`, `softmax`), then the backward ops that read P, dP and dS. Block by block, P, dP and dS exist only
 * in the buffer: `local` lists them with the ops that write or read them (their backing-store traffic moves to the
 * staging level; no placement). The recomputed S passes from the scores op to the softmax on the output path.
 */
export interface AttentionBackward {
  readonly scores: number;
  readonly softmax: number;
  readonly local: ReadonlyArray<{ readonly tensor: string; readonly ops: readonly number[] }>;
  /** The last op of the backward block. */
  readonly end: number;
}

/** Up to this many ops after the recomputed softmax form the backward block (dP, dV, dropout, dS, dQ, dK). */
const BACKWARD_WINDOW = 10;

/**
 * At op j (a softmax of the forward phase right after the scores op that feeds it): the recomputation of an attention
 * core before its backward. The block: the recomputed scores, softmax (and dropout), then the consecutive backward
 * ops of the core's layers (the context's first). Its local tensors: those written inside the block and read only
 * inside it (P, a dropout's output and mask, dP, dS, …), besides S (passed to the softmax on the output path).
 */
export function attentionBackwardAt(ops: readonly Op[], edges: readonly OpEdges[], j: number): AttentionBackward | undefined {
  const s = ops[j - 1];
  const sm = ops[j];
  if (s?.kind !== 'mac' || sm.kind !== 'vector' || sm.layerKind !== 'softmax' || s.phase !== sm.phase) return undefined;
  const es = edges[j - 1];
  const em = edges[j];
  if (es.reads.length !== 2 || es.writes.length !== 1 || em.reads.length !== 1 || em.writes.length !== 1 || em.reads[0].tensor !== es.writes[0].tensor) return undefined;
  const layers = new Set([s.layer, sm.layer]);
  let i = j + 1;
  // Recomputed element-wise ops of the core (the probabilities' dropout), then its backward, the context's first.
  while (i < ops.length && i <= j + 2 && ops[i].phase === sm.phase && ops[i].kind === 'vector' && edges[i].reads.some((r) => r.tensor === em.writes[0].tensor || edges[i - 1].writes.some((w) => w.tensor === r.tensor))) {
    layers.add(ops[i].layer);
    i++;
  }
  if (i >= ops.length || ops[i].phase === sm.phase || ops[i].kind !== 'mac') return undefined;
  layers.add(ops[i].layer);
  let end = i;
  while (end + 1 < ops.length && end + 1 - j <= BACKWARD_WINDOW && layers.has(ops[end + 1].layer) && ops[end + 1].phase !== sm.phase) end++;
  if (!ops.slice(i, end + 1).some((o) => o.layer === s.layer)) return undefined; // the scores' own backward is in the block
  // Local tensors: written in [j, end] (S excluded) and read only in [j, end].
  const inside = (k: number) => k >= j && k <= end;
  const local: Array<{ tensor: string; ops: number[] }> = [];
  for (let k = j; k <= end; k++) {
    for (const w of edges[k].writes) {
      if (local.some((l) => l.tensor === w.tensor)) continue;
      const users: number[] = [];
      let outside = false;
      for (let r = 0; r < ops.length && !outside; r++) {
        if (!edges[r].reads.some((u) => u.tensor === w.tensor)) continue;
        if (inside(r)) users.push(r);
        else outside = true;
      }
      if (!outside && users.length > 0) local.push({ tensor: w.tensor, ops: [k, ...users] });
    }
  }
  if (!local.some((l) => l.tensor === em.writes[0].tensor)) return undefined; // P itself must stay inside
  return { scores: j - 1, softmax: j, local, end };
}

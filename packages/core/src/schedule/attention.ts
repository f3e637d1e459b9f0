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
  const c = ops[j + 1];
  if (!s || !c || s.kind !== 'mac' || sm.kind !== 'vector' || c.kind !== 'mac' || sm.layerKind !== 'softmax') return undefined;
  if (s.phase !== sm.phase || c.phase !== sm.phase) return undefined;
  const es = edges[j - 1];
  const em = edges[j];
  const ec = edges[j + 1];
  if (es.reads.length !== 2 || es.writes.length !== 1 || em.reads.length !== 1 || em.writes.length !== 1) return undefined;
  if (em.reads[0].tensor !== es.writes[0].tensor) return undefined;
  const probs = em.writes[0];
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
    context: j + 1,
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

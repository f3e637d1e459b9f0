import { G, K, N, P, Q } from './dims.js';
import { dimRoles } from './einsum.js';
import { smallestDivisorAtLeast } from './factors.js';
import { withBounds, type MacOp } from './op.js';

/**
 * Counts of an op stay exact in doubles while they are below 2⁵³. An op whose MACs exceed `EXACT_LIMIT` (2⁵⁰, leaving
 * room for access counts a few times the MACs) is evaluated as `chunks` identical sub-ops run one after another
 * along independent dims (batch, groups, output rows/cols, output channels): every count of the whole op is then
 * exactly `chunks` × the sub-op's count, which BigInt multiplies without loss. Chunking along the reduction (C, R, S)
 * would change partial-sum traffic, so it is never used.
 */
export const EXACT_LIMIT = 2 ** 50;

export interface ExactSplit {
  readonly sub: MacOp;
  readonly chunks: number;
}

/** The exact product of an op's bounds. */
export function exactMacs(op: MacOp): bigint {
  let m = 1n;
  for (let d = 0; d < op.bounds.length; d++) m *= BigInt(op.bounds[d]);
  return m;
}


/**
 * Dims along which an op splits into identical independent chunks (every output element lands in one chunk, and no
 * partial-sum traffic changes): the output's plain dims that are not a window's kernel, batch and pixels first and
 * output features last (the conv nest: N, G, P, Q, K).
 */
function independentDims(op: MacOp): number[] {
  if (op.nest.conv) return [N, G, P, Q, K];
  const roles = dimRoles(op.nest);
  const out = op.nest.plain[2];
  const rank = (d: number) => (roles[d] === 'G' ? 0 : roles[d] === 'P' ? 1 : 2);
  return [...out].sort((a, b) => rank(a) - rank(b) || a - b);
}

/** Splits an op too large for exact double counts, or returns null when it is small enough (the usual case). */
export function exactSplit(op: MacOp): ExactSplit | null {
  if (op.macs <= EXACT_LIMIT) return null;
  const bounds = op.bounds.slice();
  const independent = independentDims(op);
  let chunks = 1;
  let macs = exactMacs(op);
  const limit = BigInt(EXACT_LIMIT);
  // Each step splits the dim whose smallest sufficient divisor is closest to what is needed (a prime-sized dim
  // would otherwise be cut to 1 and idle the array); output rows and columns first, output channels last.
  while (macs > limit) {
    const need = Number((macs + limit - 1n) / limit);
    let bestDim = -1;
    let bestF = 0;
    for (const d of independent) {
      if (bounds[d] < 2) continue;
      const f = smallestDivisorAtLeast(bounds[d], Math.max(2, Math.min(need, bounds[d])));
      const enough = f >= need;
      const bestEnough = bestF >= need;
      if (bestDim < 0 || (enough && (!bestEnough || f < bestF)) || (!enough && !bestEnough && f > bestF)) {
        bestDim = d;
        bestF = f;
      }
    }
    if (bestDim < 0) break;
    bounds[bestDim] /= bestF;
    chunks *= bestF;
    macs /= BigInt(bestF);
  }
  if (macs > limit) return null; // prime-sized reductions: cannot split exactly; counts stay approximate doubles
  return { chunks, sub: withBounds(op, bounds) };
}

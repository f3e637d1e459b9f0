import { C, clippedWindowRows, G, K, N, P, Q, R, S, type Cost, type MacOp } from '@trim-dse/core';
import type { RlcCode, SpatialEffects } from './effects.js';
import { DRAM } from './hierarchy.js';

const FILTER = 0;
const WINDOW = 1;

/** Stored size of a feature map under run-length coding, as a fraction of its dense size (never above 1). */
export function rlcSizeFraction(density: number, valueBits: number, code: RlcCode): number {
  // Runs longer than maxRun zeros need an extra pair with a zero level.
  const zeros = 1 - density;
  const meanRun = density > 0 ? zeros / density : Infinity;
  const extraPairsPerNonzero = Number.isFinite(meanRun) ? Math.floor(meanRun / (code.maxRun + 1)) : 0;
  const bits = density * code.bitsPerNonzero * (1 + extraPairsPerNonzero);
  return Math.min(1, bits / valueBits);
}

/** Elements of a feature-map operand (window or output projection) of the op. */
function featureMapSize(op: MacOp, slot: number): number {
  const b = op.bounds;
  if (op.projections[slot] === WINDOW) {
    return (
      b[N] * b[G] * b[C] *
      clippedWindowRows(b[P], b[R], op.strideH, op.dilationH, op.inputRows) *
      clippedWindowRows(b[Q], b[S], op.strideW, op.dilationW, op.inputCols)
    );
  }
  return b[N] * b[G] * b[K] * b[P] * b[Q];
}

/**
 * RLC on the DRAM link (Eyeriss, JSSC 2017, compression): feature maps with density below 1 cross it coded, so
 * their DRAM bytes shrink; counts stay in elements. Read feature maps are coded wholly; of the written result only
 * the final outputs are (at most one write per element) — partial sums spilled and read back stay dense, as do
 * filters. Time and energy follow from the bytes in `composeCost`.
 */
export function compressDramLink(op: MacOp, fx: SpatialEffects, out: Cost): void {
  const code = fx.rlc;
  if (code === undefined) return;
  for (let t = 0; t < 3; t++) {
    const o = op.operands[t];
    if (op.projections[t] === FILTER || o.density >= 1) continue;
    const f = rlcSizeFraction(o.density, o.bytes * 8, code);
    const i = DRAM * 3 + t;
    if (t === 2) {
      const written = out.writes[i];
      const size = featureMapSize(op, t);
      const final = written < size ? written : size;
      out.writeBytes[i] = (written - final + final * f) * o.bytes;
    } else {
      out.readBytes[i] = out.reads[i] * f * o.bytes;
    }
  }
}

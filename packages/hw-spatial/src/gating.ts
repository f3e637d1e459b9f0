import type { Cost, MacOp, Mapping } from '@trim-dse/core';
import type { SpatialEffects } from './effects.js';
import { RF } from './hierarchy.js';

const WINDOW = 1;

/**
 * Zero gating (Eyeriss, JSSC 2017, data gating): a zero input value skips the MAC and the read of its weight from
 * the PE's filter spad. Energy only: the cycle still passes. Scales the MAC energy and the filter spad's reads (and
 * their bytes) by the input density, when the mapping keeps the weights in the spad.
 */
export function applyZeroGating(op: MacOp, m: Mapping, fx: SpatialEffects, out: Cost): void {
  if (!fx.zeroGating || op.projections[1] !== WINDOW) return;
  const density = op.operands[1].density;
  if (density >= 1) return;
  out.macEnergyPj *= density;
  if (m.keep[RF * 3] === 1) {
    out.reads[RF * 3] *= density;
    out.readBytes[RF * 3] *= density;
  }
}

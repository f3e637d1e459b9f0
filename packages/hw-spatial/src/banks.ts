import { Illegal, type Cost } from '@trim-dse/core';
import type { SpatialEffects } from './effects.js';
import { GLB } from './hierarchy.js';

const TOO_MANY_BANKS = 'its input and partial-sum tiles need more whole banks than the buffer has (each bank holds one operand)';

/**
 * The GLB's shared banks: the input-side and output-side tiles (after `checkMapping`, which filled their footprints
 * in bytes, both halves when double-buffered) each take whole banks, together at most `sharedBanks`. A capacity rule
 * at the GLB, reported as `Illegal.Capacity` there so that mapspace pruning stops at the first tile that overflows.
 */
export function checkBanks(fx: SpatialEffects, out: Cost): Cost {
  const fp = out.footprintBytes;
  const banks = Math.ceil(fp[GLB * 3 + 1] / fx.bankBytes) + Math.ceil(fp[GLB * 3 + 2] / fx.bankBytes);
  if (banks > fx.sharedBanks) out.fail(Illegal.Capacity, GLB, -1, TOO_MANY_BANKS);
  return out;
}

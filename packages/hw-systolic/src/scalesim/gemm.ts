import { DIM_COUNT, G, RELEVANT, type MacOp } from '@trim-dse/core';

/** Dims each projection code depends on (`PROJECTION_CODE` order: filter, window, output), for the hot path. */
const RELEVANT_BY_CODE: readonly [number, number, number] = [RELEVANT.filter, RELEVANT.window, RELEVANT.output];

/**
 * SCALE-Sim's im2col view of a MAC op: a GEMM of an ifmap matrix (pixels × window) by a filter matrix
 * (window × filters) into an ofmap matrix (pixels × filters), repeated for each group.
 * - `pixels`: output dims that index the ifmap-side operand but not the filter-side one (N·P·Q forward);
 * - `window`: reduction dims, absent from the output (C·R·S forward);
 * - `filters`: output dims that index the filter-side operand but not the ifmap-side one (K forward);
 * - `groups`: G, shared by all three operands; the groups run one after another.
 * Derived from the operands' projections, so it also holds for training phases whose slots project differently.
 */
export class GemmShape {
  groups = 1;
  pixels = 1;
  window = 1;
  filters = 1;
}

/** Fills `out` with the GEMM view of `op` and returns it (allocates nothing). */
export function gemmShapeOf(op: MacOp, out: GemmShape): GemmShape {
  const filterMask = RELEVANT_BY_CODE[op.projections[0]];
  const ifmapMask = RELEVANT_BY_CODE[op.projections[1]];
  const outMask = RELEVANT_BY_CODE[op.projections[2]];
  let pixels = 1;
  let window = 1;
  let filters = 1;
  let groups = 1;
  for (let d = 0; d < DIM_COUNT; d++) {
    const b = op.bounds[d];
    if (b === 1) continue;
    const inOut = (outMask >> d) & 1;
    const inF = (filterMask >> d) & 1;
    const inI = (ifmapMask >> d) & 1;
    if (d === G || (inOut && inF && inI)) groups *= b;
    else if (!inOut) window *= b;
    else if (inF) filters *= b;
    else pixels *= b;
  }
  out.groups = groups;
  out.pixels = pixels;
  out.window = window;
  out.filters = filters;
  return out;
}

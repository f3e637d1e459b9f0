import { type Cost, Illegal } from '../cost.js';
import type { HardwareModel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import { windowRows, type MacOp } from '../op.js';
import { ensureScratch, scratch } from './scratch.js';

/**
 * Elements of operand `t` in a tile with the given bounds (a box of loop indices at offset `o`): the product of its
 * plain axes' extents and of its windows' distinct rows. The conv nest's three projections take a closed form.
 */
export function footprint(b: Float64Array, o: number, t: number, op: MacOp): number {
  const proj = op.projections[t];
  if (proj === 0) return b[o + 1] * b[o + 2] * b[o + 3] * b[o + 6] * b[o + 7];
  if (proj === 2) return b[o] * b[o + 1] * b[o + 2] * b[o + 4] * b[o + 5];
  if (proj === 1) {
    return (
      b[o] * b[o + 1] * b[o + 3] *
      windowRows(b[o + 4], b[o + 6], op.strideH, op.dilationH) *
      windowRows(b[o + 5], b[o + 7], op.strideW, op.dilationW)
    );
  }
  const n = op.nest;
  const plain = n.plain[t];
  let f = 1;
  for (let i = 0; i < plain.length; i++) f *= b[o + plain[i]];
  const wp = n.winP[t];
  if (wp.length > 0) {
    const wr = n.winR[t];
    const sp = n.winSP[t];
    const sr = n.winSR[t];
    for (let i = 0; i < wp.length; i++) f *= windowRows(b[o + wp[i]], b[o + wr[i]], sp[i], sr[i]);
  }
  return f;
}

/**
 * Stage 1 of the loop-nest engine, the legality rules: coverage of every bound, fanout, capacity (in bytes, each
 * operand at its own precision, both halves of a double-buffered level) and keep. Also records what later stages
 * need: the cumulative tiles (module scratch), the active instances of each level and the bytes each level's tiles
 * occupy (`out.instances`, `out.footprintBytes`). On an illegal mapping `out` is final (a reason, infinite cost).
 */
export function checkMapping(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  const L = m.levels;
  const D = m.dims;
  ensureScratch(L, D);
  const { tile, adjacent, act, tileElements } = scratch;
  const levels = hw.levels;
  out.begin();

  // One pass over the mapping, level by level: cumulative tiles, the children's union below each level (what
  // `nestAccesses` reads for adjacent keeping levels), each level's unroll on x and y,
  // and the compute product (every temporal factor; those at and above `overheadLevel` count folds).
  const sx = m.spatialX;
  const sy = m.spatialY;
  const tm = m.temporal;
  const unroll = scratch.unroll;
  const overheadLevel = m.overheadLevel;
  let compute = 1;
  let folds = 1;
  let fanoutFail = -1;
  for (let l = 0; l < L; l++) {
    const base = l * D;
    const below = base - D;
    let px = 1;
    let py = 1;
    for (let d = 0; d < D; d++) {
      const i = base + d;
      const x = sx[i];
      const y = sy[i];
      const t = tm[i];
      px *= x;
      py *= y;
      const sp = x * y;
      const inner = l > 0 ? tile[below + d] : 1;
      adjacent[i] = inner * sp;
      tile[i] = inner * t * sp;
      compute *= t;
      if (l >= overheadLevel) folds *= t;
    }
    unroll[l] = px * py;
    // The outermost level that overflows is the one reported (as a top-down check would find it first).
    if (px > levels[l].fanoutX || py > levels[l].fanoutY) fanoutFail = l;
  }
  scratch.compute = compute;
  scratch.folds = folds;
  const top = (L - 1) * D;
  for (let d = 0; d < D; d++) if (tile[top + d] < op.bounds[d]) return out.fail(Illegal.Coverage, -1, d);
  if (fanoutFail >= 0) return out.fail(Illegal.Fanout, fanoutFail, -1);
  // Active instances from the top down (act[L] = active MAC units).
  const instances = out.instances;
  act[L - 1] = 1;
  for (let l = L - 1; l >= 0; l--) {
    instances[l] = act[l];
    act[l === 0 ? L : l - 1] = act[l] * unroll[l];
  }

  // Capacity (bytes) and keep rules; every footprint written (0 where not kept), for reasons and the scheduler.
  const ops = op.operands;
  const bytes0 = ops[0].bytes;
  const bytes1 = ops[1].bytes;
  const bytes2 = ops[2].bytes;
  // Partial sums wider than the output: a level holds them while a reduction loop remains at or above it (temporal)
  // or above it (spatial: the array's network reduces into the level), so its output tile takes the wider width.
  const psumBytes = hw.psumBytes !== undefined && hw.psumBytes !== bytes2 ? hw.psumBytes : 0;
  scratch.psumBytes = psumBytes;
  scratch.outputBytes = bytes2;
  let partialBelow = -1;
  if (psumBytes > 0) {
    const outMask = op.nest.mask[2];
    let tTop = -1;
    let sTop = -1;
    for (let l = 0; l < L; l++) {
      for (let d = 0; d < D; d++) {
        if (outMask & (1 << d)) continue;
        const i = l * D + d;
        if (tm[i] > 1) tTop = l;
        if (sx[i] * sy[i] > 1) sTop = l;
      }
    }
    scratch.reduceSpatialTop = sTop;
    // Levels l ≤ partialBelow hold partial sums: l ≤ tTop or l < sTop.
    partialBelow = Math.max(tTop, sTop - 1);
  }
  const proj0 = op.projections[0];
  const proj2 = op.projections[2];
  const keep = m.keep;
  const fp = out.footprintBytes;
  for (let l = 0; l < L; l++) {
    const lv = levels[l];
    const i = l * 3;
    const k0 = keep[i];
    const k1 = keep[i + 1];
    const k2 = keep[i + 2];
    if (l === L - 1) {
      // The backing store keeps every operand; an unbounded one needs no footprint (nothing reads it).
      if (!k0 || !k1 || !k2) return out.fail(Illegal.Keep, l, -1);
      if (lv.capacityBytes === Infinity && lv.slotCapacityBytes === undefined) {
        fp[i] = fp[i + 1] = fp[i + 2] = 0;
        break;
      }
    }
    if ((k0 && !lv.holds[0]) || (k1 && !lv.holds[1]) || (k2 && !lv.holds[2])) return out.fail(Illegal.Keep, l, -1);
    const halves = lv.doubleBuffered ? 2 : 1;
    const o = l * D;
    // The conv nest's filter and output closed forms inline (a call per level and operand is measurable here).
    const e0 = k0 ? (proj0 === 0 ? tile[o + 1] * tile[o + 2] * tile[o + 3] * tile[o + 6] * tile[o + 7] : footprint(tile, o, 0, op)) : 0;
    const e1 = k1 ? footprint(tile, o, 1, op) : 0;
    const e2 = k2 ? (proj2 === 2 ? tile[o] * tile[o + 1] * tile[o + 2] * tile[o + 4] * tile[o + 5] : footprint(tile, o, 2, op)) : 0;
    tileElements[i] = e0;
    tileElements[i + 1] = e1;
    tileElements[i + 2] = e2;
    const f0 = e0 * bytes0 * halves;
    const f1 = e1 * bytes1 * halves;
    const f2 = e2 * (l <= partialBelow ? psumBytes : bytes2) * halves;
    fp[i] = f0;
    fp[i + 1] = f1;
    fp[i + 2] = f2;
    const slots = lv.slotCapacityBytes;
    if (slots !== undefined) {
      if (f0 > slots[0] || f1 > slots[1] || f2 > slots[2]) return out.fail(Illegal.Capacity, l, -1);
    } else if (f0 + f1 + f2 > lv.capacityBytes) return out.fail(Illegal.Capacity, l, -1);
  }
  return out;
}

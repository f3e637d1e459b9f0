import type { Cost } from '../cost.js';
import { P, Q, R, S } from '../dims.js';
import type { HardwareModel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import { windowRows, type MacOp } from '../op.js';
import { growBytes, growFloat, scratch } from './scratch.js';
import { recordPair, resetPairs, widenPartialSums } from './partial-sums.js';

/**
 * The loop walks above every child level, for the three operands (their relevance masks), in one pass over the
 * temporal loops from the outermost inwards. The walk above child c covers the loops of levels c+1 and up:
 * - a tile is reloaded whenever a loop at or outside the operand's innermost relevant loop advances (irrelevant
 *   loops inside it reuse the resident tile: stationarity), so `loads` = the product of every loop from that one
 *   outwards; the MAC (c = −1) has no storage and reloads on every iteration (the product of every loop);
 * - `distinct` = the product of the relevant loops (distinct tiles);
 * - the innermost relevant loop's dim, factor and level (a slide along it keeps the window overlap).
 * Results per child in scratch `walk*[(c + 1)·3 + slot]`. The products are of integer loop factors and never exceed
 * the nest's iteration count (exact in a double below 2^53, as the compute cycles must be), so taking them outermost
 * first gives the same values as a walk per child from the inside out, in one pass instead of one per child and
 * operand.
 */
function walkLoops(m: Mapping, mask0: number, mask1: number, mask2: number): void {
  const { walkLoads, walkDistinct, walkBound, walkDim, walkLevel } = scratch;
  const order = m.order;
  const temporal = m.temporal;
  const L = m.levels;
  const D = m.dims;
  // Product of the loops visited so far (the current one and every loop outside it).
  let all = 1;
  let loads0 = 1;
  let loads1 = 1;
  let loads2 = 1;
  let distinct0 = 1;
  let distinct1 = 1;
  let distinct2 = 1;
  let at0 = -1;
  let at1 = -1;
  let at2 = -1;
  for (let l = L - 1; l >= 0; l--) {
    const base = l * D;
    // `order` lists a level's loops outermost first.
    for (let i = 0; i < D; i++) {
      const d = order[base + i];
      const f = temporal[base + d];
      if (f === 1) continue;
      all *= f;
      if ((mask0 >> d) & 1) {
        distinct0 *= f;
        loads0 = all;
        at0 = base + d;
      }
      if ((mask1 >> d) & 1) {
        distinct1 *= f;
        loads1 = all;
        at1 = base + d;
      }
      if ((mask2 >> d) & 1) {
        distinct2 *= f;
        loads2 = all;
        at2 = base + d;
      }
    }
    // The walk above child l − 1 is complete.
    const r = l * 3;
    if (l === 0) {
      // Above the MACs (child −1): every iteration reloads; no loop is singled out.
      walkLoads[0] = walkLoads[1] = walkLoads[2] = all;
      walkDim[0] = walkDim[1] = walkDim[2] = -1;
      walkLevel[0] = walkLevel[1] = walkLevel[2] = -1;
      walkBound[0] = walkBound[1] = walkBound[2] = 1;
    } else {
      walkLoads[r] = loads0;
      walkLoads[r + 1] = loads1;
      walkLoads[r + 2] = loads2;
      innermostRelevant(r, at0, D, temporal);
      innermostRelevant(r + 1, at1, D, temporal);
      innermostRelevant(r + 2, at2, D, temporal);
    }
    walkDistinct[r] = distinct0;
    walkDistinct[r + 1] = distinct1;
    walkDistinct[r + 2] = distinct2;
  }
}

/** Records the innermost relevant loop (at [level·dims + dim]; none when negative) of walk entry `r`. */
function innermostRelevant(r: number, at: number, D: number, temporal: Int32Array): void {
  const { walkBound, walkDim, walkLevel } = scratch;
  if (at < 0) {
    walkDim[r] = -1;
    walkLevel[r] = -1;
    walkBound[r] = 1;
  } else {
    const level = (at / D) | 0;
    walkDim[r] = at - level * D;
    walkLevel[r] = level;
    walkBound[r] = temporal[at];
  }
}

/** New input rows when a contiguous window tile slides by `shift` rows (the overlap stays resident). */
function newRows(outRows: number, kernelRows: number, stride: number, dilation: number, shift: number): number {
  const rows = windowRows(outRows, kernelRows, stride, dilation);
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  if (rows === extent) return shift < extent ? shift : extent;
  markRowsBox(outRows, kernelRows, stride, dilation);
  return rows - overlapMarked(extent, shift);
}

let marks = new Uint8Array(256);
function markRowsBox(outRows: number, kernelRows: number, stride: number, dilation: number): void {
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  marks = growBytes(marks, extent);
  marks.fill(0, 0, extent);
  for (let p = 0; p < outRows; p++) for (let r = 0; r < kernelRows; r++) marks[p * stride + r * dilation] = 1;
}

/** |A ∩ (A + shift)| for the rows marked in `marks[0, extent)`. */
function overlapMarked(extent: number, shift: number): number {
  if (shift >= extent) return 0;
  let n = 0;
  for (let i = shift; i < extent; i++) if (marks[i] && marks[i - shift]) n++;
  return n;
}

/**
 * Rows of one axis of a window operand for the union of the children between levels c and p, and the rows new
 * after a slide by `shift`. The children's output-row offsets are contiguous unless a bypassed level in between
 * has a temporal loop over the axis (then their tiles interleave and the union is counted row by row).
 */
let axisRows = 0;
let axisNew = 0;
let offsetsP = new Float64Array(256);
let offsetsR = new Float64Array(256);
function groupAxis(m: Mapping, c: number, p: number, dp: number, dr: number, gp: number, gr: number, stride: number, dilation: number, shift: number): void {
  const D = m.dims;
  let contiguous = true;
  for (let j = c + 1; j < p; j++) {
    if (m.temporal[j * D + dp] > 1 || m.temporal[j * D + dr] > 1) contiguous = false;
  }
  if (contiguous) {
    axisRows = windowRows(gp, gr, stride, dilation);
    axisNew = shift > 0 ? newRows(gp, gr, stride, dilation, shift) : axisRows;
    return;
  }
  // The union has at most gp (resp. gr) offsets: size the scratch from the op, not a fixed cap.
  offsetsP = growFloat(offsetsP, gp);
  offsetsR = growFloat(offsetsR, gr);
  const np = axisOffsets(m, c, p, dp, offsetsP);
  const nr = axisOffsets(m, c, p, dr, offsetsR);
  let maxRow = 0;
  for (let i = 0; i < np; i++) for (let j = 0; j < nr; j++) maxRow = Math.max(maxRow, offsetsP[i] * stride + offsetsR[j] * dilation);
  const extent = maxRow + 1 + shift;
  marks = growBytes(marks, extent);
  marks.fill(0, 0, extent);
  let rows = 0;
  for (let i = 0; i < np; i++) {
    for (let j = 0; j < nr; j++) {
      const x = offsetsP[i] * stride + offsetsR[j] * dilation;
      if (!marks[x]) {
        marks[x] = 1;
        rows++;
      }
    }
  }
  axisRows = rows;
  axisNew = shift > 0 ? rows - overlapMarked(maxRow + 1, shift) : rows;
}

/**
 * Loop-index extent of dim d spanned by the union of children: the child tile times the spatial factors (x·y) between
 * (for adjacent levels, c = p − 1, `checkMapping` recorded it as scratch `adjacent`).
 */
function groupExtent(m: Mapping, c: number, p: number, d: number): number {
  const D = m.dims;
  let g = c >= 0 ? scratch.tile[c * D + d] : 1;
  for (let j = c + 1; j <= p; j++) g *= m.spatialX[j * D + d] * m.spatialY[j * D + d];
  return g;
}

/** Every global index offset of dim d covered by the children between c and p (child tile rows included). */
function axisOffsets(m: Mapping, c: number, p: number, d: number, out: Float64Array): number {
  const D = m.dims;
  const tile = scratch.tile;
  let n = c >= 0 ? tile[c * D + d] : 1;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let j = c + 1; j <= p; j++) {
    const f = m.spatialX[j * D + d] * m.spatialY[j * D + d];
    if (f === 1) continue;
    const radix = j > 0 ? tile[(j - 1) * D + d] : 1;
    const base = n;
    for (let k = 1; k < f; k++) for (let i = 0; i < base; i++) out[k * base + i] = out[i] + k * radix;
    n = base * f;
  }
  return n;
}

/** Stride of one step of loop (level, dim) in the dim's global index: everything of that dim inside it. */
function loopRadix(m: Mapping, level: number, d: number): number {
  return scratch.tile[level * m.dims + d] / m.temporal[level * m.dims + d];
}

/**
 * Bytes at each operand's precision, and the default network energy: bytes a level sends down to its children over
 * the array's network (multicast once). Kept out of `nestAccesses` so that its hot helpers stay inlined there.
 */
function bytesAndNetwork(op: MacOp, hw: HardwareModel, L: number, out: Cost): void {
  const ops = op.operands;
  const b0 = ops[0].bytes;
  const b1 = ops[1].bytes;
  const b2 = ops[2].bytes;
  const rd = out.reads;
  const wr = out.writes;
  const rb = out.readBytes;
  const wb = out.writeBytes;
  const levels = hw.levels;
  let network = 0;
  for (let l = 0, i = 0; l < L; l++, i += 3) {
    const r0 = rd[i] * b0;
    const r1 = rd[i + 1] * b1;
    const r2 = rd[i + 2] * b2;
    rb[i] = r0;
    rb[i + 1] = r1;
    rb[i + 2] = r2;
    wb[i] = wr[i] * b0;
    wb[i + 1] = wr[i + 1] * b1;
    wb[i + 2] = wr[i + 2] * b2;
    const lv = levels[l];
    if (lv.networkPjPerByte > 0 && lv.fanoutX * lv.fanoutY > 1) network += (r0 + r1 + r2) * lv.networkPjPerByte;
  }
  out.networkEnergyPj = network;
}

let einsumGroupNew = 0;
let einsumChildNew = 0;

/**
 * Traffic sizes of an einsum operand between child level c and parent p (the general form of the conv window
 * operand's): the union of the children's tiles (its plain axes' extents × each window's distinct rows) is returned;
 * `einsumGroupNew`/`einsumChildNew` get what a slide of the innermost relevant loop (dim `walkDim` at level `walkLevel`, −1:
 * none) brings in, when that loop moves one of the operand's windows (the overlap stays resident along that window, as
 * for conv rows and columns).
 */
function einsumTraffic(m: Mapping, op: MacOp, t: number, c: number, p: number, walkDim: number, walkLevel: number): number {
  const D = m.dims;
  const tile = scratch.tile;
  const n = op.nest;
  const plain = n.plain[t];
  const wp = n.winP[t];
  const wr = n.winR[t];
  const sp = n.winSP[t];
  const sr = n.winSR[t];
  let base = 1;
  for (let i = 0; i < plain.length; i++) base *= groupExtent(m, c, p, plain[i]);
  // Which window the innermost relevant loop slides, and by how many rows.
  let slide = -1;
  let shift = 0;
  if (walkDim >= 0) {
    for (let a = 0; a < wp.length && slide < 0; a++) {
      if (walkDim === wp[a] || walkDim === wr[a]) {
        slide = a;
        shift = loopRadix(m, walkLevel, walkDim) * (walkDim === wp[a] ? sp[a] : sr[a]);
      }
    }
  }
  let group = base;
  let groupNew = base;
  for (let a = 0; a < wp.length; a++) {
    const gp = groupExtent(m, c, p, wp[a]);
    const gr = groupExtent(m, c, p, wr[a]);
    groupAxis(m, c, p, wp[a], wr[a], gp, gr, sp[a], sr[a], a === slide ? shift : 0);
    group *= axisRows;
    groupNew *= a === slide ? axisNew : axisRows;
  }
  einsumGroupNew = slide >= 0 ? groupNew : group;
  einsumChildNew = 0;
  if (c >= 0) {
    const o = c * D;
    if (slide < 0) einsumChildNew = scratch.tileElements[c * 3 + t];
    else {
      let child = 1;
      for (let i = 0; i < plain.length; i++) child *= tile[o + plain[i]];
      for (let a = 0; a < wp.length; a++) {
        child *= a === slide ? newRows(tile[o + wp[a]], tile[o + wr[a]], sp[a], sr[a], shift) : windowRows(tile[o + wp[a]], tile[o + wr[a]], sp[a], sr[a]);
      }
      einsumChildNew = child;
    }
  }
  return group;
}

/**
 * Elements of a window output that one instance of level `x` touches over the whole run: every temporal loop and the
 * spatial loops at or below `x` (those above select the instance). Overlapping windows of different tiles share
 * elements, so this union is smaller than the tiles' sum: the difference is the partial sums read back.
 */
let unionP = new Float64Array(256);
let unionR = new Float64Array(256);
function outputUnion(m: Mapping, op: MacOp, x: number): number {
  const n = op.nest;
  const plain = n.plain[2];
  const wp = n.winP[2];
  const wr = n.winR[2];
  const sp = n.winSP[2];
  const sr = n.winSR[2];
  let f = 1;
  for (let i = 0; i < plain.length; i++) f *= reachOffsets(m, x, plain[i], null);
  for (let a = 0; a < wp.length; a++) {
    const np = reachOffsets(m, x, wp[a], null);
    const nr = reachOffsets(m, x, wr[a], null);
    unionP = growFloat(unionP, np);
    unionR = growFloat(unionR, nr);
    reachOffsets(m, x, wp[a], unionP);
    reachOffsets(m, x, wr[a], unionR);
    f *= distinctSums(unionP, np, sp[a], unionR, nr, sr[a]);
  }
  return f;
}

/**
 * Global index offsets of dim d reached by one instance of level `x` (digits: each level's spatial loops, kept only
 * at or below `x`, inside its temporal loop); their count when `out` is null.
 */
function reachOffsets(m: Mapping, x: number, d: number, out: Float64Array | null): number {
  const D = m.dims;
  const tile = scratch.tile;
  let n = 1;
  if (out) out[0] = 0;
  for (let l = 0; l < m.levels; l++) {
    const below = l > 0 ? tile[(l - 1) * D + d] : 1;
    const s = m.spatialX[l * D + d] * m.spatialY[l * D + d];
    const f = m.temporal[l * D + d];
    if (l <= x && s > 1) n = expandOffsets(out, n, s, below);
    if (f > 1) n = expandOffsets(out, n, f, below * s);
  }
  return n;
}

function expandOffsets(out: Float64Array | null, n: number, f: number, radix: number): number {
  if (out) for (let k = 1; k < f; k++) for (let i = 0; i < n; i++) out[k * n + i] = out[i] + k * radix;
  return n * f;
}

/** |{a·sa + b·sb}| over the offsets a ∈ A, b ∈ B (a window axis' distinct rows); closed form for two ranges. */
function distinctSums(A: Float64Array, na: number, sa: number, B: Float64Array, nb: number, sb: number): number {
  let maxA = 0;
  let maxB = 0;
  for (let i = 0; i < na; i++) maxA = Math.max(maxA, A[i]);
  for (let j = 0; j < nb; j++) maxB = Math.max(maxB, B[j]);
  if (maxA + 1 === na && maxB + 1 === nb) return windowRows(na, nb, sa, sb);
  const extent = maxA * sa + maxB * sb + 1;
  marks = growBytes(marks, extent);
  marks.fill(0, 0, extent);
  let rows = 0;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const v = A[i] * sa + B[j] * sb;
      if (!marks[v]) {
        marks[v] = 1;
        rows++;
      }
    }
  }
  return rows;
}

/**
 * Stage 2 of the loop-nest engine (after `checkMapping` on the same mapping, which left the tiles in scratch): the
 * accesses of every operand at every level, in elements (`reads`/`writes`) and bytes at the operand's precision
 * (`readBytes`/`writeBytes`); compute cycles (one MAC per unit per cycle, fill/drain overhead per fold); MAC energy;
 * and the network energy of words a level sends to its children (multicast counted once).
 * Assumptions (README "Engine assumptions"): whole tiles move on every reload except the sliding-window overlap along
 * the loop that advances; partial sums are read back except on their first touch; spatial reduction happens in the
 * array's network.
 */
export function nestAccesses(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  const L = m.levels;
  const D = m.dims;
  const { tile, adjacent, act, group, tileElements } = scratch;
  const nest = op.nest;
  const keep = m.keep;
  const reads = out.reads;
  const writes = out.writes;
  // A window on the output (a transposed conv, a window op's backward-data): tiles overlap, refills are counted.
  const outWindow = nest.winP[2].length > 0;

  // Traffic between each keeping level and the next keeping level below it (or the MACs). Parent by parent, the
  // operands inside: operands kept at the same child share its group extents (each operand's counts still add up
  // parent by parent, in the order of a pass per operand).
  walkLoops(m, nest.mask[0], nest.mask[1], nest.mask[2]);
  const { walkLoads, walkDistinct, walkBound, walkDim: walkDims, walkLevel: walkLevels } = scratch;
  // Partial sums wider than the output: the output pairs' drains and read-backs, classified after the walk.
  const wide = scratch.psumBytes > 0;
  if (wide) resetPairs(L);
  let child0 = -1;
  let child1 = -1;
  let child2 = -1;
  for (let p = 0; p < L; p++) {
    // The child whose group extents up to p are in scratch; −2 = none yet.
    let grouped = -2;
    for (let t = 0; t < 3; t++) {
      if (!keep[p * 3 + t]) continue;
      const c = t === 0 ? child0 : t === 1 ? child1 : child2;
      if (t === 0) child0 = p;
      else if (t === 1) child1 = p;
      else child2 = p;
      const proj = op.projections[t];
      const isOut = t === 2;
      // Extent of every dim over the union of the children between c and p (the conv nest's footprints read them),
      // at g[go + dim]: recorded by `checkMapping` for adjacent levels, else taken once per child.
      let g = adjacent;
      let go = p * D;
      if (proj !== 3 && c !== p - 1) {
        if (c !== grouped) {
          for (let d = 0; d < D; d++) group[d] = groupExtent(m, c, p, d);
          grouped = c;
        }
        g = group;
        go = 0;
      }
      const w = (c + 1) * 3 + t;
      const loads = walkLoads[w];
      const walkDim = walkDims[w];
      const walkLevel = walkLevels[w];
      const actP = act[p];
      let fpGroup: number;
      let fpGroupNew = 0;
      let fpChild = 0;
      let fpChildNew = 0;
      // Slide distance of the innermost relevant loop, in input rows/cols, when it moves a window operand.
      let shiftH = 0;
      let shiftW = 0;
      if (proj === 1 && walkDim >= P) {
        const radix = loopRadix(m, walkLevel, walkDim);
        if (walkDim === P) shiftH = radix * op.strideH;
        else if (walkDim === R) shiftH = radix * op.dilationH;
        else if (walkDim === Q) shiftW = radix * op.strideW;
        else shiftW = radix * op.dilationW;
      }
      if (proj === 3) {
        // An einsum operand: its plain axes and any number of windows, each slid like the conv's rows and columns.
        const r = einsumTraffic(m, op, t, c, p, walkDim, walkLevel);
        fpGroup = r;
        fpGroupNew = einsumGroupNew;
        fpChild = c >= 0 ? tileElements[c * 3 + t] : 0;
        fpChildNew = c >= 0 ? einsumChildNew : 0;
      } else if (proj === 1) {
        const base = g[go] * g[go + 1] * g[go + 3];
        let rowsH: number;
        let newH: number;
        let rowsW: number;
        let newW: number;
        if (c === p - 1) {
          // Adjacent levels: the children's offsets are contiguous (`groupAxis`'s first case, inline).
          rowsH = windowRows(g[go + P], g[go + R], op.strideH, op.dilationH);
          newH = shiftH > 0 ? newRows(g[go + P], g[go + R], op.strideH, op.dilationH, shiftH) : rowsH;
          rowsW = windowRows(g[go + Q], g[go + S], op.strideW, op.dilationW);
          newW = shiftW > 0 ? newRows(g[go + Q], g[go + S], op.strideW, op.dilationW, shiftW) : rowsW;
        } else {
          groupAxis(m, c, p, P, R, g[go + P], g[go + R], op.strideH, op.dilationH, shiftH);
          rowsH = axisRows;
          newH = axisNew;
          groupAxis(m, c, p, Q, S, g[go + Q], g[go + S], op.strideW, op.dilationW, shiftW);
          rowsW = axisRows;
          newW = axisNew;
        }
        fpGroup = base * rowsH * rowsW;
        fpGroupNew = shiftH > 0 ? base * newH * rowsW : shiftW > 0 ? base * rowsH * newW : fpGroup;
        if (c >= 0) {
          // The child's tile was measured by `checkMapping`; a slide keeps the overlap along the moving axis.
          fpChild = tileElements[c * 3 + t];
          fpChildNew = fpChild;
          if (shiftH > 0 || shiftW > 0) {
            const o = c * D;
            const cb = tile[o] * tile[o + 1] * tile[o + 3];
            fpChildNew =
              shiftH > 0
                ? cb * newRows(tile[o + 4], tile[o + 6], op.strideH, op.dilationH, shiftH) * windowRows(tile[o + 5], tile[o + 7], op.strideW, op.dilationW)
                : cb * windowRows(tile[o + 4], tile[o + 6], op.strideH, op.dilationH) * newRows(tile[o + 5], tile[o + 7], op.strideW, op.dilationW, shiftW);
          }
        }
      } else {
        // Only the dims the operand's footprint reads (filter: G K C R S; output: N G K P Q).
        fpGroup =
          proj === 0 ? g[go + 1] * g[go + 2] * g[go + 3] * g[go + 6] * g[go + 7] : g[go] * g[go + 1] * g[go + 2] * g[go + 4] * g[go + 5];
        fpGroupNew = fpGroup;
        if (c >= 0) {
          fpChild = tileElements[c * 3 + t];
          fpChildNew = fpChild;
        }
      }
      if (isOut && outWindow) {
        // Overlapping windows: each tile visit writes its whole tile back, and reads back (refills) what an earlier
        // visit of the same instance already wrote; the first touches are the instance's union over the run.
        writes[p * 3 + t] += actP * loads * fpGroup;
        reads[p * 3 + t] += actP * (loads * fpGroup - outputUnion(m, op, p));
        if (c >= 0) {
          reads[c * 3 + t] += act[c] * loads * fpChild;
          writes[c * 3 + t] += act[c] * (loads * fpChild - outputUnion(m, op, c));
        }
        if (wide) {
          const cc = c >= 0 ? act[c] : 0;
          recordPair(p, c, actP * loads * fpGroup, actP * (loads * fpGroup - outputUnion(m, op, p)), cc * loads * fpChild, c >= 0 ? cc * (loads * fpChild - outputUnion(m, op, c)) : 0);
        }
      } else if (isOut) {
        const refills = loads - walkDistinct[w];
        writes[p * 3 + t] += actP * loads * fpGroup;
        reads[p * 3 + t] += actP * refills * fpGroup;
        if (c >= 0) {
          reads[c * 3 + t] += act[c] * loads * fpChild;
          writes[c * 3 + t] += act[c] * refills * fpChild;
        }
        if (wide) {
          const cc = c >= 0 ? act[c] : 0;
          recordPair(p, c, actP * loads * fpGroup, actP * refills * fpGroup, cc * loads * fpChild, cc * refills * fpChild);
        }
      } else {
        // The MAC keeps nothing: every iteration is a full (single-element) load.
        const full = walkDim >= 0 && c >= 0 ? loads / walkBound[w] : loads;
        const slides = loads - full;
        reads[p * 3 + t] += actP * (full * fpGroup + slides * fpGroupNew);
        if (c >= 0) writes[c * 3 + t] += act[c] * (full * fpChild + slides * fpChildNew);
      }
    }
  }
  bytesAndNetwork(op, hw, L, out);
  if (wide) widenPartialSums(hw, L, out);

  // Cycles: one temporal iteration is one cycle of every active MAC; fill/drain overhead per fold (both products
  // were taken by `checkMapping`).
  const compute = scratch.compute;
  const folds = scratch.folds;
  const overhead = m.overheadCycles > 0 ? folds * m.overheadCycles : 0;
  out.macs = op.macs;
  out.paddedMacs = compute * act[L] - op.macs;
  out.computeCycles = compute + overhead;
  out.overheadCycles = overhead;
  out.macEnergyPj = op.macs * hw.macEnergyPj;
  out.aluEnergyPj = 0;

  return out;
}

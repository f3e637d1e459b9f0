import type { Cost } from '../cost.js';
import { P, Q, R, S } from '../dims.js';
import type { HardwareModel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import { windowRows, type MacOp } from '../op.js';
import { footprint } from './check.js';
import { growBytes, growFloat, scratch } from './scratch.js';

// Results of the loop walk above a child level (module scope instead of an allocated tuple).
let walkLoads = 1;
let walkDistinct = 1;
let walkDim = -1;
let walkBound = 1;
let walkLevel = -1;

function gatherLoops(m: Mapping): void {
  const { loopDim, loopFactor, loopLevel, loopStart } = scratch;
  let n = 0;
  const L = m.levels;
  const D = m.dims;
  for (let l = 0; l < L; l++) {
    loopStart[l] = n;
    const base = l * D;
    for (let i = D - 1; i >= 0; i--) {
      const d = m.order[base + i];
      const f = m.temporal[base + d];
      if (f === 1) continue;
      loopDim[n] = d;
      loopFactor[n] = f;
      loopLevel[n] = l;
      n++;
    }
  }
  loopStart[L] = n;
}

/**
 * Walks the temporal loops above `child` (all of them for the MAC, child = −1) from innermost outwards. A tile is
 * reloaded whenever a loop at or outside the innermost relevant loop advances; irrelevant loops inside it reuse the
 * resident tile (stationarity). The MAC has no storage, so it reloads on every iteration.
 */
function walkAbove(m: Mapping, child: number, mask: number): void {
  const { loopDim, loopFactor, loopLevel, loopStart } = scratch;
  let loads = 1;
  let distinct = 1;
  let found = child < 0;
  walkDim = -1;
  walkBound = 1;
  walkLevel = -1;
  const end = loopStart[m.levels];
  for (let k = loopStart[child + 1]; k < end; k++) {
    const d = loopDim[k];
    const f = loopFactor[k];
    const rel = (mask >> d) & 1;
    if (rel) distinct *= f;
    if (found) loads *= f;
    else if (rel) {
      found = true;
      walkDim = d;
      walkBound = f;
      walkLevel = loopLevel[k];
      loads *= f;
    }
  }
  walkLoads = loads;
  walkDistinct = distinct;
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
function groupAxis(m: Mapping, c: number, p: number, dp: number, dr: number, stride: number, dilation: number, shift: number): void {
  const D = m.dims;
  let contiguous = true;
  for (let j = c + 1; j < p; j++) {
    if (m.temporal[j * D + dp] > 1 || m.temporal[j * D + dr] > 1) contiguous = false;
  }
  const { tile, spatial } = scratch;
  const gp = groupExtent(tile, spatial, D, c, p, dp);
  const gr = groupExtent(tile, spatial, D, c, p, dr);
  if (contiguous) {
    axisRows = windowRows(gp, gr, stride, dilation);
    axisNew = shift > 0 ? newRows(gp, gr, stride, dilation, shift) : axisRows;
    return;
  }
  // The union has at most gp (resp. gr) offsets: size the scratch from the op, not a fixed cap.
  offsetsP = growFloat(offsetsP, gp);
  offsetsR = growFloat(offsetsR, gr);
  const np = axisOffsets(tile, spatial, D, c, p, dp, offsetsP);
  const nr = axisOffsets(tile, spatial, D, c, p, dr, offsetsR);
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

/** Loop-index extent of dim d spanned by the union of children: the child tile times the spatial factors between. */
function groupExtent(tile: Float64Array, spatial: Float64Array, D: number, c: number, p: number, d: number): number {
  let g = c >= 0 ? tile[c * D + d] : 1;
  for (let j = c + 1; j <= p; j++) g *= spatial[j * D + d];
  return g;
}

/** Every global index offset of dim d covered by the children between c and p (child tile rows included). */
function axisOffsets(tile: Float64Array, spatial: Float64Array, D: number, c: number, p: number, d: number, out: Float64Array): number {
  let n = c >= 0 ? tile[c * D + d] : 1;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let j = c + 1; j <= p; j++) {
    const f = spatial[j * D + d];
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
 * `einsumGroupNew`/`einsumChildNew` get what a slide of the innermost relevant loop brings in, when that loop moves
 * one of the operand's windows (the overlap stays resident along that window, as for conv rows and columns).
 */
function einsumTraffic(m: Mapping, op: MacOp, t: number, c: number, p: number): number {
  const D = m.dims;
  const { tile, spatial } = scratch;
  const n = op.nest;
  const plain = n.plain[t];
  const wp = n.winP[t];
  const wr = n.winR[t];
  const sp = n.winSP[t];
  const sr = n.winSR[t];
  let base = 1;
  for (let i = 0; i < plain.length; i++) base *= groupExtent(tile, spatial, D, c, p, plain[i]);
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
    groupAxis(m, c, p, wp[a], wr[a], sp[a], sr[a], a === slide ? shift : 0);
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
  const { tile, spatial } = scratch;
  let n = 1;
  if (out) out[0] = 0;
  for (let l = 0; l < m.levels; l++) {
    const below = l > 0 ? tile[(l - 1) * D + d] : 1;
    const s = spatial[l * D + d];
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
  const { tile, spatial, act, group, tileElements } = scratch;
  const nest = op.nest;
  // A window on the output (a transposed conv, a window op's backward-data): tiles overlap, refills are counted.
  const outWindow = nest.winP[2].length > 0;

  // Traffic between each keeping level and the next keeping level below it (or the MACs).
  gatherLoops(m);
  for (let t = 0; t < 3; t++) {
    const proj = op.projections[t];
    const mask = nest.mask[t];
    const isOut = t === 2;
    let c = -1;
    for (let p = 0; p < L; p++) {
      if (!m.keep[p * 3 + t]) continue;
      walkAbove(m, c, mask);
      const loads = walkLoads;
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
        const r = einsumTraffic(m, op, t, c, p);
        fpGroup = r;
        fpGroupNew = einsumGroupNew;
        fpChild = c >= 0 ? tileElements[c * 3 + t] : 0;
        fpChildNew = c >= 0 ? einsumChildNew : 0;
      } else if (proj === 1) {
        const base = groupExtent(tile, spatial, D, c, p, 0) * groupExtent(tile, spatial, D, c, p, 1) * groupExtent(tile, spatial, D, c, p, 3);
        groupAxis(m, c, p, P, R, op.strideH, op.dilationH, shiftH);
        const rowsH = axisRows;
        const newH = axisNew;
        groupAxis(m, c, p, Q, S, op.strideW, op.dilationW, shiftW);
        fpGroup = base * rowsH * axisRows;
        fpGroupNew = shiftH > 0 ? base * newH * axisRows : shiftW > 0 ? base * rowsH * axisNew : fpGroup;
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
        if (proj === 0) {
          group[1] = groupExtent(tile, spatial, D, c, p, 1);
          group[2] = groupExtent(tile, spatial, D, c, p, 2);
          group[3] = groupExtent(tile, spatial, D, c, p, 3);
          group[6] = groupExtent(tile, spatial, D, c, p, 6);
          group[7] = groupExtent(tile, spatial, D, c, p, 7);
        } else {
          group[0] = groupExtent(tile, spatial, D, c, p, 0);
          group[1] = groupExtent(tile, spatial, D, c, p, 1);
          group[2] = groupExtent(tile, spatial, D, c, p, 2);
          group[4] = groupExtent(tile, spatial, D, c, p, 4);
          group[5] = groupExtent(tile, spatial, D, c, p, 5);
        }
        fpGroup = footprint(group, 0, t, op);
        fpGroupNew = fpGroup;
        if (c >= 0) {
          fpChild = tileElements[c * 3 + t];
          fpChildNew = fpChild;
        }
      }
      if (isOut && outWindow) {
        // Overlapping windows: each tile visit writes its whole tile back, and reads back (refills) what an earlier
        // visit of the same instance already wrote; the first touches are the instance's union over the run.
        out.writes[p * 3 + t] += actP * loads * fpGroup;
        out.reads[p * 3 + t] += actP * (loads * fpGroup - outputUnion(m, op, p));
        if (c >= 0) {
          out.reads[c * 3 + t] += act[c] * loads * fpChild;
          out.writes[c * 3 + t] += act[c] * (loads * fpChild - outputUnion(m, op, c));
        }
      } else if (isOut) {
        const refills = loads - walkDistinct;
        out.writes[p * 3 + t] += actP * loads * fpGroup;
        out.reads[p * 3 + t] += actP * refills * fpGroup;
        if (c >= 0) {
          out.reads[c * 3 + t] += act[c] * loads * fpChild;
          out.writes[c * 3 + t] += act[c] * refills * fpChild;
        }
      } else {
        // The MAC keeps nothing: every iteration is a full (single-element) load.
        const full = walkDim >= 0 && c >= 0 ? loads / walkBound : loads;
        const slides = loads - full;
        out.reads[p * 3 + t] += actP * (full * fpGroup + slides * fpGroupNew);
        if (c >= 0) out.writes[c * 3 + t] += act[c] * (full * fpChild + slides * fpChildNew);
      }
      c = p;
    }
  }
  bytesAndNetwork(op, hw, L, out);

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

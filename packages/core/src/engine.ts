import { DIM_COUNT, P, Q, R, RELEVANT, S } from './dims.js';
import type { HardwareModel } from './hardware.js';
import type { Mapping } from './mapping.js';
import { windowRows, type MacOp } from './op.js';

/** Why a mapping is illegal; `Cost.explain()` turns the code into a sentence. */
export const Illegal = { None: 0, Coverage: 1, Fanout: 2, Capacity: 3, Keep: 4 } as const;
export type Illegal = (typeof Illegal)[keyof typeof Illegal];

/**
 * The engine's output for one (op, hardware, mapping). Preallocated and overwritten on every evaluation so the hot
 * path allocates nothing. Counts are in elements of each operand's precision and are totals over all instances.
 */
export class Cost {
  illegal: Illegal = Illegal.None as Illegal;
  illegalLevel = -1;
  illegalDim = -1;
  macs = 0;
  /** MAC-unit cycles spent on iterations of padded (partial) tiles. */
  paddedMacs = 0;
  computeCycles = 0;
  overheadCycles = 0;
  stallCycles = 0;
  cycles = 0;
  utilization = 0;
  readonly reads: Float64Array;
  readonly writes: Float64Array;
  /** Cycles each level's port needs per instance to move its traffic. */
  readonly levelCycles: Float64Array;
  readonly levelEnergyPj: Float64Array;
  macEnergyPj = 0;
  networkEnergyPj = 0;
  leakageEnergyPj = 0;
  energyPj = 0;
  dramBytes = 0;

  constructor(readonly levels: number) {
    this.reads = new Float64Array(levels * 3);
    this.writes = new Float64Array(levels * 3);
    this.levelCycles = new Float64Array(levels);
    this.levelEnergyPj = new Float64Array(levels);
  }

  get legal(): boolean {
    return this.illegal === Illegal.None;
  }

  /** A sentence naming the rule the mapping broke (built only when asked, never in the hot path). */
  explain(hw: HardwareModel): string {
    const lvl = this.illegalLevel >= 0 ? hw.levels[this.illegalLevel]?.name : '?';
    const dims = 'NGKCPQRS';
    switch (this.illegal) {
      case Illegal.None:
        return 'legal';
      case Illegal.Coverage:
        return `the loop factors of dim ${dims[this.illegalDim]} do not cover its bound`;
      case Illegal.Fanout:
        return `the spatial unroll under level ${lvl} exceeds its ${hw.levels[this.illegalLevel].fanoutX}×${hw.levels[this.illegalLevel].fanoutY} fanout`;
      case Illegal.Capacity:
        return `the tiles kept at level ${lvl} exceed its capacity`;
      case Illegal.Keep:
        return `level ${lvl} is asked to keep an operand it cannot hold (the backing store must keep every operand)`;
    }
  }
}

const MAX_LEVELS = 16;
const tile = new Float64Array(MAX_LEVELS * DIM_COUNT);
const group = new Float64Array(DIM_COUNT);
const act = new Float64Array(MAX_LEVELS + 1);
const spatial = new Float64Array(MAX_LEVELS * DIM_COUNT);

// Results of the loop walk above a child level (module scope instead of an allocated tuple).
let walkLoads = 1;
let walkDistinct = 1;
let walkDim = -1;
let walkBound = 1;
let walkLevel = -1;

// The temporal loops with a factor above 1, level by level (levels ascending, innermost loop first within a level),
// gathered once per evaluation so that each walk visits only the loops that iterate.
const loopDim = new Int32Array(MAX_LEVELS * DIM_COUNT);
const loopFactor = new Float64Array(MAX_LEVELS * DIM_COUNT);
const loopLevel = new Int32Array(MAX_LEVELS * DIM_COUNT);
const loopStart = new Int32Array(MAX_LEVELS + 1);
const instances = new Float64Array(MAX_LEVELS);

function gatherLoops(m: Mapping): void {
  let n = 0;
  const L = m.levels;
  for (let l = 0; l < L; l++) {
    loopStart[l] = n;
    const base = l * DIM_COUNT;
    for (let i = DIM_COUNT - 1; i >= 0; i--) {
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

/** Elements of an operand in a tile with the given bounds (a contiguous box of loop indices). */
function footprint(b: Float64Array, o: number, proj: number, op: MacOp): number {
  if (proj === 0) return b[o + 1] * b[o + 2] * b[o + 3] * b[o + 6] * b[o + 7];
  if (proj === 2) return b[o] * b[o + 1] * b[o + 2] * b[o + 4] * b[o + 5];
  return (
    b[o] * b[o + 1] * b[o + 3] *
    windowRows(b[o + 4], b[o + 6], op.strideH, op.dilationH) *
    windowRows(b[o + 5], b[o + 7], op.strideW, op.dilationW)
  );
}

/** New input rows when a contiguous window tile slides by `shift` rows (the overlap stays resident). */
function newRows(outRows: number, kernelRows: number, stride: number, dilation: number, shift: number): number {
  const rows = windowRows(outRows, kernelRows, stride, dilation);
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  if (rows === extent) return shift < extent ? shift : extent;
  marks = markRowsBox(outRows, kernelRows, stride, dilation, marks);
  return rows - overlapMarked(extent, shift);
}

let marks: Uint8Array = new Uint8Array(256);
function markRowsBox(outRows: number, kernelRows: number, stride: number, dilation: number, buf: Uint8Array): Uint8Array {
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  const b = buf.length < extent ? new Uint8Array(extent * 2) : buf;
  b.fill(0, 0, extent);
  for (let p = 0; p < outRows; p++) for (let r = 0; r < kernelRows; r++) b[p * stride + r * dilation] = 1;
  return b;
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
const offsetsP = new Float64Array(4096);
const offsetsR = new Float64Array(4096);
function groupAxis(m: Mapping, c: number, p: number, dp: number, dr: number, stride: number, dilation: number, shift: number): void {
  let contiguous = true;
  for (let j = c + 1; j < p; j++) {
    if (m.temporal[j * DIM_COUNT + dp] > 1 || m.temporal[j * DIM_COUNT + dr] > 1) contiguous = false;
  }
  const gp = groupExtent(c, p, dp);
  const gr = groupExtent(c, p, dr);
  if (contiguous) {
    axisRows = windowRows(gp, gr, stride, dilation);
    axisNew = shift > 0 ? newRows(gp, gr, stride, dilation, shift) : axisRows;
    return;
  }
  const np = axisOffsets(m, c, p, dp, offsetsP);
  const nr = axisOffsets(m, c, p, dr, offsetsR);
  let maxRow = 0;
  for (let i = 0; i < np; i++) for (let j = 0; j < nr; j++) maxRow = Math.max(maxRow, offsetsP[i] * stride + offsetsR[j] * dilation);
  const extent = maxRow + 1 + shift;
  if (marks.length < extent) marks = new Uint8Array(extent * 2);
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
function groupExtent(c: number, p: number, d: number): number {
  let g = c >= 0 ? tile[c * DIM_COUNT + d] : 1;
  for (let j = c + 1; j <= p; j++) g *= spatial[j * DIM_COUNT + d];
  return g;
}

/** Every global index offset of dim d covered by the children between c and p (child tile rows included). */
function axisOffsets(m: Mapping, c: number, p: number, d: number, out: Float64Array): number {
  let n = c >= 0 ? tile[c * DIM_COUNT + d] : 1;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let j = c + 1; j <= p; j++) {
    const f = spatial[j * DIM_COUNT + d];
    if (f === 1) continue;
    const radix = j > 0 ? tile[(j - 1) * DIM_COUNT + d] : 1;
    const base = n;
    for (let k = 1; k < f; k++) for (let i = 0; i < base; i++) out[k * base + i] = out[i] + k * radix;
    n = base * f;
  }
  return n;
}

/** Stride of one step of loop (level, dim) in the dim's global index: everything of that dim inside it. */
function loopRadix(m: Mapping, level: number, d: number): number {
  return tile[level * DIM_COUNT + d] / m.temporal[level * DIM_COUNT + d];
}

/** Projection code (0 filter, 1 window, 2 output) without a keyed lookup in the hot path. */
function projCode(p: string): number {
  return p === 'filter' ? 0 : p === 'window' ? 1 : 2;
}
const MASK_FILTER = RELEVANT.filter;
const MASK_WINDOW = RELEVANT.window;
const MASK_OUTPUT = RELEVANT.output;

/**
 * The legality rules `evaluate` applies first — coverage of every bound, fanout, capacity and keep — without the
 * traffic, cycles and energy: on an illegal mapping `out` is exactly what `evaluate` returns; on a legal one only
 * `out.illegal` (None) is meaningful. Mapspace pruning probes call this instead of the full evaluation.
 */
export function checkMapping(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  const L = m.levels;
  const levels = hw.levels;
  out.illegal = Illegal.None;
  out.illegalLevel = -1;
  out.illegalDim = -1;
  for (let i = 0; i < L * 3; i++) {
    out.reads[i] = 0;
    out.writes[i] = 0;
  }

  // Coverage, fanout and cumulative tile bounds.
  for (let d = 0; d < DIM_COUNT; d++) {
    let prod = 1;
    for (let l = 0; l < L; l++) {
      const i = l * DIM_COUNT + d;
      const sp = m.spatialX[i] * m.spatialY[i];
      spatial[i] = sp;
      prod *= m.temporal[i] * sp;
      tile[i] = prod;
    }
    if (prod < op.bounds[d]) return fail(out, Illegal.Coverage, -1, d);
  }
  act[L - 1] = 1;
  for (let l = L - 1; l >= 0; l--) {
    let px = 1;
    let py = 1;
    let sp = 1;
    for (let d = 0; d < DIM_COUNT; d++) {
      const i = l * DIM_COUNT + d;
      px *= m.spatialX[i];
      py *= m.spatialY[i];
      sp *= spatial[i];
    }
    if (px > levels[l].fanoutX || py > levels[l].fanoutY) return fail(out, Illegal.Fanout, l, -1);
    if (l > 0) act[l - 1] = act[l] * sp;
    else act[MAX_LEVELS] = act[0] * sp; // active MACs
  }

  // Capacity and keep rules.
  const ops = op.operands;
  for (let l = 0; l < L; l++) {
    const lv = levels[l];
    let used = 0;
    for (let t = 0; t < 3; t++) {
      if (!m.keep[l * 3 + t]) {
        if (l === L - 1) return fail(out, Illegal.Keep, l, -1);
        continue;
      }
      if (!lv.holds[t]) return fail(out, Illegal.Keep, l, -1);
      const fp = footprint(tile, l * DIM_COUNT, projCode(ops[t].projection), op) * (lv.doubleBuffered ? 2 : 1);
      if (lv.slotCapacityWords !== undefined) {
        if (fp > lv.slotCapacityWords[t]) return fail(out, Illegal.Capacity, l, -1);
      } else used += fp;
    }
    if (lv.slotCapacityWords === undefined && used > lv.capacityWords) return fail(out, Illegal.Capacity, l, -1);
  }
  return out;
}

/**
 * The analytic cost of one mapping: accesses per level and operand, cycles with bandwidth stalls, energy by
 * component. Writes into `out` and returns it. Assumptions (README "Engine assumptions"): one MAC per unit per
 * cycle; whole tiles move on every reload except the sliding-window overlap along the loop that advances; partial
 * sums are read back except on their first touch; spatial reduction happens in the array's network.
 */
export function evaluate(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  if (checkMapping(op, hw, m, out).illegal !== Illegal.None) return out;
  const L = m.levels;
  const levels = hw.levels;
  const ops = op.operands;

  // Traffic between each keeping level and the next keeping level below it (or the MACs).
  gatherLoops(m);
  for (let t = 0; t < 3; t++) {
    const proj = projCode(ops[t].projection);
    const mask = proj === 0 ? MASK_FILTER : proj === 1 ? MASK_WINDOW : MASK_OUTPUT;
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
      if (proj === 1) {
        const base = groupExtent(c, p, 0) * groupExtent(c, p, 1) * groupExtent(c, p, 3);
        groupAxis(m, c, p, P, R, op.strideH, op.dilationH, shiftH);
        const rowsH = axisRows;
        const newH = axisNew;
        groupAxis(m, c, p, Q, S, op.strideW, op.dilationW, shiftW);
        fpGroup = base * rowsH * axisRows;
        fpGroupNew = shiftH > 0 ? base * newH * axisRows : shiftW > 0 ? base * rowsH * axisNew : fpGroup;
        if (c >= 0) {
          const o = c * DIM_COUNT;
          const cb = tile[o] * tile[o + 1] * tile[o + 3];
          const ch = windowRows(tile[o + 4], tile[o + 6], op.strideH, op.dilationH);
          const cw = windowRows(tile[o + 5], tile[o + 7], op.strideW, op.dilationW);
          fpChild = cb * ch * cw;
          fpChildNew =
            shiftH > 0
              ? cb * newRows(tile[o + 4], tile[o + 6], op.strideH, op.dilationH, shiftH) * cw
              : shiftW > 0
                ? cb * ch * newRows(tile[o + 5], tile[o + 7], op.strideW, op.dilationW, shiftW)
                : fpChild;
        }
      } else {
        for (let d = 0; d < DIM_COUNT; d++) group[d] = groupExtent(c, p, d);
        fpGroup = footprint(group, 0, proj, op);
        fpGroupNew = fpGroup;
        if (c >= 0) {
          fpChild = footprint(tile, c * DIM_COUNT, proj, op);
          fpChildNew = fpChild;
        }
      }
      if (isOut) {
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

  // Cycles: one temporal iteration is one cycle of every active MAC; fill/drain overhead per fold.
  let compute = 1;
  let folds = 1;
  for (let l = 0; l < L; l++) {
    for (let d = 0; d < DIM_COUNT; d++) {
      const f = m.temporal[l * DIM_COUNT + d];
      compute *= f;
      if (l >= m.overheadLevel) folds *= f;
    }
  }
  const overhead = m.overheadCycles > 0 ? folds * m.overheadCycles : 0;
  const busy = compute + overhead;
  let overlapped = busy;
  let serial = 0;
  const wordBytes = hw.wordBits / 8;
  let energy = 0;
  let network = 0;
  let dramBytes = 0;
  for (let l = 0; l < L; l++) {
    const lv = levels[l];
    let r = 0;
    let w = 0;
    let e = 0;
    for (let t = 0; t < 3; t++) {
      const scale = ops[t].bytes / wordBytes;
      const rt = out.reads[l * 3 + t];
      const wt = out.writes[l * 3 + t];
      r += rt * scale;
      w += wt * scale;
      e += (rt * lv.readEnergyPj + wt * lv.writeEnergyPj) * scale;
      if (l === L - 1) dramBytes += (rt + wt) * ops[t].bytes;
    }
    const inst = act[l];
    const cyc = lv.sharedPort
      ? (r + w) / inst / lv.readBandwidth
      : Math.max(r / inst / lv.readBandwidth, w / inst / lv.writeBandwidth);
    out.levelCycles[l] = cyc;
    if (lv.doubleBuffered) {
      if (cyc > overlapped) overlapped = cyc;
    } else serial += cyc;
    // Network energy: words a level sends down to its children over the array's network (multicast once).
    const ne = lv.fanoutX * lv.fanoutY > 1 ? r * lv.networkEnergyPj : 0;
    out.levelEnergyPj[l] = e;
    energy += e + ne;
    network += ne;
  }
  // A transfer that ends part-way through a cycle still occupies that cycle.
  const cycles = Math.ceil(overlapped + serial);
  const units = act[MAX_LEVELS];
  let totalUnits = 1;
  for (const lv of levels) totalUnits *= lv.fanoutX * lv.fanoutY;
  out.macs = op.macs;
  out.paddedMacs = compute * units - op.macs;
  out.computeCycles = busy;
  out.overheadCycles = overhead;
  out.stallCycles = cycles - busy;
  out.cycles = cycles;
  out.utilization = op.macs / (cycles * totalUnits);
  out.macEnergyPj = op.macs * hw.macEnergyPj;
  out.networkEnergyPj = network;
  // Instances of each level: the product of the fanouts above it (integers, so the product order does not matter).
  instances[L - 1] = 1;
  for (let l = L - 2; l >= 0; l--) instances[l] = instances[l + 1] * (levels[l + 1].fanoutX * levels[l + 1].fanoutY);
  let leak = 0;
  for (let l = 0; l < L; l++) leak += levels[l].leakageMw * instances[l];
  // mW × µs = nJ; cycles / MHz = µs; ×1000 to pJ.
  out.leakageEnergyPj = (leak * cycles) / hw.clockMHz * 1000;
  out.energyPj = energy + out.macEnergyPj + out.leakageEnergyPj;
  out.dramBytes = dramBytes;
  return out;
}

function fail(out: Cost, why: Illegal, level: number, dim: number): Cost {
  out.illegal = why;
  out.illegalLevel = level;
  out.illegalDim = dim;
  out.cycles = Infinity;
  out.energyPj = Infinity;
  return out;
}

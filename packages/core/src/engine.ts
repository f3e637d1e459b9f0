import { DIM_COUNT, P, Q, R, RELEVANT, S } from './dims.js';
import { levelInstances, type HardwareModel } from './hardware.js';
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
  const L = m.levels;
  for (let l = child + 1; l < L; l++) {
    const base = l * DIM_COUNT;
    for (let i = DIM_COUNT - 1; i >= 0; i--) {
      const d = m.order[base + i];
      const f = m.temporal[base + d];
      if (f === 1) continue;
      const rel = (mask >> d) & 1;
      if (rel) distinct *= f;
      if (found) loads *= f;
      else if (rel) {
        found = true;
        walkDim = d;
        walkBound = f;
        loads *= f;
      }
    }
  }
  walkLoads = loads;
  walkDistinct = distinct;
}

/** Elements of an operand in a tile with the given bounds. */
function footprint(b: Float64Array, o: number, proj: number, op: MacOp): number {
  if (proj === 0) return b[o + 1] * b[o + 2] * b[o + 3] * b[o + 6] * b[o + 7];
  if (proj === 2) return b[o] * b[o + 1] * b[o + 2] * b[o + 4] * b[o + 5];
  return (
    b[o] * b[o + 1] * b[o + 3] *
    windowRows(b[o + 4], b[o + 6], op.strideH, op.dilationH) *
    windowRows(b[o + 5], b[o + 7], op.strideW, op.dilationW)
  );
}

/** New input rows when a window tile slides by `shift` rows (the overlap stays resident). */
function newRows(outRows: number, kernelRows: number, stride: number, dilation: number, shift: number): number {
  const rows = windowRows(outRows, kernelRows, stride, dilation);
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  if (rows === extent) return shift < extent ? shift : extent;
  return rows - overlapRows(outRows, kernelRows, stride, dilation, shift);
}

let marks = new Uint8Array(256);
function overlapRows(outRows: number, kernelRows: number, stride: number, dilation: number, shift: number): number {
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  if (shift >= extent) return 0;
  if (marks.length < extent) marks = new Uint8Array(extent * 2);
  marks.fill(0, 0, extent);
  for (let p = 0; p < outRows; p++) for (let r = 0; r < kernelRows; r++) marks[p * stride + r * dilation] = 1;
  let n = 0;
  for (let i = shift; i < extent; i++) if (marks[i] && marks[i - shift]) n++;
  return n;
}

/** Elements newly needed when the tile advances one step along `dim` (sliding-window overlap is kept). */
function deltaFootprint(b: Float64Array, o: number, proj: number, op: MacOp, dim: number): number {
  if (proj !== 1 || dim < P) return footprint(b, o, proj, op);
  const rowsH = windowRows(b[o + 4], b[o + 6], op.strideH, op.dilationH);
  const rowsW = windowRows(b[o + 5], b[o + 7], op.strideW, op.dilationW);
  const base = b[o] * b[o + 1] * b[o + 3];
  if (dim === P || dim === R) {
    const shift = dim === P ? b[o + 4] * op.strideH : b[o + 6] * op.dilationH;
    return base * newRows(b[o + 4], b[o + 6], op.strideH, op.dilationH, shift) * rowsW;
  }
  const shift = dim === Q ? b[o + 5] * op.strideW : b[o + 7] * op.dilationW;
  return base * rowsH * newRows(b[o + 5], b[o + 7], op.strideW, op.dilationW, shift);
}

const PROJ = { filter: 0, window: 1, output: 2 } as const;

/**
 * The analytic cost of one mapping: accesses per level and operand, cycles with bandwidth stalls, energy by
 * component. Writes into `out` and returns it. Assumptions (README "Engine assumptions"): one MAC per unit per
 * cycle; whole tiles move on every reload except the sliding-window overlap along the loop that advances; partial
 * sums are read back except on their first touch; spatial reduction happens in the array's network.
 */
export function evaluate(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  const L = m.levels;
  const levels = hw.levels;
  out.illegal = Illegal.None;
  out.illegalLevel = -1;
  out.illegalDim = -1;
  out.reads.fill(0);
  out.writes.fill(0);

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
      const fp = footprint(tile, l * DIM_COUNT, PROJ[ops[t].projection], op) * (lv.doubleBuffered ? 2 : 1);
      if (lv.slotCapacityWords !== undefined) {
        if (fp > lv.slotCapacityWords[t]) return fail(out, Illegal.Capacity, l, -1);
      } else used += fp;
    }
    if (lv.slotCapacityWords === undefined && used > lv.capacityWords) return fail(out, Illegal.Capacity, l, -1);
  }

  // Traffic between each keeping level and the next keeping level below it (or the MACs).
  for (let t = 0; t < 3; t++) {
    const proj = PROJ[ops[t].projection];
    const mask = RELEVANT[ops[t].projection];
    const isOut = t === 2;
    let c = -1;
    for (let p = 0; p < L; p++) {
      if (!m.keep[p * 3 + t]) continue;
      // Group tile: the child's tile times the spatial unroll between child and parent.
      for (let d = 0; d < DIM_COUNT; d++) {
        let g = c >= 0 ? tile[c * DIM_COUNT + d] : 1;
        for (let j = c + 1; j <= p; j++) g *= spatial[j * DIM_COUNT + d];
        group[d] = g;
      }
      walkAbove(m, c, mask);
      const loads = walkLoads;
      const fpGroup = footprint(group, 0, proj, op);
      const actP = act[p];
      if (isOut) {
        const refills = loads - walkDistinct;
        out.writes[p * 3 + t] += actP * loads * fpGroup;
        out.reads[p * 3 + t] += actP * refills * fpGroup;
        if (c >= 0) {
          const fpChild = footprint(tile, c * DIM_COUNT, proj, op);
          out.reads[c * 3 + t] += act[c] * loads * fpChild;
          out.writes[c * 3 + t] += act[c] * refills * fpChild;
        }
      } else {
        const full = walkDim >= 0 ? loads / walkBound : loads;
        const slides = loads - full;
        let groupWords = full * fpGroup;
        if (slides > 0) groupWords += slides * deltaFootprint(group, 0, proj, op, walkDim);
        out.reads[p * 3 + t] += actP * groupWords;
        if (c >= 0) {
          const fpChild = footprint(tile, c * DIM_COUNT, proj, op);
          let childWords = full * fpChild;
          if (slides > 0) childWords += slides * deltaFootprint(tile, c * DIM_COUNT, proj, op, walkDim);
          out.writes[c * 3 + t] += act[c] * childWords;
        }
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
  const cycles = overlapped + serial;
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
  let leak = 0;
  for (let l = 0; l < L; l++) leak += levels[l].leakageMw * levelInstances(hw, l);
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

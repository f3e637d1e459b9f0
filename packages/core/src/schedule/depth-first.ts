import { C, G, K, N, P, Q, R as RD, S } from '../dims.js';
import { composeCost } from '../engine/compose.js';
import { better, scaleCost, type Goal, type OpCost } from '../evaluate.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import { inputExtent, macOp, macOpInit, operandSize, type MacOp, type Op, type VectorOp } from '../op.js';
import type { EdgeUse, OpEdges } from './edges.js';
import type { FusionPlan } from './fusion.js';
import { copyOf, moveToChip, slotOfRole } from './op-cost.js';

/** How a stack treats the rows a band shares with the next (a kernel taller than its stride): recompute or cache. */
export type HaloPolicy = 'recompute' | 'cache';

/**
 * A depth-first stack (`--fusion full`): consecutive convolution units (a conv and the epilogues fused into it), each
 * reading only the previous unit's result, run band by band: `bands` horizontal bands of the last unit's output rows,
 * each unit computing the rows the next one needs while the intermediate bands stay in the staging level (DeFiNES,
 * Mei et al., HPCA 2023; the layer-fused schedules of Alwani et al., MICRO 2016). Each unit runs as one op of its
 * band shape batched over the bands, priced by the template's cost model like any op (its mapping decides whether
 * its weights stay on chip across the bands); with `recompute`, a band recomputes the halo rows the previous band
 * also computed; with `cache`, they are kept in a line buffer and each row is computed once.
 */
export interface DepthFirstStack {
  /** Heads of the units (op indices), in order, and each unit's last op. */
  readonly heads: readonly number[];
  readonly lasts: readonly number[];
  readonly bands: number;
  readonly policy: HaloPolicy;
  /** Output rows per band of each unit's conv. */
  readonly rows: readonly number[];
  /** MACs computed beyond the network's (recomputed halos). */
  readonly recomputedMacs: number;
  /** Bytes the stack holds in the staging level: every unit's input and output band, line buffers, tiles. */
  readonly bufferBytes: number;
}

interface Unit {
  readonly head: number;
  readonly last: number;
  readonly op: MacOp;
  /** Pooling fused into the unit: window and stride along rows (1, 1: none). */
  readonly poolK: number;
  readonly poolS: number;
  /** The unit's stored result (its last op's write) and its rows. */
  readonly out: EdgeUse;
  readonly outRows: number;
}

const MAX_DEPTH = 3;
/** Band sizes tried per stack: the tallest two whose bands fill at most half the staging level. */
const MAX_BAND_CHOICES = 2;
/** Band buffers are reserved in steps of 1/32 of the staging level (rounded up): band ops of nearby budgets share a mapping search. */
const BUDGET_STEPS = 32;

function isStackable(op: Op): op is MacOp {
  return op.kind === 'mac' && op.nest.conv && op.phase === 'forward' && op.inputRows === 0 && op.inputCols === 0 && op.bounds[P] > 1 && !op.equivalents;
}

/** The units of the network: each stackable conv with its fused epilogues (one group of the plan, or alone). */
function unitsOf(ops: readonly Op[], edges: readonly OpEdges[], plan: FusionPlan): Array<Unit | undefined> {
  const units: Array<Unit | undefined> = [];
  let i = 0;
  while (i < ops.length) {
    const g = plan.groupOf[i] >= 0 ? plan.groups[plan.groupOf[i]] : undefined;
    const last = g && g.head === i && !g.attention ? g.members[g.members.length - 1] : i;
    const op = ops[i];
    // A unit's epilogues must take their inputs on the output path alone (nothing of the unit stored but its result).
    if (!isStackable(op) || (g && g.head !== i) || g?.passed.some((p) => p.stored) || edges[last].writes.length !== 1) {
      units.push(undefined);
      i = last + 1;
      continue;
    }
    let poolK = 1;
    let poolS = 1;
    let ok = true;
    for (const j of g && g.head === i ? g.members : []) {
      const m = ops[j] as VectorOp;
      if (m.epilogue !== 'pool') continue;
      // The pooled rows of a band: the layer's pooling window and stride, from the element counts (square windows).
      const inN = m.reads.reduce((a, r) => (r.tensor === 'inputs' ? Math.max(a, r.elements) : a), 0);
      const outN = m.writes[0]?.elements ?? 0;
      const ratio = outN > 0 ? Math.sqrt(inN / outN) : 0;
      const k = outN > 0 ? Math.round(m.aluOps / outN) : 0;
      const side = Math.round(Math.sqrt(k));
      if (!Number.isInteger(ratio) || side * side !== k || poolK !== 1) ok = false;
      else {
        poolK = side;
        poolS = ratio;
      }
    }
    const outRows = Math.floor((op.bounds[P] - poolK) / poolS) + 1;
    units.push(ok ? { head: i, last, op, poolK, poolS, out: edges[last].writes[0], outRows } : undefined);
    i = last + 1;
  }
  return units.filter((u, k, all) => u !== undefined || all[k - 1] !== undefined);
}

/** Rows of the unit's conv output needed for `outRows` rows of its (pooled) result. */
function convRowsFor(u: Unit, outRows: number): number {
  return u.poolK === 1 ? outRows : inputExtent(outRows, u.poolK, u.poolS, 1);
}

/** Input rows (padded coordinates) its conv reads for `rows` output rows. */
function inputRowsFor(u: Unit, rows: number): number {
  return inputExtent(rows, u.op.bounds[RD], u.op.strideH, u.op.dilationH);
}

/** The unit's conv as one op over all bands: `rows` output rows per band, the bands folded into the batch. */
export function bandOp(op: MacOp, rows: number, bands: number): MacOp {
  const init = macOpInit(op);
  return macOp({ ...init, name: `${op.name}:band`, bounds: { ...init.bounds, N: op.bounds[N] * bands, P: rows } });
}

/**
 * The hardware with `reservedBytes` (over all instances) of the staging level taken: its capacity, and its inputs
 * and outputs partitions half each when it has per-operand partitions. Undefined when nothing would be left.
 */
export function budgetedHardware(hw: HardwareModel, reservedBytes: number): HardwareModel | undefined {
  if (!hw.withLevels || hw.levels.length < 2) return undefined;
  const stage = hw.levels.length - 2;
  const lv = hw.levels[stage];
  const per = reservedBytes / levelInstances(hw, stage);
  const part = lv.slotCapacityBytes;
  const slots = part ? ([part[0], part[1] - per / 2, part[2] - per / 2] as const) : undefined;
  if (lv.capacityBytes - per <= 0 || (slots && (slots[1] <= 0 || slots[2] <= 0))) return undefined;
  return hw.withLevels(hw.levels.map((l, i) => (i === stage ? { ...l, capacityBytes: l.capacityBytes - per, slotCapacityBytes: slots } : l)));
}

export interface DepthFirstOptions {
  readonly capacityBytes: number;
  readonly goal: Goal;
  /**
   * Prices an op through the run's dataflows (or the one named) and the template's cost model (mapping search), with
   * `reservedBytes` of the staging level taken by other data (the bands the other units keep there).
   */
  readonly priceOp: (op: MacOp, reservedBytes: number, dataflow?: string) => OpCost;
}

interface Candidate {
  stack: DepthFirstStack;
  costs: Map<number, OpCost>;
  cycles: number;
  energyPj: number;
  dramBytes: number;
}

/**
 * Searches the stacks: from each unit, every depth up to `MAX_DEPTH` over a chain (each unit's result read only by
 * the next unit's conv), every band count from a few rows up, both halo policies; a stack is kept when its units
 * together beat the same units run one by one (fused epilogues included) under the goal, and fit the staging level.
 * Greedy left to right: the best stack starting at a unit, then on after it. Returns the stacks and their units'
 * new costs (head ops priced as band ops; intermediate bands moved on chip).
 */
export function planDepthFirst(ops: readonly Op[], edges: readonly OpEdges[], plan: FusionPlan, out: readonly OpCost[], hw: HardwareModel, o: DepthFirstOptions): Candidate[] {
  if (hw.levels.length < 2) return [];
  const readers = new Map<string, number>();
  for (const e of edges) for (const r of e.reads) readers.set(r.tensor, (readers.get(r.tensor) ?? 0) + 1);
  const units = unitsOf(ops, edges, plan);
  const chosen: Candidate[] = [];
  let a = 0;
  while (a < units.length) {
    let best: Candidate | undefined;
    let end = a;
    for (let b = a + 1; b < units.length && b - a < MAX_DEPTH; b++) {
      const prev = units[b - 1];
      const cur = units[b];
      if (!prev || !cur || cur.head !== prev.last + 1) break;
      // A chain: the previous result is read once, by this unit's conv, as its input.
      if ((readers.get(prev.out.tensor) ?? 0) !== 1 || !edges[cur.head].reads.some((r) => r.tensor === prev.out.tensor)) break;
      if (cur.op.bounds[N] !== prev.op.bounds[N]) break;
      const chain = units.slice(a, b + 1) as Unit[];
      const c = bestStack(chain, ops, edges, out, hw, o);
      if (c && (!best || better(o.goal, c.cycles, c.energyPj, best.cycles, best.energyPj))) {
        best = c;
        end = b;
      }
    }
    if (best) {
      chosen.push(best);
      a = end + 1;
    } else a++;
  }
  return chosen;
}

function bestStack(chain: Unit[], ops: readonly Op[], edges: readonly OpEdges[], out: readonly OpCost[], hw: HardwareModel, o: DepthFirstOptions): Candidate | undefined {
  // Run one by one (as priced so far: epilogues fused), with each result between the units handed off on chip when
  // it fits beside the two ops' tiles, as the placement would: a stack must beat that, not the DRAM round trip.
  let baseCycles = 0;
  let baseEnergy = 0;
  let baseDram = 0;
  let spills = false;
  const stage = hw.levels.length - 2;
  for (let k = 0; k < chain.length; k++) {
    const u = chain[k];
    for (let i = u.head; i <= u.last; i++) {
      let c = out[i];
      const into = k > 0 && i === u.head ? chain[k - 1].out : undefined;
      const from = k < chain.length - 1 && i === u.last ? u.out : undefined;
      for (const e of [into, from]) {
        if (!e) continue;
        if (e.elements * e.bytes + footprintAt(c, stage) > o.capacityBytes) {
          spills = true;
          continue;
        }
        if (c === out[i]) c = copyOf(c);
        const t = slotOfRole(c, e.role);
        if (t >= 0) moveToChip(c, hw, stage, t, e === into ? (c.form.kind === 'mac' ? Infinity : e.elements) : 0, e === from ? (c.form.kind === 'mac' ? Infinity : e.elements) : 0, e.bytes);
      }
      if (c !== out[i]) composeCost(hw, c.cost);
      baseCycles += c.cost.cycles;
      baseEnergy += c.cost.energyPj;
      baseDram += c.cost.dramBytes;
    }
  }
  // Every result between the units already stays on chip whole: bands could only re-read weights and halos. No search.
  if (!spills) return undefined;
  const lastRows = chain[chain.length - 1].outRows;
  // Fewer, taller bands re-read fewer weights and halo rows: the tallest bands that leave half the level to the
  // units' tiles, and the next smaller (the mapping search then decides between them).
  const candidates: number[] = [];
  for (let r = 1; r < lastRows; r *= 2) candidates.unshift(r);
  const choices = candidates.filter((r) => bandBytesOf(chain, Math.ceil(lastRows / r), r, 'cache') <= o.capacityBytes / 2).slice(0, MAX_BAND_CHOICES);
  let best: Candidate | undefined;
  for (const bandRows of choices) {
    const bands = Math.ceil(lastRows / bandRows);
    for (const policy of ['cache', 'recompute'] as const) {
      const c = stackCandidate(chain, bands, bandRows, policy, ops, edges, out, hw, o);
      if (!c) continue;
      // Kept only when it moves no more DRAM bytes and the goal prefers it.
      if (c.dramBytes > baseDram || !better(o.goal, c.cycles, c.energyPj, baseCycles, baseEnergy)) continue;
      if (!best || better(o.goal, c.cycles, c.energyPj, best.cycles, best.energyPj)) best = c;
    }
  }
  return best;
}

/** Conv output rows per band of each unit (see `stackCandidate`). */
function rowsOf(chain: Unit[], bands: number, bandRows: number, policy: HaloPolicy): number[] {
  const rows: number[] = new Array<number>(chain.length);
  let need = bandRows;
  for (let k = chain.length - 1; k >= 0; k--) {
    const u = chain[k];
    const conv = policy === 'cache' ? Math.ceil(u.op.bounds[P] / bands) : Math.min(u.op.bounds[P], convRowsFor(u, need));
    rows[k] = Math.max(1, conv);
    need = policy === 'cache' ? 0 : inputRowsFor(u, rows[k]);
  }
  return rows;
}

/** Bytes of the bands the units pass between them (each unit's input band from the previous, halo rows included). */
function bandBytesOf(chain: Unit[], bands: number, bandRows: number, policy: HaloPolicy): number {
  const rows = rowsOf(chain, bands, bandRows, policy);
  let bytes = 0;
  for (let k = 1; k < chain.length; k++) {
    const b = chain[k].op.bounds;
    bytes += b[N] * b[G] * b[C] * inputRowsFor(chain[k], rows[k]) * inputExtent(b[Q], b[S], chain[k].op.strideW, chain[k].op.dilationW) * chain[k].op.operands[1].bytes;
  }
  return bytes;
}

function footprintAt(c: OpCost, l: number): number {
  const f = c.cost.footprintBytes;
  return (f[l * 3] + f[l * 3 + 1] + f[l * 3 + 2]) * c.cost.instances[l];
}

function stackCandidate(chain: Unit[], bands: number, bandRows: number, policy: HaloPolicy, ops: readonly Op[], edges: readonly OpEdges[], out: readonly OpCost[], hw: HardwareModel, o: DepthFirstOptions): Candidate | undefined {
  const L = hw.levels.length;
  const top = L - 1;
  const stage = L - 2;
  // Conv output rows per band, last unit first: recompute takes what the next unit's band reads (halo included);
  // cache computes each row once (its share of the rows) and keeps the halo in a line buffer. The bands passed
  // between the units stay in the buffer while the other units run, beside the running unit's tiles (the rule of
  // the hand-off: kept tensors + the op's own tiles); band ops are mapped into what the bands leave.
  const rows = rowsOf(chain, bands, bandRows, policy);
  let bandBytes = bandBytesOf(chain, bands, bandRows, policy);
  const step = o.capacityBytes / BUDGET_STEPS;
  bandBytes = Math.ceil(bandBytes / step) * step;
  if (bandBytes >= o.capacityBytes) return undefined;
  let bufferBytes = bandBytes;
  let tiles = 0;
  const costs = new Map<number, OpCost>();
  let recomputedMacs = 0;
  let cycles = 0;
  let energyPj = 0;
  let dramBytes = 0;
  for (let k = 0; k < chain.length; k++) {
    const u = chain[k];
    const b = u.op.bounds;
    const bytesIn = u.op.operands[1].bytes;
    const bytesOut = u.op.operands[2].bytes;
    // One band is mapped (into what the kept bands leave of the buffer) and run `bands` times; the report's form is
    // the unit's conv over all bands (the bands folded into the batch), whose MACs and compulsory traffic it checks.
    const band = bandOp(u.op, rows[k], bands);
    let one: OpCost;
    try {
      // By the dataflow the unit's conv was mapped with (a band is the same loop nest, shorter).
      one = o.priceOp(bandOp(u.op, rows[k], 1), bandBytes, out[u.head].dataflow);
    } catch {
      return undefined; // a band shape the template cannot map in that room
    }
    const priced: OpCost = { ...one, form: band, cost: scaleCost(one.cost, bands) };
    // Weights the band's mapping keeps whole in the staging level stay there for the next band: read once from the
    // backing store, then from the buffer.
    const tW = slotOfRole(priced, 'weights');
    const wBytes = tW >= 0 ? operandSize(band, tW) * band.operands[tW].bytes : 0;
    if (tW >= 0 && bands > 1 && one.cost.footprintBytes[stage * 3 + tW] * one.cost.instances[stage] >= wBytes) {
      moveToChip(priced, hw, stage, tW, (bands - 1) * operandSize(band, tW), 0, band.operands[tW].bytes);
    }
    tiles = Math.max(tiles, footprintAt(priced, stage));
    recomputedMacs += band.macs - u.op.macs;
    const c = { ...priced, op: ops[u.head] };
    // The intermediate bands stay in the staging level: the first unit reads its input from the backing store, the
    // last writes its result there; everything between moves on chip (partial sums included).
    if (k > 0) {
      const t = slotOfRole(c, 'inputs');
      if (t >= 0) moveToChip(c, hw, stage, t, Infinity, 0, bytesIn);
    }
    if (k < chain.length - 1 || u.last !== u.head) {
      const t = slotOfRole(c, 'outputs');
      if (t >= 0) {
        // Final results feed the epilogues (or the next unit) on chip; partial sums stay in the buffer.
        const i = top * 3 + t;
        const finals = Math.min(c.cost.writes[i], b[N] * bands * b[G] * b[K] * rows[k] * b[Q]);
        if (u.last !== u.head) {
          const per = c.cost.writes[i] > 0 ? c.cost.writeBytes[i] / c.cost.writes[i] : bytesOut;
          c.cost.writes[i] -= finals;
          c.cost.writeBytes[i] -= finals * per;
          c.cost.fusedWrites += finals;
        }
        moveToChip(c, hw, stage, t, Infinity, Infinity, bytesOut);
      }
    }
    composeCost(hw, c.cost);
    costs.set(u.head, c);
    cycles += c.cost.cycles;
    energyPj += c.cost.energyPj;
    dramBytes += c.cost.dramBytes;
    // The epilogues of the unit as priced; the last one's result stays on chip unless it is the stack's output.
    for (let j = u.head + 1; j <= u.last; j++) {
      let m = out[j];
      if (j === u.last && k < chain.length - 1) {
        m = copyOf(m);
        const w = edges[j].writes[0];
        moveToChip(m, hw, stage, 2, 0, w.elements, w.bytes);
        composeCost(hw, m.cost);
        costs.set(j, m);
      }
      cycles += m.cost.cycles;
      energyPj += m.cost.energyPj;
      dramBytes += m.cost.dramBytes;
    }
    // The unit without epilogues hands its result to the next unit on chip (moved above with its partial sums).
  }
  bufferBytes += tiles;
  return {
    stack: { heads: chain.map((u) => u.head), lasts: chain.map((u) => u.last), bands, policy, rows, recomputedMacs, bufferBytes },
    costs,
    cycles,
    energyPj,
    dramBytes,
  };
}

import { composeCost } from '../engine/compose.js';
import { better, type Goal, type OpCost } from '../evaluate.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import { checkCost } from '../invariants.js';
import type { Network } from '../ir/network.js';
import type { MacOp, Op } from '../op.js';
import { networkEdges, type EdgeUse, type OpEdges } from './edges.js';
import type { FusionMode } from '../epilogue.js';
import { planDepthFirst, type HaloPolicy } from './depth-first.js';
import { mergeGroups, placementEdges, planFusion, priceFusedOps, type FusedGroupRow } from './fusion.js';
import { copyOf, moveToChip, slotOfRole } from './op-cost.js';
import { planPlacement, type Placement, type SchedulePolicy } from './placement.js';

export interface ScheduleOptions {
  readonly policy: SchedulePolicy;
  /** Overrides the buffer capacity (default: the outermost on-chip level, `levels[L−2]`, over all instances). */
  readonly capacityBytes?: number;
  /** What fuses (`planFusion`); default `none`: every op runs alone, as priced. */
  readonly fusion?: FusionMode;
  /** The goal that chooses between a fused attention core and its unfused form (default latency). */
  readonly goal?: Goal;
  /** Internal: schedule without depth-first stacks (the comparison a stack must beat). */
  readonly noStacks?: boolean;
  /** Prices a new op (a depth-first stack's band op) through the run's evaluator; without it no stacks are formed. */
  readonly priceOp?: (op: MacOp, reservedBytes: number, dataflow?: string) => OpCost;
}

export interface TensorPlacementRow {
  tensor: string;
  bytes: number;
  producer: string;
  consumers: string[];
  onChip: boolean;
}

export interface ScheduleResult {
  policy: SchedulePolicy;
  /** Per-op costs with hand-offs applied (copies: the inputs are not changed). */
  results: OpCost[];
  capacityBytes: number;
  baselineDramBytes: number;
  dramBytes: number;
  savedDramBytes: number;
  savedEnergyPj: number;
  savedCycles: number;
  peakOnChipBytes: number;
  tensors: TensorPlacementRow[];
  placement: Placement;
  fusion: FusionMode;
  /** The fused groups and what each saved against its ops run one by one. */
  fusedGroups: FusedGroupRow[];
  /** Depth-first stacks (`--fusion full`). */
  stacks: StackRow[];
  /** DRAM bytes, energy and cycles of the run with `fusion: none` less those with fusion (zeros without groups). */
  fusionSaved: { dramBytes: number; energyPj: number; cycles: number };
}

/** The level that keeps tensors between ops: the outermost on-chip level, or −1 when there is none. */
export function handoffLevel(hw: HardwareModel): number {
  return hw.levels.length >= 2 ? hw.levels.length - 2 : -1;
}

/** Slots of the hand-off level that hold activations: the inputs and outputs partitions, or the whole level. */
function activationSlots(hw: HardwareModel, R: number): readonly number[] {
  return hw.levels[R].slotCapacityBytes ? [1, 2] : [0, 1, 2];
}

/**
 * Bytes of the outermost on-chip level (the global buffer) that can hold activations, over all its instances: with
 * per-operand partitions the inputs and outputs partitions (a pool the template lists under both is counted once:
 * at most the capacity less the weights partition), else the whole level.
 */
export function onChipCapacityBytes(hw: HardwareModel): number {
  const R = handoffLevel(hw);
  if (R < 0) return 0;
  const lv = hw.levels[R];
  if (!lv.holds[1] && !lv.holds[2]) return 0;
  const part = lv.slotCapacityBytes;
  const bytes = part ? Math.min(lv.capacityBytes - part[0], (lv.holds[1] ? part[1] : 0) + (lv.holds[2] ? part[2] : 0)) : lv.capacityBytes;
  return bytes * levelInstances(hw, R);
}

/** Bytes op i's own tiles occupy in the activation part of the hand-off level (all instances it uses). */
function reserveOf(c: OpCost, hw: HardwareModel, R: number): number {
  let bytes = 0;
  for (const t of activationSlots(hw, R)) bytes += c.cost.footprintBytes[R * 3 + t];
  return bytes * c.cost.instances[R];
}

function elementBytes(c: OpCost, t: number, u: EdgeUse): number {
  return c.form.kind === 'mac' ? c.form.operands[t].bytes : u.bytes;
}

/**
 * Network-level schedule: decides per tensor between ops whether it is handed off through the global buffer or
 * round-trips through DRAM, and re-prices each op accordingly. Placement reserves each op's own tiles first. A
 * handed-off tensor's DRAM accesses become accesses of the on-chip level (for MAC ops every DRAM access of that
 * operand, reloads and partial-sum spills included; for vector ops its elements); the op is then re-composed
 * (`composeCost`: the same port, overlap and energy rules as every cost model) and its invariants checked again.
 * Tensors not kept on chip keep the layer-by-layer cost: that is the spill.
 */
export function scheduleNetwork(net: Network, ops: readonly Op[], costs: readonly OpCost[], hw: HardwareModel, options: ScheduleOptions): ScheduleResult {
  if (ops.length !== costs.length) throw new Error(`scheduleNetwork: ${ops.length} ops but ${costs.length} results`);
  return scheduleEdges(ops, networkEdges(net, ops), costs, hw, options);
}

/** As `scheduleNetwork`, with the edges given (e.g. computed once for several hardware points). */
export function scheduleEdges(ops: readonly Op[], allEdges: readonly OpEdges[], costs: readonly OpCost[], hw: HardwareModel, options: ScheduleOptions): ScheduleResult {
  const s = scheduleOnce(ops, allEdges, costs, hw, options);
  if (s.stacks.length === 0) return s;
  // The stacks were chosen one by one against local estimates of the hand-off; the whole schedule with them must
  // beat the schedule without them (no more DRAM bytes, better by the goal), else they are dropped.
  const without = scheduleOnce(ops, allEdges, costs, hw, { ...options, noStacks: true });
  const sum = (r: ScheduleResult) => r.results.reduce((a, c) => [a[0] + c.cost.cycles, a[1] + c.cost.energyPj], [0, 0]);
  const [c1, e1] = sum(s);
  const [c0, e0] = sum(without);
  return s.dramBytes <= without.dramBytes && better(options.goal ?? 'latency', c1, e1, c0, e0) ? s : without;
}

function scheduleOnce(ops: readonly Op[], allEdges: readonly OpEdges[], costs: readonly OpCost[], hw: HardwareModel, options: ScheduleOptions): ScheduleResult {
  const R = handoffLevel(hw);
  const policy: SchedulePolicy = R < 0 ? 'layer-by-layer' : options.policy;
  const capacityBytes = Math.max(0, options.capacityBytes ?? onChipCapacityBytes(hw));
  // Copy on write: an op the schedule does not change keeps the priced cost it was given (ops of one shape share
  // the evaluator's memoised cost, so a 100 k-layer network holds a handful of costs, not 100 k).
  const out = costs.slice();
  // Fusion first: it decides which tensors never leave the output path, so the placement sees only the rest.
  let plan = planFusion(ops, allEdges, hw, options.fusion ?? 'none', capacityBytes);
  let edges: OpEdges[] = allEdges.slice();
  let noMove: ReadonlySet<string> = new Set();
  let savedDramBytes = 0;
  let savedEnergyPj = 0;
  let savedCycles = 0;
  if (plan.groups.length > 0) {
    plan = priceFusedOps(plan, ops, out, hw, options.goal);
  }
  // Depth-first stacks over the units (convs with their epilogues), priced through the run's evaluator.
  const stacks = plan.mode === 'full' && hw.depthFirst === true && options.priceOp && !options.noStacks ? planDepthFirst(ops, allEdges, plan, out, hw, { capacityBytes, goal: options.goal ?? 'latency', priceOp: options.priceOp }) : [];
  for (const s of stacks) for (const [i, c] of s.costs) out[i] = c;
  if (plan.groups.length > 0 || stacks.length > 0) {
    ({ edges, noMove } = placementEdges(plan, out, hw));
    for (const s of stacks) {
      // The bands between the units never leave the chip: no placement of those tensors.
      for (let k = 0; k + 1 < s.stack.heads.length; k++) {
        const last = s.stack.lasts[k];
        const t = edges[last].writes[0]?.tensor;
        const next = s.stack.heads[k + 1];
        edges[last] = { reads: edges[last].reads, writes: edges[last].writes.filter((u) => u.tensor !== t) };
        edges[next] = { reads: edges[next].reads.filter((u) => u.tensor !== t), writes: edges[next].writes };
      }
    }
    for (let i = 0; i < ops.length; i++) {
      if (out[i] === costs[i]) continue;
      savedDramBytes += costs[i].cost.dramBytes - out[i].cost.dramBytes;
      savedEnergyPj += costs[i].cost.energyPj - out[i].cost.energyPj;
      savedCycles += costs[i].cost.cycles - out[i].cost.cycles;
    }
  }
  const reserve = new Float64Array(ops.length);
  if (R >= 0) out.forEach((c, i) => (reserve[i] = reserveOf(c, hw, R)));
  const placement = planPlacement(edges, capacityBytes, policy, reserve);
  let baselineDramBytes = 0;
  const kept = (u: EdgeUse, c: OpCost) => placement.onChip.has(u.tensor) && slotOfRole(c, u.role) >= 0;
  for (let i = 0; i < ops.length; i++) {
    const given = out[i];
    baselineDramBytes += costs[i].cost.dramBytes;
    if (R < 0) continue;
    if (!edges[i].reads.some((u) => kept(u, given)) && !edges[i].writes.some((u) => kept(u, given))) continue;
    const c = given === costs[i] ? copyOf(given) : given;
    out[i] = c;
    const before = { dram: c.cost.dramBytes, energy: c.cost.energyPj, cycles: c.cost.cycles };
    const isVector = c.form.kind === 'vector';
    for (const u of edges[i].reads) {
      if (!kept(u, c) || noMove.has(`${i}:${u.tensor}`)) continue;
      const t = slotOfRole(c, u.role);
      moveToChip(c, hw, R, t, isVector ? u.elements : Infinity, 0, elementBytes(c, t, u));
    }
    for (const u of edges[i].writes) {
      if (!kept(u, c)) continue;
      const t = slotOfRole(c, u.role);
      // A MAC op's output on chip: its final writes and any partial sums spilled and read back.
      moveToChip(c, hw, R, t, isVector ? 0 : Infinity, isVector ? u.elements : Infinity, elementBytes(c, t, u));
    }
    composeCost(hw, c.cost);
    checkCost(c.form, hw, c.cost);
    savedDramBytes += before.dram - c.cost.dramBytes;
    savedEnergyPj += before.energy - c.cost.energyPj;
    savedCycles += before.cycles - c.cost.cycles;
  }
  let fusedGroups: FusedGroupRow[] = [];
  let fusedSaved = { dramBytes: 0, energyPj: 0, cycles: 0 };
  if (plan.groups.length > 0 || stacks.length > 0) {
    const before = plan.groups.map((g) => [g.head, ...g.members].reduce((a, i) => [a[0] + out[i].cost.dramBytes, a[1] + out[i].cost.energyPj, a[2] + out[i].cost.cycles], [0, 0, 0]));
    // The same schedule without fusion: what each group, and the run, saved by fusing.
    const unfused = scheduleEdges(ops, allEdges, costs, hw, { ...options, fusion: 'none' });
    fusedSaved = { dramBytes: unfused.dramBytes, energyPj: 0, cycles: 0 };
    for (const c of unfused.results) {
      fusedSaved.energyPj += c.cost.energyPj;
      fusedSaved.cycles += c.cost.cycles;
    }
    fusedGroups = mergeGroups(plan, ops, costs, unfused.results, out, hw);
    plan.groups.forEach((g, k) => {
      const h = out[g.head];
      checkCost(h.form, hw, h.cost);
      savedDramBytes += before[k][0] - h.cost.dramBytes;
      savedEnergyPj += before[k][1] - h.cost.energyPj;
      savedCycles += before[k][2] - h.cost.cycles;
    });
  }
  if (plan.groups.length > 0 || stacks.length > 0) {
    // Every op fusion or a stack changed passes the invariants (heads, attention context ops, stack units).
    out.forEach((c, i) => {
      if (c !== costs[i]) checkCost(c.form, hw, c.cost);
    });
    for (const c of out) {
      fusedSaved.dramBytes -= c.cost.dramBytes;
      fusedSaved.energyPj -= c.cost.energyPj;
      fusedSaved.cycles -= c.cost.cycles;
    }
  }
  const names = ops.map((o) => o.name);
  const tensors: TensorPlacementRow[] = placement.intervals.map((t) => ({
    tensor: t.tensor,
    bytes: t.bytes,
    producer: names[t.producer],
    consumers: t.consumers.map((k) => names[k]),
    onChip: placement.onChip.has(t.tensor),
  }));
  return {
    policy,
    results: out,
    capacityBytes,
    baselineDramBytes,
    dramBytes: baselineDramBytes - savedDramBytes,
    savedDramBytes,
    savedEnergyPj,
    savedCycles,
    peakOnChipBytes: placement.peakOnChipBytes,
    tensors,
    placement,
    fusion: plan.mode,
    fusedGroups,
    stacks: stacks.map((s) => ({
      ops: s.stack.heads.map((i) => ops[i].name),
      bands: s.stack.bands,
      policy: s.stack.policy,
      rowsPerBand: [...s.stack.rows],
      recomputedMacs: s.stack.recomputedMacs,
      bufferBytes: s.stack.bufferBytes,
    })),
    fusionSaved: fusedSaved,
  };
}

/** A depth-first stack as reported: its convs, bands, halo policy, rows per band and what the bands cost. */
export interface StackRow {
  ops: string[];
  bands: number;
  policy: HaloPolicy;
  rowsPerBand: number[];
  recomputedMacs: number;
  bufferBytes: number;
}

export interface ScheduleSummary {
  policy: SchedulePolicy;
  capacityBytes: number;
  baselineDramBytes: number;
  dramBytes: number;
  savedDramBytes: number;
  savedEnergyPj: number;
  savedCycles: number;
  peakOnChipBytes: number;
  onChipTensors: number;
  dramTensors: number;
  /** With `--fusion epilogue|full`: the mode and the fused groups (absent with `none`: the layer-by-layer report). */
  fusion?: { mode: FusionMode; savedDramBytes: number; savedEnergyPj: number; savedCycles: number; groups: FusedGroupRow[]; stacks: StackRow[] };
}

/** The JSON-ready gist of a schedule (for `trim eval` output next to the totals). */
export function scheduleSummary(s: ScheduleResult): ScheduleSummary {
  const kept = s.tensors.filter((t) => t.onChip).length;
  return {
    policy: s.policy,
    capacityBytes: s.capacityBytes,
    baselineDramBytes: s.baselineDramBytes,
    dramBytes: s.dramBytes,
    savedDramBytes: s.savedDramBytes,
    savedEnergyPj: s.savedEnergyPj,
    savedCycles: s.savedCycles,
    peakOnChipBytes: s.peakOnChipBytes,
    onChipTensors: kept,
    dramTensors: s.tensors.length - kept,
    ...(s.fusion !== 'none'
      ? { fusion: { mode: s.fusion, savedDramBytes: s.fusionSaved.dramBytes, savedEnergyPj: s.fusionSaved.energyPj, savedCycles: s.fusionSaved.cycles, groups: s.fusedGroups, stacks: s.stacks } }
      : {}),
  };
}

import { composeCost } from '../engine/compose.js';
import type { OpCost } from '../evaluate.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import { checkCost } from '../invariants.js';
import type { Network } from '../ir/network.js';
import type { Op } from '../op.js';
import { networkEdges, type EdgeUse, type OpEdges } from './edges.js';
import { planPlacement, type Placement, type SchedulePolicy } from './placement.js';

export interface ScheduleOptions {
  readonly policy: SchedulePolicy;
  /** Overrides the buffer capacity (default: the outermost on-chip level, `levels[L−2]`, over all instances). */
  readonly capacityBytes?: number;
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

/** The slot under which an op's cost counts one of its tensor roles (a MAC form's operand, or a vector op's role). */
function slotOfRole(c: OpCost, role: string): number {
  const f = c.form;
  if (f.kind === 'mac') {
    for (let t = 0; t < 3; t++) if (f.operands[t].tensor === role) return t;
    return -1;
  }
  return role === 'weights' ? 0 : role === 'inputs' ? 1 : role === 'outputs' ? 2 : -1;
}

/**
 * Moves `reads`/`writes` elements of slot `t` from the backing store to the hand-off level: the tensor is read from
 * and written to the on-chip copy instead of DRAM (reloads and partial-sum spills included), so each DRAM access
 * becomes an access of the hand-off level at the operand's own precision (DRAM-side compression does not apply
 * on chip). Records the move (`handoffReads`/`handoffWrites`) for the conservation check and exact counts.
 */
function moveToChip(c: OpCost, hw: HardwareModel, R: number, t: number, reads: number, writes: number, bytesPerElement: number): void {
  const k = c.cost;
  const top = (hw.levels.length - 1) * 3 + t;
  const r = Math.min(reads, k.reads[top]);
  const w = Math.min(writes, k.writes[top]);
  if (r <= 0 && w <= 0) return;
  const rBytes = k.reads[top] > 0 ? (k.readBytes[top] * r) / k.reads[top] : 0;
  const wBytes = k.writes[top] > 0 ? (k.writeBytes[top] * w) / k.writes[top] : 0;
  k.reads[top] -= r;
  k.writes[top] -= w;
  k.readBytes[top] -= rBytes;
  k.writeBytes[top] -= wBytes;
  const on = R * 3 + t;
  k.reads[on] += r;
  k.writes[on] += w;
  k.readBytes[on] += r * bytesPerElement;
  k.writeBytes[on] += w * bytesPerElement;
  k.handoffReads[t] += r;
  k.handoffWrites[t] += w;
  k.handoffLevel = R;
  if (c.exact) {
    c.exact.cut.reads[top] += r;
    c.exact.cut.writes[top] += w;
    c.exact.cut.dramBytes += rBytes + wBytes;
  }
}

function elementBytes(c: OpCost, t: number, u: EdgeUse): number {
  return c.form.kind === 'mac' ? c.form.operands[t].bytes : u.bytes;
}

function copyOf(c: OpCost): OpCost {
  return {
    ...c,
    cost: c.cost.clone(),
    ...(c.exact ? { exact: { chunks: c.exact.chunks, sub: c.exact.sub, cut: c.exact.cut.clone() } } : {}),
  };
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
export function scheduleEdges(ops: readonly Op[], edges: readonly OpEdges[], costs: readonly OpCost[], hw: HardwareModel, options: ScheduleOptions): ScheduleResult {
  const R = handoffLevel(hw);
  const policy: SchedulePolicy = R < 0 ? 'layer-by-layer' : options.policy;
  const capacityBytes = Math.max(0, options.capacityBytes ?? onChipCapacityBytes(hw));
  const reserve = new Float64Array(ops.length);
  if (R >= 0) costs.forEach((c, i) => (reserve[i] = reserveOf(c, hw, R)));
  const placement = planPlacement(edges, capacityBytes, policy, reserve);
  // Copy on write: an op the schedule does not change keeps the priced cost it was given (ops of one shape share
  // the evaluator's memoised cost, so a 100 k-layer network holds a handful of costs, not 100 k).
  const out = costs.slice();
  let baselineDramBytes = 0;
  let savedDramBytes = 0;
  let savedEnergyPj = 0;
  let savedCycles = 0;
  const kept = (u: EdgeUse, c: OpCost) => placement.onChip.has(u.tensor) && slotOfRole(c, u.role) >= 0;
  for (let i = 0; i < ops.length; i++) {
    const given = out[i];
    baselineDramBytes += given.cost.dramBytes;
    if (R < 0) continue;
    if (!edges[i].reads.some((u) => kept(u, given)) && !edges[i].writes.some((u) => kept(u, given))) continue;
    const c = copyOf(given);
    out[i] = c;
    const before = { dram: c.cost.dramBytes, energy: c.cost.energyPj, cycles: c.cost.cycles };
    const isVector = c.form.kind === 'vector';
    for (const u of edges[i].reads) {
      if (!kept(u, c)) continue;
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
  };
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
  };
}

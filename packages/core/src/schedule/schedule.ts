import type { OpResult } from '../evaluate.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import type { Network } from '../ir/network.js';
import type { Op } from '../op.js';
import { networkEdges, type OpEdges } from './edges.js';
import { planPlacement, type Placement, type SchedulePolicy } from './placement.js';

export interface ScheduleOptions {
  readonly policy: SchedulePolicy;
  /** Bytes of the buffer kept free for the ops' own tiles (default 0: the whole buffer may hold hand-offs). */
  readonly reserveBytes?: number;
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
  /** Per-op results with the DRAM traffic, energy and time of on-chip hand-offs removed (inputs are not changed). */
  results: OpResult[];
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

/**
 * Bytes of the outermost on-chip level (the global buffer) that can hold activations, over all its instances: with
 * per-operand partitions the inputs and outputs partitions (a pool the template lists under both is counted once:
 * at most the capacity less the weights partition), else the whole level.
 */
export function onChipCapacityBytes(hw: HardwareModel): number {
  const L = hw.levels.length;
  if (L < 2) return 0;
  const lv = hw.levels[L - 2];
  if (!lv.holds[1] && !lv.holds[2]) return 0;
  const part = lv.slotCapacityWords;
  const words = part ? Math.min(lv.capacityWords - part[0], (lv.holds[1] ? part[1] : 0) + (lv.holds[2] ? part[2] : 0)) : lv.capacityWords;
  return words * (hw.wordBits / 8) * levelInstances(hw, L - 2);
}

/** DRAM port cycles for the given read and write bytes. */
function dramCycles(hw: HardwareModel, readBytes: number, writeBytes: number): number {
  const lv = hw.levels[hw.levels.length - 1];
  const wordBytes = hw.wordBits / 8;
  const r = readBytes / wordBytes;
  const w = writeBytes / wordBytes;
  return lv.sharedPort ? (r + w) / lv.readBandwidth : Math.max(r / lv.readBandwidth, w / lv.writeBandwidth);
}

/** Bytes per element of a result role of one op. */
function roleBytes(op: Op, role: string, fallback: number): number {
  if (op.kind === 'mac') {
    for (const o of op.operands) if (o.tensor === role) return o.bytes;
  }
  return fallback;
}

/** DRAM bytes read and written by one op as its result reports them. */
function dramTraffic(op: Op, r: OpResult, dram: string): { read: number; write: number } {
  if (op.kind === 'vector') {
    let read = 0;
    let write = 0;
    for (const a of op.reads) read += a.elements * a.bytes;
    for (const a of op.writes) write += a.elements * a.bytes;
    return { read, write };
  }
  let read = 0;
  let write = 0;
  for (const [role, c] of Object.entries(r.accesses[dram] ?? {})) {
    const b = roleBytes(op, role, 0);
    read += c.reads * b;
    write += c.writes * b;
  }
  return { read, write };
}

/**
 * Network-level schedule: decides per tensor between ops whether it is handed off through the global buffer or
 * round-trips through DRAM, and adjusts each op's result. A handed-off tensor loses its DRAM accesses (for MAC ops
 * every DRAM access of that operand, reloads and partial-sum spills included; for vector ops its elements), their
 * DRAM energy, and the DRAM-bound part of the op's time: the stall shrinks by the DRAM cycles saved, never below
 * the compute time or the op's remaining DRAM time. On-chip counts are left as they are (the producer still writes
 * the tile into the buffer, the consumer still reads it). Tensors not kept on chip keep the layer-by-layer cost
 * (written to DRAM by the producer, read back by each consumer): that is the spill.
 */
export function scheduleNetwork(
  net: Network,
  ops: readonly Op[],
  results: readonly OpResult[],
  hw: HardwareModel,
  options: ScheduleOptions,
): ScheduleResult {
  if (ops.length !== results.length) throw new Error(`scheduleNetwork: ${ops.length} ops but ${results.length} results`);
  const edges = networkEdges(net, ops);
  return scheduleEdges(ops, edges, results, hw, options);
}

/** As `scheduleNetwork`, with the edges given (e.g. computed once for several hardware points). */
export function scheduleEdges(
  ops: readonly Op[],
  edges: readonly OpEdges[],
  results: readonly OpResult[],
  hw: HardwareModel,
  options: ScheduleOptions,
): ScheduleResult {
  const capacityBytes = Math.max(0, (options.capacityBytes ?? onChipCapacityBytes(hw)) - (options.reserveBytes ?? 0));
  const placement = planPlacement(edges, capacityBytes, options.policy);
  const dram = hw.levels[hw.levels.length - 1];
  const wordBytes = hw.wordBits / 8;
  const out: OpResult[] = results.map((r) => structuredClone(r));
  let baselineDramBytes = 0;
  let savedDramBytes = 0;
  let savedEnergyPj = 0;
  let savedCycles = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const r = out[i];
    baselineDramBytes += r.dramBytes;
    const acc = r.accesses[dram.name];
    if (!acc) continue;
    const before = dramTraffic(op, r, dram.name);
    let cutRead = 0;
    let cutWrite = 0;
    let cutEnergy = 0;
    const cut = (role: string, reads: number, writes: number, bytes: number) => {
      const a = acc[role];
      if (!a) return;
      const dr = Math.min(reads, a.reads);
      const dw = Math.min(writes, a.writes);
      if (dr === 0 && dw === 0) return;
      a.reads -= dr;
      a.writes -= dw;
      cutRead += dr * bytes;
      cutWrite += dw * bytes;
      cutEnergy += (dr * dram.readEnergyPj + dw * dram.writeEnergyPj) * (bytes / wordBytes);
    };
    const e = edges[i];
    const isVector = op.kind === 'vector';
    for (const u of e.reads) {
      if (!placement.onChip.has(u.tensor)) continue;
      if (isVector) cut(u.role, u.elements, 0, u.bytes);
      else cut(u.role, Infinity, 0, roleBytes(op, u.role, u.bytes));
    }
    for (const u of e.writes) {
      if (!placement.onChip.has(u.tensor)) continue;
      if (isVector) cut(u.role, 0, u.elements, u.bytes);
      else cut(u.role, Infinity, Infinity, roleBytes(op, u.role, u.bytes));
    }
    for (const role of Object.keys(acc)) if (acc[role].reads === 0 && acc[role].writes === 0) delete acc[role];
    if (cutRead === 0 && cutWrite === 0) continue;
    const oldDram = dramCycles(hw, before.read, before.write);
    const newDram = dramCycles(hw, before.read - cutRead, before.write - cutWrite);
    const floor = Math.max(newDram, r.computeCycles);
    const dc = Math.max(0, Math.min(r.stallCycles, oldDram - floor));
    const oldCycles = r.cycles;
    r.cycles -= dc;
    r.stallCycles -= dc;
    if (r.macs > 0 && r.cycles > 0) r.utilization = (r.utilization * oldCycles) / r.cycles;
    let energyCut = cutEnergy;
    if (r.energyPj.leakage !== undefined && oldCycles > 0) {
      const leakCut = r.energyPj.leakage * (dc / oldCycles);
      r.energyPj.leakage -= leakCut;
      energyCut += leakCut;
    }
    r.energyPj[dram.name] = (r.energyPj[dram.name] ?? 0) - cutEnergy;
    r.energyPj.total -= energyCut;
    r.dramBytes -= cutRead + cutWrite;
    savedDramBytes += cutRead + cutWrite;
    savedEnergyPj += energyCut;
    savedCycles += dc;
  }
  const names = ops.map((o) => o.name);
  const tensors: TensorPlacementRow[] = placement.intervals.map((t) => ({
    tensor: t.tensor,
    bytes: t.bytes,
    producer: names[t.producer],
    consumers: t.consumers.map((c) => names[c]),
    onChip: placement.onChip.has(t.tensor),
  }));
  return {
    policy: options.policy,
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

/** The JSON-ready gist of a schedule (for `trim eval` output next to the totals). */
export function scheduleSummary(s: ScheduleResult): {
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
} {
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

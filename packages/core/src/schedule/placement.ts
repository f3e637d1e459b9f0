import { MaxTree } from './max-tree.js';
import type { OpEdges } from './edges.js';

export const SCHEDULE_POLICIES = ['layer-by-layer', 'on-chip-handoff'] as const;
export type SchedulePolicy = (typeof SCHEDULE_POLICIES)[number];

/** A tensor passed between ops: written by op `producer`, last read by op `lastConsumer` (indices in op order). */
export interface TensorInterval {
  readonly tensor: string;
  readonly bytes: number;
  readonly producer: number;
  readonly consumers: readonly number[];
  readonly lastConsumer: number;
}

export interface Placement {
  readonly policy: SchedulePolicy;
  readonly capacityBytes: number;
  readonly intervals: readonly TensorInterval[];
  /** Tensors handed off through the on-chip buffer (never written to DRAM). */
  readonly onChip: ReadonlySet<string>;
  /** Bytes of handed-off tensors live in the on-chip buffer while each op runs. */
  readonly onChipLiveBytes: Float64Array;
  /** Bytes each op's own tiles take in the buffer, reserved before any tensor is kept. */
  readonly reserveBytes: Float64Array;
  readonly peakOnChipBytes: number;
}

/**
 * Producer/consumer intervals of the tensors that flow between ops (the producer is the first writer; the bytes
 * add up over all writers). Tensors never written by an op (network inputs,
 * weights) or never read afterwards (network outputs) have none: they live in DRAM.
 */
export function tensorIntervals(edges: readonly OpEdges[]): TensorInterval[] {
  const producer = new Map<string, { op: number; bytes: number }>();
  const consumers = new Map<string, number[]>();
  edges.forEach((e, i) => {
    for (const w of e.writes) {
      // Several writers (e.g. the sub-convolutions of a strided backward-data) each write a disjoint part.
      const p = producer.get(w.tensor);
      if (p) p.bytes += w.elements * w.bytes;
      else producer.set(w.tensor, { op: i, bytes: w.elements * w.bytes });
    }
    for (const r of e.reads) {
      const p = producer.get(r.tensor);
      if (!p || p.op >= i) continue;
      const list = consumers.get(r.tensor) ?? [];
      if (list[list.length - 1] !== i) list.push(i);
      consumers.set(r.tensor, list);
    }
  });
  const out: TensorInterval[] = [];
  for (const [tensor, p] of producer) {
    const c = consumers.get(tensor);
    if (!c) continue;
    out.push({ tensor, bytes: p.bytes, producer: p.op, consumers: c, lastConsumer: c[c.length - 1] });
  }
  return out;
}

/**
 * Decides which tensors stay in the outermost on-chip buffer from their producer to their last consumer. A tensor
 * stays when, at every op of its interval, it fits beside the tensors already kept live there and beside that op's
 * own tiles (`reserveBytes[i]`, what op i's mapping occupies in the buffer: residual branches keep their tensor live
 * across the whole block). Greedy, shortest-lived first (ties: earliest producer): short hand-offs between
 * neighbouring layers free the buffer soonest. `layer-by-layer` keeps nothing (every tensor round-trips through
 * DRAM, the baseline).
 */
export function planPlacement(edges: readonly OpEdges[], capacityBytes: number, policy: SchedulePolicy, reserveBytes?: ArrayLike<number>): Placement {
  const intervals = tensorIntervals(edges);
  const reserved = new Float64Array(edges.length);
  for (let i = 0; i < edges.length; i++) reserved[i] = reserveBytes?.[i] ?? 0;
  // Kept bytes per op as a difference array; the tree holds kept + reserved bytes for the fit test.
  const kept = new Float64Array(edges.length + 1);
  const onChip = new Set<string>();
  if (policy === 'on-chip-handoff') {
    const order = [...intervals].sort(
      (a, b) => a.lastConsumer - a.producer - (b.lastConsumer - b.producer) || a.producer - b.producer || (a.tensor < b.tensor ? -1 : 1),
    );
    const used = new MaxTree(reserved);
    for (const t of order) {
      if (t.bytes > capacityBytes) continue;
      if (used.rangeMax(t.producer, t.lastConsumer) + t.bytes > capacityBytes) continue;
      used.rangeAdd(t.producer, t.lastConsumer, t.bytes);
      kept[t.producer] += t.bytes;
      kept[t.lastConsumer + 1] -= t.bytes;
      onChip.add(t.tensor);
    }
  }
  const live = new Float64Array(edges.length);
  let running = 0;
  for (let i = 0; i < edges.length; i++) live[i] = running += kept[i];
  let peak = 0;
  for (const v of live) if (v > peak) peak = v;
  return { policy, capacityBytes, intervals, onChip, onChipLiveBytes: live, reserveBytes: reserved, peakOnChipBytes: peak };
}

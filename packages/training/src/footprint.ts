import { edgesOf, planPlacement, type Network, type Op, type OpEdges, type SchedulePolicy } from '@trim-dse/core';
import type { TrainingConfig, TrainingConfigInput } from './schema.js';
import { trainingStep } from './step.js';

/**
 * What one training step keeps in memory, in bytes, read off the step's ops (so it describes exactly the ops that
 * were priced): the parameters and their companions, resident for the whole step, and the tensors passed between
 * ops, each alive from its producer to its last consumer.
 */
export interface StepFootprint {
  /** Working weights: what the forward and backward passes read. */
  weightsBytes: number;
  /** The wider master copy of mixed-precision training (0 without one). */
  masterWeightsBytes: number;
  /** Weight gradients (one per weight, written by backward-weight, read by the update). */
  weightGradientBytes: number;
  /** Optimizer state: momentum's velocity, Adam's two moments (0 for SGD). */
  optimizerStateBytes: number;
  /** Forward tensors kept for the backward pass (with recomputation, only the checkpoints and the last block). */
  stashBytes: number;
  /** Most bytes of tensors passed between ops (activations, stash, gradients) alive at once. */
  peakLiveBytes: number;
  /** The op at which they peak. */
  peakAt: string;
  /** Peak footprint: weights, master weights and optimizer state (resident all step) plus `peakLiveBytes`. */
  peakBytes: number;
}

const bytesOf = (a: { readonly elements: number; readonly bytes: number }) => a.elements * a.bytes;

/** Ops [0, n) that run the forward pass: the leading `forward` ops (recomputed forwards come later, in backward). */
function forwardPrefix(ops: readonly Op[]): number {
  let n = 0;
  while (n < ops.length && ops[n].phase === 'forward') n++;
  return n;
}

/**
 * Each edge tensor's bytes and the op index range it is alive over: from its first writer (network inputs from the
 * start) to its last reader (a tensor no op reads stays to the end of the step).
 */
function lifetimes(edges: readonly OpEdges[]): Map<string, { bytes: number; from: number; to: number }> {
  const out = new Map<string, { bytes: number; from: number; to: number; read: boolean }>();
  edges.forEach((e, i) => {
    for (const w of e.writes) {
      const t = out.get(w.tensor);
      // Several writers (gradient contributions) each bring their bytes.
      if (t) t.bytes += bytesOf(w);
      else out.set(w.tensor, { bytes: bytesOf(w), from: i, to: i, read: false });
    }
    for (const r of e.reads) {
      const t = out.get(r.tensor);
      if (t) {
        t.to = Math.max(t.to, i);
        t.read = true;
      } else out.set(r.tensor, { bytes: bytesOf(r), from: 0, to: i, read: true });
    }
  });
  for (const t of out.values()) if (!t.read) t.to = edges.length - 1;
  return out;
}

/**
 * The footprint of a training step's ops (the phase model's output, as priced by `trim eval`). Parameters come from
 * the update ops: the weights they read (the master copy with mixed precision, whose update then also writes the
 * working copy), the weight gradient and the optimizer state. The stash is every tensor the forward pass writes and
 * a later op reads.
 */
export function stepFootprint(ops: readonly Op[]): StepFootprint {
  let weightsBytes = 0;
  let masterWeightsBytes = 0;
  let weightGradientBytes = 0;
  let optimizerStateBytes = 0;
  for (const op of ops) {
    if (op.phase !== 'update' || op.kind !== 'vector') continue;
    const read = op.reads.find((a) => a.tensor === 'weights');
    const weightWrites = op.writes.filter((a) => a.tensor === 'weights');
    const working = weightWrites.length > 1 ? weightWrites[weightWrites.length - 1] : undefined;
    if (read && working) {
      masterWeightsBytes += bytesOf(read);
      weightsBytes += bytesOf(working);
    } else if (read) weightsBytes += bytesOf(read);
    for (const a of op.reads) {
      if (a.tensor === 'grad-weights') weightGradientBytes += bytesOf(a);
      if (a.tensor === 'optimizer-state') optimizerStateBytes += bytesOf(a);
    }
  }
  const edges = ops.map((op) => edgesOf(op) ?? { reads: [], writes: [] });
  const forward = forwardPrefix(ops);
  const written = new Map<string, number>();
  for (let i = 0; i < forward; i++) for (const w of edges[i].writes) written.set(w.tensor, bytesOf(w));
  const stash = new Map<string, number>();
  for (let i = forward; i < ops.length; i++) for (const r of edges[i].reads) if (written.has(r.tensor)) stash.set(r.tensor, written.get(r.tensor)!);
  let stashBytes = 0;
  for (const b of stash.values()) stashBytes += b;
  // Bytes alive at each op as a difference array (each lifetime adds at its start and ends after its last reader):
  // the stash lives from the forward pass to the backward one, so summing op by op was quadratic in the op count.
  // Byte counts are integers below 2⁵³, so the prefix sums are exact.
  const live = new Float64Array(ops.length + 1);
  for (const t of lifetimes(edges).values()) {
    live[t.from] += t.bytes;
    live[t.to + 1] -= t.bytes;
  }
  for (let i = 1; i < ops.length; i++) live[i] += live[i - 1];
  let peak = 0;
  for (let i = 1; i < ops.length; i++) if (live[i] > live[peak]) peak = i;
  const peakLiveBytes = ops.length > 0 ? live[peak] : 0;
  return {
    weightsBytes,
    masterWeightsBytes,
    weightGradientBytes,
    optimizerStateBytes,
    stashBytes,
    peakLiveBytes,
    peakAt: ops[peak]?.name ?? '',
    peakBytes: weightsBytes + masterWeightsBytes + optimizerStateBytes + peakLiveBytes,
  };
}

export interface TrainingFootprint {
  /** Most bytes of handed-off tensors (activations, stash, gradients) held in the on-chip buffer at once. */
  peakOnChipBytes: number;
  /** Most bytes held in DRAM at once: weights, master copy, optimizer state and the tensors not kept on chip. */
  peakOffChipBytes: number;
  /** Forward tensors kept for the backward pass (on or off chip). */
  stashBytes: number;
  /** Weights, master weights and optimizer state (resident in DRAM for the whole step). */
  parameterBytes: number;
}

/**
 * Memory footprint of one training step on a buffer of `capacityBytes` (the outermost on-chip level; see
 * `onChipCapacityBytes`), split between chip and DRAM by a hand-off plan of that capacity alone (the scheduler
 * also reserves each op's own tiles: `trim eval` reports its placement under `interlayer`). Every tensor passed
 * between ops lives from its producer to its last consumer, on chip when the plan keeps it there, else in DRAM.
 */
export function trainingFootprint(
  net: Network,
  config: TrainingConfigInput | TrainingConfig,
  capacityBytes: number,
  policy: SchedulePolicy = 'on-chip-handoff',
): TrainingFootprint {
  const { ops } = trainingStep(net, config);
  const step = stepFootprint(ops);
  const edges: OpEdges[] = ops.map((op) => edgesOf(op) ?? { reads: [], writes: [] });
  const placement = planPlacement(edges, capacityBytes, policy);
  const off = new Float64Array(ops.length);
  for (const [tensor, t] of lifetimes(edges)) {
    if (placement.onChip.has(tensor)) continue;
    for (let i = t.from; i <= t.to; i++) off[i] += t.bytes;
  }
  let peakOff = 0;
  for (const v of off) if (v > peakOff) peakOff = v;
  const parameterBytes = step.weightsBytes + step.masterWeightsBytes + step.optimizerStateBytes;
  return { peakOnChipBytes: placement.peakOnChipBytes, peakOffChipBytes: parameterBytes + peakOff, stashBytes: step.stashBytes, parameterBytes };
}

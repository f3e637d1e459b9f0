import { edgesOf, planPlacement, type Network, type OpEdges, type SchedulePolicy } from '@trim-dse/core';
import type { TrainingConfig, TrainingConfigInput } from './schema.js';
import { trainingStep } from './step.js';
import { paramCount, STATE_TENSORS } from './update.js';

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
 * `onChipCapacityBytes`). Every tensor passed between ops lives from its producer to its last consumer, on chip
 * when the hand-off plan keeps it there, else in DRAM (network inputs from the start, unread outputs to the end).
 */
export function trainingFootprint(
  net: Network,
  config: TrainingConfigInput | TrainingConfig,
  capacityBytes: number,
  policy: SchedulePolicy = 'on-chip-handoff',
): TrainingFootprint {
  const step = trainingStep(net, config);
  const { ops, graph: g, plan } = step;
  const edges: OpEdges[] = ops.map((op) => edgesOf(op) ?? { reads: [], writes: [] });
  const placement = planPlacement(edges, capacityBytes, policy);
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const bytes = new Map<string, number>();
  edges.forEach((e, i) => {
    for (const w of e.writes) {
      if (!first.has(w.tensor)) first.set(w.tensor, i);
      bytes.set(w.tensor, (bytes.get(w.tensor) ?? 0) + w.elements * w.bytes);
    }
    for (const r of e.reads) {
      if (!first.has(r.tensor)) first.set(r.tensor, 0);
      if (!bytes.has(r.tensor)) bytes.set(r.tensor, r.elements * r.bytes);
      last.set(r.tensor, i);
    }
  });
  const off = new Float64Array(ops.length);
  for (const [t, from] of first) {
    if (placement.onChip.has(t)) continue;
    const to = last.get(t) ?? ops.length - 1;
    for (let i = from; i <= Math.max(from, to); i++) off[i] += bytes.get(t) ?? 0;
  }
  let parameterBytes = 0;
  const cfg = step.config;
  for (const layer of g.layers) {
    const n = paramCount(g, layer);
    if (n === 0) continue;
    const p = g.precisionOf(layer.inputs[0]);
    const w = plan.bytes('weights', 'update', p);
    const m = plan.bytes('masterWeights', 'update', p);
    const mixed = plan.precision('masterWeights', 'update', p) !== plan.precision('weights', 'update', p);
    parameterBytes += n * (w + (mixed ? m : 0) + STATE_TENSORS[cfg.optimizer] * plan.bytes('optimizerState', 'update', p));
  }
  let peakOff = 0;
  for (const v of off) if (v > peakOff) peakOff = v;
  let stashBytes = 0;
  for (const b of step.stash.values()) stashBytes += b;
  return { peakOnChipBytes: placement.peakOnChipBytes, peakOffChipBytes: parameterBytes + peakOff, stashBytes, parameterBytes };
}

import { edgesOf, parseWith, type ConfigSchema, type Layer, type Network, type Op } from '@trim-dse/core';
import { attentionCores, checkpointBlocks, type Block } from './blocks.js';
import { forwardOp, type TensorIdOf } from './forward.js';
import { TrainingGraph } from './graph.js';
import { einsumBackward } from './einsum-backward.js';
import { convBackwardData, convBackwardWeight, linearBackwardData, matmulBackward } from './mac-backward.js';
import { PrecisionPlan } from './precision.js';
import { trainingSchema, type TrainingConfig, type TrainingConfigInput } from './schema.js';
import { updateOp } from './update.js';
import { gradientSum, lossGradient, vectorBackward } from './vector-backward.js';

export interface TrainingStep {
  /** Every op of one step, in execution order: forward, loss, backward (reverse layer order), update. */
  readonly ops: Op[];
  /** Ops [0, forwardOps) are the forward pass. */
  readonly forwardOps: number;
  /** Checkpoint blocks (empty without recomputation). */
  readonly blocks: readonly Block[];
  /** Layers whose forward runs twice (recomputed before their block's backward). */
  readonly recomputed: ReadonlySet<string>;
  /** Forward tensors kept for the backward pass (graph ids) and their bytes. */
  readonly stash: ReadonlyMap<string, number>;
  readonly graph: TrainingGraph;
  readonly plan: PrecisionPlan;
  readonly config: TrainingConfig;
}

function backwardOfLayer(g: TrainingGraph, plan: PrecisionPlan, layer: Layer, stash: TensorIdOf, isSoftmaxLoss: boolean, form: TrainingConfig['weightGradient']): Op[] {
  const ids = { stash };
  switch (layer.kind) {
    case 'conv2d':
      return [...(g.requiresGrad(layer.inputs[0]) ? convBackwardData(g, plan, layer) : []), convBackwardWeight(g, plan, layer, ids, form)];
    case 'linear':
      return [...(g.requiresGrad(layer.inputs[0]) ? [linearBackwardData(g, plan, layer)] : []), convBackwardWeight(g, plan, layer, ids, form)];
    case 'matmul':
      return matmulBackward(g, plan, layer, ids);
    case 'einsum':
      return einsumBackward(g, plan, layer, ids);
    default: {
      const op = vectorBackward(g, plan, layer, stash, isSoftmaxLoss && layer === g.lossLayer);
      return op ? [op] : [];
    }
  }
}

/**
 * The ops of one training step. Forward as at inference; the loss gradient; then, layer by layer in reverse,
 * the sum of a tensor's gradient contributions when several layers read it, backward-data (skipped where no
 * gradient is needed: the first layer's input), backward-weight; finally the optimizer step of every layer with
 * parameters. With `recompute: 'checkpoint-blocks'` only block checkpoints are kept from the forward pass; each
 * block but the last re-runs its forward (ops named `<layer>:recompute`, phase forward) before its backward.
 */
export function trainingStep(net: Network, input: TrainingConfigInput | TrainingConfig = {}): TrainingStep {
  const config = parseWith(trainingSchema as unknown as ConfigSchema<TrainingConfig>, input, 'phase training');
  const g = new TrainingGraph(net);
  const plan = new PrecisionPlan(config);
  const blocks = config.recompute === 'checkpoint-blocks' ? checkpointBlocks(g) : config.recompute === 'selective' ? attentionCores(g) : [];
  const recomputed = new Set<string>();
  const blockEnds = new Map<string, Block>();
  // Checkpoint blocks: the last block's backward follows its forward directly (nothing to recompute).
  (config.recompute === 'checkpoint-blocks' ? blocks.slice(0, -1) : blocks).forEach((b) => {
    b.layers.slice(0, -1).forEach((l) => recomputed.add(l.name));
    blockEnds.set(b.layers[b.layers.length - 1].name, b);
  });
  const own: TensorIdOf = (t) => t;
  const stashId: TensorIdOf = (t) => {
    const p = g.producer(t);
    return p && recomputed.has(p.name) ? `recompute:${t}` : t;
  };
  const ops: Op[] = [];
  for (const layer of g.layers) {
    const op = forwardOp(g, plan, layer, own, own, layer.name);
    if (op) ops.push(op);
  }
  const forwardOps = ops.length;
  const last = g.lossLayer;
  const softmaxLoss = last.kind === 'softmax' && g.consumers(last.output).length === 0;
  // A network cut down with `--only` has no loss: its last output's gradient comes from the layers left out.
  if (!softmaxLoss && !g.isFiltered && g.requiresGrad(last.output)) ops.push(lossGradient(g, plan, last, stashId));
  for (let i = g.layers.length - 1; i >= 0; i--) {
    const layer = g.layers[i];
    const block = blockEnds.get(layer.name);
    if (block) {
      for (const l of block.layers.slice(0, -1)) {
        const op = forwardOp(g, plan, l, stashId, (t) => `recompute:${t}`, `${l.name}:recompute`);
        if (op) ops.push(op);
      }
    }
    if (!g.requiresGrad(layer.output)) continue;
    if (g.gradConsumers(layer.output).length > 1) ops.push(gradientSum(g, plan, layer.output, layer));
    ops.push(...backwardOfLayer(g, plan, layer, stashId, softmaxLoss, config.weightGradient));
  }
  for (const layer of g.layers) {
    const op = updateOp(g, plan, layer, config.optimizer);
    if (op) ops.push(op);
  }
  return { ops, forwardOps, blocks, recomputed, stash: stashOf(ops, forwardOps), graph: g, plan, config };
}

/** Tensors written by the forward pass and read after it, with their bytes. */
function stashOf(ops: readonly Op[], forwardOps: number): Map<string, number> {
  const written = new Map<string, number>();
  for (let i = 0; i < forwardOps; i++) for (const w of edgesOf(ops[i])?.writes ?? []) written.set(w.tensor, w.elements * w.bytes);
  const stash = new Map<string, number>();
  for (let i = forwardOps; i < ops.length; i++) {
    for (const r of edgesOf(ops[i])?.reads ?? []) {
      const b = written.get(r.tensor);
      if (b !== undefined) stash.set(r.tensor, b);
    }
  }
  return stash;
}

/** The ops of one training step (the phase model's answer). */
export function trainingOps(net: Network, config: TrainingConfigInput | TrainingConfig = {}): Op[] {
  return trainingStep(net, config).ops;
}

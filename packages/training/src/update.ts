import type { Layer, Op, TensorName } from '@trim-dse/core';
import { einsumElements } from './einsum-backward.js';
import type { TrainingGraph } from './graph.js';
import type { PrecisionPlan } from './precision.js';
import type { Optimizer } from './schema.js';
import { vectorOp } from './vector-backward.js';

/** Trainable parameters of a layer (biases are not modelled). */
export function paramCount(g: TrainingGraph, layer: Layer): number {
  switch (layer.kind) {
    case 'conv2d': {
      const c = g.info(layer.inputs[0]).shape[1];
      return layer.params.outChannels * (c / layer.params.groups) * layer.params.kernel[0] * layer.params.kernel[1];
    }
    case 'linear':
      return g.info(layer.inputs[0]).shape[1] * layer.params.outFeatures;
    case 'norm': {
      if (layer.params.mode === 'batch') return 2 * g.info(layer.output).shape[1];
      const f = layer.params.affineFeatures ?? 0;
      return layer.params.mode === 'layer' ? 2 * f : f; // γ and β; RMS norm has γ only
    }
    case 'embedding':
      return layer.params.vocab * layer.params.dim;
    case 'einsum':
      // A tied parameter (LM head = embedding table) is updated once, by its owner.
      return layer.params.weightAxes === undefined || layer.params.tiedTo !== undefined ? 0 : einsumElements(layer.params, layer.params.weightAxes);
    default:
      return 0;
  }
}

/** Optimizer state tensors per weight (each read and written once per step). */
export const STATE_TENSORS: Record<Optimizer, number> = { sgd: 0, momentum: 1, adam: 2 };

/**
 * ALU operations per weight of one step:
 * SGD w −= η·g: 2. Momentum v = μ·v + g; w −= η·v: 4. Adam m = β1·m + (1−β1)·g (3); v = β2·v + (1−β2)·g² (4);
 * w −= η·m / (√v + ε) (5): 12. Mixed precision adds one conversion to the low-precision copy.
 */
const ALU_PER_WEIGHT: Record<Optimizer, number> = { sgd: 2, momentum: 4, adam: 12 };

/**
 * The optimizer step of one layer: reads the weights and their gradient, reads and writes the optimizer state
 * (momentum: v; Adam: m and v), writes the weights. With master weights in a wider format than the working
 * weights (mixed precision), the step reads and writes the master copy and also writes the working copy.
 */
export function updateOp(g: TrainingGraph, plan: PrecisionPlan, layer: Layer, optimizer: Optimizer): Op | null {
  const n = paramCount(g, layer);
  if (n === 0) return null;
  const net = g.precisionOf(layer.inputs[0]);
  const working = plan.precision('weights', 'update', net);
  const master = plan.precision('masterWeights', 'update', net);
  const mixed = master !== working;
  const wB = plan.bytes('weights', 'update', net);
  const mB = plan.bytes('masterWeights', 'update', net);
  const sB = plan.bytes('optimizerState', 'update', net);
  const gB = plan.bytes('weightGradients', 'update', net);
  const acc = (tensor: TensorName, bytes: number, id?: string) => ({ id, tensor, elements: n, bytes });
  const state = Array.from({ length: STATE_TENSORS[optimizer] }, () => acc('optimizer-state', sB));
  const reads = [acc('weights', mB), acc('grad-weights', gB, `grad-weights:${layer.name}`), ...state];
  const writes = [acc('weights', mB), ...state, ...(mixed ? [acc('weights', wB)] : [])];
  return vectorOp(layer, `${layer.name}:update`, 'update', reads, writes, n * (ALU_PER_WEIGHT[optimizer] + (mixed ? 1 : 0)));
}

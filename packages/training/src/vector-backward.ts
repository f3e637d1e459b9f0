import { withEdges, type EdgeUse, type Layer, type Op, type Phase, type TensorName, type VectorAccess, type VectorOp } from '@trim-dse/core';
import { MASK_BYTES, maskId, vectorKey, type TensorIdOf } from './forward.js';
import type { TrainingGraph } from './graph.js';
import type { PrecisionPlan } from './precision.js';

interface Access {
  /** Graph id of the data (undefined: not an inter-op tensor, e.g. batch-norm's γ). */
  readonly id: string | undefined;
  readonly tensor: TensorName;
  readonly elements: number;
  readonly bytes: number;
}

/** A vector op and its edges from one list of reads and writes. */
export function vectorOp(layer: Layer, name: string, phase: Phase, reads: readonly Access[], writes: readonly Access[], aluOps: number): Op {
  const strip = (a: Access): VectorAccess => ({ tensor: a.tensor, elements: a.elements, bytes: a.bytes });
  const body = { kind: 'vector' as const, name, layer: layer.name, layerKind: layer.kind, phase, reads: reads.map(strip), writes: writes.map(strip), aluOps };
  const op: VectorOp = { ...body, key: vectorKey(body) };
  const edge = (write: boolean) => (a: Access): EdgeUse[] =>
    a.id === undefined ? [] : [{ tensor: a.id, role: write ? 'outputs' : a.tensor === 'weights' || a.tensor === 'optimizer-state' ? 'weights' : 'inputs', elements: a.elements, bytes: a.bytes }];
  return withEdges(op, { reads: reads.flatMap(edge(false)), writes: writes.flatMap(edge(true)) });
}

/**
 * ALU operations per element of the textbook backward formulas:
 * ReLU/ReLU6 mask: 1. Sigmoid σ(1−σ)·dy and tanh (1−y²)·dy: 3. GELU (tanh form: tanh, square, two mul-adds,
 * product rule): 8. Element-wise product: one multiply per input gradient. Softmax dx = y·(dy − Σ dy·y): 4.
 * Batch/layer norm dx = (γ·inv/N)·(N·dy − Σdy − x̂·Σ(dy·x̂)) with x̂ recomputed: 10 (2 for x̂, 2 for the sums,
 * 6 for the combination). LRN (the square-sum window of 5 channels re-read): 10.
 */
const ALU_PER_ELEMENT = { relu: 1, relu6: 1, sigmoid: 3, tanh: 3, gelu: 8, silu: 4, rotary: 3, dropout: 1, softmax: 4, norm: 10, lrn: 10 } as const;
// SiLU x·σ(x): dy·σ·(1 + x·(1−σ)) with σ recomputed: 4. Rotary is linear: the inverse rotation of dy, 3 like the
// forward. Dropout: dy times the kept mask, 1.

/**
 * Backward of a layer without MACs: the output gradient and the stashed tensors its derivative needs are read, the
 * input gradient (and batch-norm's parameter gradients) written. Pass-through layers (add, identity, flatten) move
 * no data: their input gradient is their output gradient. `isLoss` fuses softmax with the cross-entropy loss
 * (dx = y − one-hot: no dy to read).
 */
export function vectorBackward(g: TrainingGraph, plan: PrecisionPlan, layer: Layer, stash: TensorIdOf, isLoss: boolean): Op | null {
  const y = layer.output;
  const yN = g.elements(y);
  const ph = 'backward-data' as const;
  const gradB = (t: string) => plan.bytes('gradients', ph, g.precisionOf(t));
  const actB = (t: string) => plan.bytes('activations', ph, g.precisionOf(t));
  const dy: Access = { id: g.gradId(y), tensor: 'grad-outputs', elements: yN, bytes: gradB(y) };
  const saved = (t: string): Access => ({ id: stash(g.resolve(t)), tensor: 'inputs', elements: g.elements(t), bytes: actB(t) });
  const dx = (t: string): Access => ({ id: g.partialGradId(t, layer), tensor: 'grad-inputs', elements: g.elements(t), bytes: gradB(t) });
  const x = layer.inputs[0];
  const needDx = g.requiresGrad(x);
  const name = `${layer.name}:bwd-data`;
  switch (layer.kind) {
    case 'flatten':
    case 'view':
      return null;
    case 'embedding': {
      // The rows of the table the ids picked accumulate dy (a scatter-add, one add per element).
      const gw: Access = { id: `grad-weights:${layer.name}`, tensor: 'grad-weights', elements: yN, bytes: plan.bytes('weightGradients', 'backward-weight', g.precisionOf(x)) };
      return vectorOp(layer, `${layer.name}:bwd-weight`, 'backward-weight', [dy, saved(x)], [gw], yN);
    }
    case 'eltwise': {
      const op = layer.params.op;
      if (op === 'add' || op === 'identity') return null;
      if (op === 'concat' || op === 'append') {
        // Each input's gradient is its part of dy: a copy, no arithmetic.
        const outs = layer.inputs.filter((t) => g.requiresGrad(t));
        return outs.length === 0 ? null : vectorOp(layer, name, ph, [dy], outs.map(dx), 0);
      }
      if (op === 'mul') {
        const outs = layer.inputs.filter((t) => g.requiresGrad(t));
        if (outs.length === 0) return null;
        return vectorOp(layer, name, ph, [dy, ...layer.inputs.map(saved)], outs.map(dx), yN * outs.length * Math.max(1, layer.inputs.length - 1));
      }
      if (!needDx) return null;
      if (op === 'rotary') return vectorOp(layer, name, ph, [dy], [dx(x)], yN * ALU_PER_ELEMENT[op]);
      if (op === 'dropout') {
        // The stored mask (or, when the layer was recomputed, its recomputed copy).
        const id = stash(g.resolve(y)) === g.resolve(y) ? maskId(layer) : `recompute:${maskId(layer)}`;
        const mask: Access = { id, tensor: 'inputs', elements: yN, bytes: MASK_BYTES };
        return vectorOp(layer, name, ph, [dy, mask], [dx(x)], yN * ALU_PER_ELEMENT[op]);
      }
      // ReLU, sigmoid and tanh differentiate from their output; GELU and SiLU from their input.
      const from = op === 'gelu' || op === 'silu' ? saved(x) : saved(y);
      return vectorOp(layer, name, ph, [dy, from], [dx(x)], yN * ALU_PER_ELEMENT[op]);
    }
    case 'pool': {
      if (!needDx) return null;
      const taps = layer.params.kernel[0] * layer.params.kernel[1];
      // Max pooling re-reads its input to find each window's maximum; average pooling spreads dy evenly.
      const reads = layer.params.mode === 'max' ? [dy, saved(x)] : [dy];
      return vectorOp(layer, name, ph, reads, [dx(x)], yN * taps + (layer.params.mode === 'max' ? yN : 0));
    }
    case 'norm': {
      const mode = layer.params.mode;
      const reads: Access[] = [dy, saved(x)];
      const writes: Access[] = needDx ? [dx(x)] : [];
      if (mode === 'lrn') reads.push(saved(y));
      if (mode === 'batch') {
        const c = g.info(y).shape[1];
        const wB = plan.bytes('weights', ph, g.precisionOf(x));
        reads.push({ id: undefined, tensor: 'weights', elements: c, bytes: wB });
        writes.push({ id: `grad-weights:${layer.name}`, tensor: 'grad-weights', elements: 2 * c, bytes: plan.bytes('weightGradients', ph, g.precisionOf(x)) });
      }
      const f = layer.params.affineFeatures;
      if (f !== undefined) {
        const params = (mode === 'layer' ? 2 : 1) * f; // γ (and β): read, and their gradients written
        reads.push({ id: undefined, tensor: 'weights', elements: params, bytes: plan.bytes('weights', ph, g.precisionOf(x)) });
        writes.push({ id: `grad-weights:${layer.name}`, tensor: 'grad-weights', elements: params, bytes: plan.bytes('weightGradients', ph, g.precisionOf(x)) });
      }
      if (writes.length === 0) return null;
      return vectorOp(layer, name, ph, reads, writes, yN * ALU_PER_ELEMENT[mode === 'lrn' ? 'lrn' : 'norm']);
    }
    case 'softmax': {
      if (!needDx) return null;
      if (isLoss) return vectorOp(layer, `${layer.name}:loss-bwd`, ph, [saved(y)], [dx(x)], yN);
      return vectorOp(layer, name, ph, [dy, saved(y)], [dx(x)], yN * ALU_PER_ELEMENT.softmax);
    }
    default:
      return null;
  }
}

/** The loss gradient of a network that does not end in softmax: dy = f(y) (one op per element, e.g. y − target). */
export function lossGradient(g: TrainingGraph, plan: PrecisionPlan, layer: Layer, stash: TensorIdOf): Op {
  const y = layer.output;
  const n = g.elements(y);
  return vectorOp(
    layer,
    'loss',
    'backward-data',
    [{ id: stash(g.resolve(y)), tensor: 'inputs', elements: n, bytes: plan.bytes('activations', 'backward-data', g.precisionOf(y)) }],
    [{ id: g.gradId(y), tensor: 'grad-outputs', elements: n, bytes: plan.bytes('gradients', 'backward-data', g.precisionOf(y)) }],
    n,
  );
}

/** Sum of the gradient contributions of a tensor read by several layers (residual branches). */
export function gradientSum(g: TrainingGraph, plan: PrecisionPlan, tensor: string, owner: Layer): Op {
  const id = g.resolve(tensor);
  const n = g.elements(id);
  const b = plan.bytes('gradients', 'backward-data', g.precisionOf(id));
  const parts = g.gradConsumers(id).map((c): Access => ({ id: g.partialGradId(id, c), tensor: 'grad-outputs', elements: n, bytes: b }));
  return vectorOp(owner, `${id}:grad-sum`, 'backward-data', parts, [{ id: g.gradId(id), tensor: 'grad-inputs', elements: n, bytes: b }], n * (parts.length - 1));
}

import { lowerForward, withEdges, withOperands, type EdgeUse, type Layer, type Op, type VectorOp } from '@trim-dse/core';
import type { TrainingGraph } from './graph.js';
import type { PrecisionPlan } from './precision.js';

/** Bytes per element of a dropout mask: one byte (Korthikanti et al., "Reducing activation recomputation", 2022). */
export const MASK_BYTES = 1;

export const isDropout = (layer: Layer): boolean => layer.kind === 'eltwise' && layer.params.op === 'dropout';

/** Graph id of a dropout layer's mask. */
export const maskId = (layer: Layer): string => `mask:${layer.name}`;

/** Where a forward tensor is read from or written to: its own id, or the id of its recomputed copy. */
export type TensorIdOf = (tensor: string) => string;

export function vectorKey(op: Omit<VectorOp, 'key'>): string {
  const acc = (a: VectorOp['reads']) => a.map((x) => `${x.tensor}:${x.elements}:${x.bytes}`).join(',');
  return `${op.layerKind}:${op.phase}:${acc(op.reads)}>${acc(op.writes)}:${op.aluOps}`;
}

/**
 * The forward op of a layer in a training step: as at inference (`lowerForward`), with the activation and weight
 * precisions of the forward phase, and edges naming the tensors it reads and writes (`readId`/`writeId` map a
 * tensor to its stored copy: the original, or a recomputed one).
 */
export function forwardOp(g: TrainingGraph, plan: PrecisionPlan, layer: Layer, readId: TensorIdOf, writeId: TensorIdOf, name: string): Op | null {
  const base = lowerForward(g.net, layer);
  if (!base) return null;
  const inP = g.precisionOf(layer.inputs[0]);
  const act = (t: string) => plan.bytes('activations', 'forward', g.precisionOf(t));
  const wB = plan.bytes('weights', 'forward', inP);
  const use = (t: string, role: string, bytes: number, write: boolean): EdgeUse => ({
    tensor: write ? writeId(g.resolve(t)) : readId(g.resolve(t)),
    role,
    elements: g.elements(t),
    bytes,
  });
  if (base.kind === 'mac') {
    const [o0, o1, o2] = base.operands;
    const isMatmul = layer.kind === 'matmul' || (layer.kind === 'einsum' && layer.inputs.length === 2);
    const b0 = isMatmul ? act(layer.inputs[1]) : wB;
    // withOperands keeps everything else of the inference op (clipped input extent included); the name is the op's.
    const op = { ...withOperands(base, [{ ...o0, bytes: b0 }, { ...o1, bytes: act(layer.inputs[0]) }, { ...o2, bytes: act(layer.output) }]), name };
    const reads = [use(layer.inputs[0], o1.tensor, act(layer.inputs[0]), false)];
    if (isMatmul) reads.push(use(layer.inputs[1], o0.tensor, b0, false));
    return withEdges(op, { reads, writes: [use(layer.output, o2.tensor, act(layer.output), true)] });
  }
  const inputs = layer.inputs;
  let k = 0;
  const reads = base.reads.map((r) => {
    if (r.tensor === 'weights') return { ...r, bytes: wB };
    const t = inputs[Math.min(k++, inputs.length - 1)];
    return { ...r, bytes: act(t) };
  });
  const writes = base.writes.map((w) => ({ ...w, bytes: act(layer.output) }));
  const edgeWrites = [use(layer.output, 'outputs', act(layer.output), true)];
  if (isDropout(layer)) {
    // The kept-element mask, one byte per element (Korthikanti et al. 2022), stored for the backward pass.
    const n = g.elements(layer.output);
    writes.push({ tensor: 'outputs', elements: n, bytes: MASK_BYTES });
    edgeWrites.push({ tensor: writeId(maskId(layer)), role: 'outputs', elements: n, bytes: MASK_BYTES });
  }
  // A BatchNorm in training normalises with the batch's own statistics, a reduction over the whole batch that
  // must finish before any element is normalised: not an epilogue on its producer's output path (inference folds it).
  const { epilogue, ...rest } = base;
  const body = { ...rest, name, reads, writes, ...(epilogue && !(layer.kind === 'norm' && layer.params.mode === 'batch') ? { epilogue } : {}) };
  const op: VectorOp = { ...body, key: vectorKey(body) };
  const edgeReads = inputs.map((t) => use(t, 'inputs', act(t), false));
  return withEdges(op, { reads: edgeReads, writes: edgeWrites });
}

import { macOp, withEdges, withEquivalents, type Layer, type MacOp, type Operand } from '@trim-dse/core';
import type { TensorIdOf } from './forward.js';
import type { TrainingGraph } from './graph.js';
import type { PrecisionPlan } from './precision.js';

const operand = (tensor: Operand['tensor'], projection: Operand['projection'], bytes: number): Operand => ({ tensor, projection, bytes, density: 1 });

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The filter taps of one axis grouped by the input phase they reach. Forward: input row x = p·stride + r·dilation.
 * Backward-data transposes it: the taps r with the same x mod stride form a stride-1 correlation over the output
 * gradient with dilation dilation/g (g = gcd(stride, dilation)). Each forward MAC (p, r) appears in exactly one class,
 * so Σ taps = R and the sub-convolutions do exactly the forward's MACs; input rows of no class (stride > kernel)
 * get a zero gradient and cost no MAC. Stride 1 gives one class: the whole rotated filter.
 */
export function tapClasses(kernel: number, stride: number, dilation: number): Array<{ taps: number; dilation: number; phase: number }> {
  const g = gcd(stride, dilation);
  const step = stride / g;
  const out: Array<{ taps: number; dilation: number; phase: number }> = [];
  for (let r0 = 0; r0 < Math.min(kernel, step); r0++) {
    out.push({ taps: Math.ceil((kernel - r0) / step), dilation: dilation / g, phase: (r0 * dilation) % stride });
  }
  return out;
}

export interface BackwardIds {
  /** Stored copy of a forward tensor (the stash or its recomputed copy). */
  readonly stash: TensorIdOf;
}

/**
 * dX = Wᵀ ⋆ dY of a convolution, as stride² (at most) stride-1 sub-convolutions with K and C exchanged and the filter
 * rotated. Each sub-convolution's output loop runs over the P×Q output-gradient positions (the useful MACs only: no
 * multiplication by a zero inserted between strided gradients or by the full-correlation padding, R−1−pad per side),
 * so the MACs add up to the forward's. Operands: slot 0 the filter, slot 1 the output gradient (window), slot 2
 * the input gradient.
 */
export function convBackwardData(g: TrainingGraph, plan: PrecisionPlan, layer: Extract<Layer, { kind: 'conv2d' }>): MacOp[] {
  const x = g.info(layer.inputs[0]);
  const y = g.info(layer.output);
  const p = layer.params;
  const groups = p.groups;
  const wB = plan.bytes('weights', 'backward-data', x.precision);
  const dyB = plan.bytes('gradients', 'backward-data', y.precision);
  const dxB = plan.bytes('gradients', 'backward-data', x.precision);
  const rows = tapClasses(p.kernel[0], p.stride[0], p.dilation[0]);
  const cols = tapClasses(p.kernel[1], p.stride[1], p.dilation[1]);
  const subOps = rows.length * cols.length;
  const dy = { tensor: g.gradId(layer.output), role: 'grad-outputs', elements: g.elements(layer.output), bytes: dyB };
  const dxId = g.partialGradId(layer.inputs[0], layer);
  const ops: MacOp[] = [];
  for (const rc of rows) {
    for (const cc of cols) {
      const name = subOps === 1 ? `${layer.name}:bwd-data` : `${layer.name}:bwd-data[${rc.phase},${cc.phase}]`;
      const op = macOp({
        name,
        layer: layer.name,
        layerKind: layer.kind,
        phase: 'backward-data',
        bounds: { N: x.shape[0], G: groups, K: x.shape[1] / groups, C: y.shape[1] / groups, P: y.shape[2], Q: y.shape[3], R: rc.taps, S: cc.taps },
        dilationH: rc.dilation,
        dilationW: cc.dilation,
        operands: [operand('weights', 'filter', wB), operand('grad-outputs', 'window', dyB), operand('grad-inputs', 'output', dxB)],
      });
      const dxElems = x.shape[0] * x.shape[1] * y.shape[2] * y.shape[3];
      ops.push(withEdges(op, { reads: [dy], writes: [{ tensor: dxId, role: 'grad-inputs', elements: dxElems, bytes: dxB }] }));
    }
  }
  return ops;
}

/**
 * dW = X ⋆ dY. `reduction`: the forward loop nest reduced over N, P, Q into a K×C×R×S result; slot 0 the output
 * gradient ('output' projection), slot 1 the stashed input (window), slot 2 the weight gradient ('filter').
 * `convolution`: dW[c][k][r][s] = Σ dY[k][n][p][q] · X[c][n][r·dilation + p·stride] — a convolution with N' = C,
 * C' = N, P'×Q' = R×S, R'×S' = P×Q, stride and dilation exchanged; slot 0 dY ('filter'), slot 1 X, slot 2 dW
 * ('output'). Both do the forward's MACs.
 */
export function convBackwardWeight(
  g: TrainingGraph,
  plan: PrecisionPlan,
  layer: Extract<Layer, { kind: 'conv2d' | 'linear' }>,
  ids: BackwardIds,
  form: 'auto' | 'reduction' | 'convolution' = 'auto',
): MacOp {
  if (form === 'auto') {
    const reduction = convBackwardWeight(g, plan, layer, ids, 'reduction');
    return withEquivalents(reduction, [convBackwardWeight(g, plan, layer, ids, 'convolution')]);
  }
  const x = g.info(layer.inputs[0]);
  const y = g.info(layer.output);
  const dyB = plan.bytes('gradients', 'backward-weight', y.precision);
  const xB = plan.bytes('activations', 'backward-weight', x.precision);
  const dwB = plan.bytes('weightGradients', 'backward-weight', x.precision);
  const fwd = nestOf(layer, x.shape, y.shape);
  const base = { name: `${layer.name}:bwd-weight`, layer: layer.name, layerKind: layer.kind, phase: 'backward-weight' as const };
  const b = fwd.bounds;
  const op =
    form === 'reduction'
      ? macOp({ ...fwd, ...base, operands: [operand('grad-outputs', 'output', dyB), operand('inputs', 'window', xB), operand('grad-weights', 'filter', dwB)] })
      : macOp({
          ...base,
          bounds: { N: b.C, G: b.G, K: b.K, C: b.N, P: b.R, Q: b.S, R: b.P, S: b.Q },
          strideH: fwd.dilationH,
          strideW: fwd.dilationW,
          dilationH: fwd.strideH,
          dilationW: fwd.strideW,
          // The same input rows x = p·stride + r·dilation are read in either form: the same extent is in memory.
          ...(fwd.inputRows !== undefined ? { inputRows: fwd.inputRows } : {}),
          ...(fwd.inputCols !== undefined ? { inputCols: fwd.inputCols } : {}),
          operands: [operand('grad-outputs', 'filter', dyB), operand('inputs', 'window', xB), operand('grad-weights', 'output', dwB)],
        });
  const weights = (b.G ?? 1) * (b.K ?? 1) * (b.C ?? 1) * (b.R ?? 1) * (b.S ?? 1);
  return withEdges(op, {
    reads: [
      { tensor: g.gradId(layer.output), role: 'grad-outputs', elements: g.elements(layer.output), bytes: dyB },
      { tensor: ids.stash(g.resolve(layer.inputs[0])), role: 'inputs', elements: g.elements(layer.inputs[0]), bytes: xB },
    ],
    writes: [{ tensor: `grad-weights:${layer.name}`, role: 'grad-weights', elements: weights, bytes: dwB }],
  });
}

interface Nest {
  bounds: { N: number; G?: number; K: number; C: number; P: number; Q: number; R?: number; S?: number };
  strideH?: number;
  strideW?: number;
  dilationH?: number;
  dilationW?: number;
  inputRows?: number;
  inputCols?: number;
}

function nestOf(layer: Extract<Layer, { kind: 'conv2d' | 'linear' }>, xs: readonly number[], ys: readonly number[]): Nest {
  if (layer.kind === 'linear') {
    return { bounds: { N: xs[0], K: layer.params.outFeatures, C: xs[1], P: xs[2], Q: xs[3] } };
  }
  const p = layer.params;
  return {
    bounds: { N: xs[0], G: p.groups, K: ys[1] / p.groups, C: xs[1] / p.groups, P: ys[2], Q: ys[3], R: p.kernel[0], S: p.kernel[1] },
    strideH: p.stride[0],
    strideW: p.stride[1],
    dilationH: p.dilation[0],
    dilationW: p.dilation[1],
    // Clipped padding (as `lowerForward`): the stashed X in memory is the top/left padding and the input only.
    ...(p.clipPadding ? { inputRows: p.padding[0] + xs[2], inputCols: p.padding[1] + xs[3] } : {}),
  };
}

/** dX = Wᵀ·dY of a fully connected layer: the forward product with K and C exchanged. */
export function linearBackwardData(g: TrainingGraph, plan: PrecisionPlan, layer: Extract<Layer, { kind: 'linear' }>): MacOp {
  const x = g.info(layer.inputs[0]);
  const y = g.info(layer.output);
  const wB = plan.bytes('weights', 'backward-data', x.precision);
  const dyB = plan.bytes('gradients', 'backward-data', y.precision);
  const dxB = plan.bytes('gradients', 'backward-data', x.precision);
  const [n, c, h, w] = x.shape;
  const op = macOp({
    name: `${layer.name}:bwd-data`,
    layer: layer.name,
    layerKind: layer.kind,
    phase: 'backward-data',
    bounds: { N: n, K: c, C: layer.params.outFeatures, P: h, Q: w },
    operands: [operand('weights', 'filter', wB), operand('grad-outputs', 'window', dyB), operand('grad-inputs', 'output', dxB)],
  });
  return withEdges(op, {
    reads: [{ tensor: g.gradId(layer.output), role: 'grad-outputs', elements: g.elements(layer.output), bytes: dyB }],
    writes: [{ tensor: g.partialGradId(layer.inputs[0], layer), role: 'grad-inputs', elements: g.elements(layer.inputs[0]), bytes: dxB }],
  });
}

/**
 * Y = A·B per (batch, head) has two activation operands and no weights: dA = dY·Bᵀ and dB = Aᵀ·dY, both
 * backward-data products of the forward's MAC count (each only when its operand needs a gradient). In the GEMM
 * convention (P = M rows of A, C = reduction, K = columns of B, G = batch·heads):
 * dA: P = M, C = Ncols, K = Kr; slot 0 B, slot 1 dY, slot 2 dA. dB: the forward nest reduced over P; slot 0 dY
 * ('output'), slot 1 A (window), slot 2 dB ('filter').
 */
export function matmulBackward(g: TrainingGraph, plan: PrecisionPlan, layer: Extract<Layer, { kind: 'matmul' }>, ids: BackwardIds): MacOp[] {
  const [aName, bName] = layer.inputs;
  const a = g.info(aName);
  const bInfo = g.info(bName);
  const y = g.info(layer.output);
  const heads = layer.params.heads;
  const G = a.shape[0] * heads;
  const kr = a.shape[1] / heads;
  const m = a.shape[2];
  const ncols = y.shape[1] / heads;
  const dyB = plan.bytes('gradients', 'backward-data', y.precision);
  const dy = { tensor: g.gradId(layer.output), role: 'grad-outputs', elements: g.elements(layer.output), bytes: dyB };
  const ops: MacOp[] = [];
  const base = { layer: layer.name, layerKind: layer.kind, phase: 'backward-data' as const };
  if (g.requiresGrad(aName)) {
    const bB = plan.bytes('activations', 'backward-data', bInfo.precision);
    const daB = plan.bytes('gradients', 'backward-data', a.precision);
    const op = macOp({
      ...base,
      name: `${layer.name}:bwd-data-a`,
      bounds: { G, K: kr, C: ncols, P: m },
      operands: [operand('inputs', 'filter', bB), operand('grad-outputs', 'window', dyB), operand('grad-inputs', 'output', daB)],
    });
    ops.push(
      withEdges(op, {
        reads: [dy, { tensor: ids.stash(g.resolve(bName)), role: 'inputs', elements: g.elements(bName), bytes: bB }],
        writes: [{ tensor: g.partialGradId(aName, layer), role: 'grad-inputs', elements: g.elements(aName), bytes: daB }],
      }),
    );
  }
  if (g.requiresGrad(bName)) {
    const aB = plan.bytes('activations', 'backward-data', a.precision);
    const dbB = plan.bytes('gradients', 'backward-data', bInfo.precision);
    const op = macOp({
      ...base,
      name: `${layer.name}:bwd-data-b`,
      bounds: { G, K: ncols, C: kr, P: m },
      operands: [operand('grad-outputs', 'output', dyB), operand('inputs', 'window', aB), operand('grad-inputs', 'filter', dbB)],
    });
    ops.push(
      withEdges(op, {
        reads: [dy, { tensor: ids.stash(g.resolve(aName)), role: 'inputs', elements: g.elements(aName), bytes: aB }],
        writes: [{ tensor: g.partialGradId(bName, layer), role: 'grad-inputs', elements: g.elements(bName), bytes: dbB }],
      }),
    );
  }
  return ops;
}

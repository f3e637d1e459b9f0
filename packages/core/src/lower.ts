import type { EpilogueKind } from './epilogue.js';
import type { Layer, TensorInfo } from './ir/layer.js';
import { tensorElements } from './schedule/edges.js';
import type { Network } from './ir/network.js';
import { precisionBytes } from './precision.js';
import { einsumOp, macOp, type Op, type Operand, type Phase, type TensorName, type VectorAccess, type VectorOp } from './op.js';

function tensorOf(net: Network, name: string): TensorInfo {
  const t = net.tensors.get(name);
  if (!t) throw new Error(`tensor ${name} missing from network ${net.name}`);
  return t;
}

const elems = (t: TensorInfo) => tensorElements(t);

function operand(tensor: TensorName, projection: Operand['projection'], bytes: number): Operand {
  return { tensor, projection, bytes, density: 1 };
}

/**
 * The forward op of a layer: a MAC loop nest for conv2d / linear / matmul, a vector op for the rest, or null for a
 * pure view (flatten). `bytesOverride` lets a phase model impose its own precision per tensor.
 */
export function lowerForward(net: Network, layer: Layer, weightBytes?: number): Op | null {
  const x = tensorOf(net, layer.inputs[0]);
  const y = tensorOf(net, layer.output);
  const inB = precisionBytes(x.precision);
  const outB = precisionBytes(y.precision);
  const wB = weightBytes ?? inB;
  const base = { name: layer.name, layer: layer.name, layerKind: layer.kind, phase: 'forward' as Phase };
  switch (layer.kind) {
    case 'conv2d': {
      const p = layer.params;
      const [n, c] = x.shape;
      const [, k, pOut, qOut] = y.shape;
      return macOp({
        ...base,
        bounds: { N: n, G: p.groups, K: k / p.groups, C: c / p.groups, P: pOut, Q: qOut, R: p.kernel[0], S: p.kernel[1] },
        strideH: p.stride[0],
        strideW: p.stride[1],
        dilationH: p.dilation[0],
        dilationW: p.dilation[1],
        // Clipped padding: only the top/left padding and the input are in memory.
        ...(p.clipPadding ? { inputRows: p.padding[0] + x.shape[2], inputCols: p.padding[1] + x.shape[3] } : {}),
        operands: [operand('weights', 'filter', wB), operand('inputs', 'window', inB), operand('outputs', 'output', outB)],
      });
    }
    case 'linear': {
      const [n, c, h, w] = x.shape;
      return macOp({
        ...base,
        bounds: { N: n, K: layer.params.outFeatures, C: c, P: h, Q: w },
        operands: [operand('weights', 'filter', wB), operand('inputs', 'window', inB), operand('outputs', 'output', outB)],
      });
    }
    case 'matmul': {
      const b = tensorOf(net, layer.inputs[1]);
      const { heads } = layer.params;
      const [n, ac, m] = x.shape;
      const kr = ac / heads;
      const ncols = y.shape[1] / heads;
      // Both operands are activations; the second takes the "weights side" slot and the batch folds into G.
      return macOp({
        ...base,
        bounds: { G: n * heads, K: ncols, C: kr, P: m },
        operands: [
          operand('weights', 'filter', precisionBytes(b.precision)),
          operand('inputs', 'window', inB),
          operand('outputs', 'output', outB),
        ],
      });
    }
    case 'einsum': {
      // A parameter operand takes the weights side; with two activations the second does (as `matmul`).
      const p = layer.params;
      const weighted = p.weightAxes !== undefined;
      const second = weighted ? undefined : tensorOf(net, layer.inputs[1]);
      const bB = second ? precisionBytes(second.precision) : wB;
      return einsumOp({
        ...base,
        dims: p.dims,
        operands: [
          { tensor: second?.role ?? 'weights', axes: weighted ? (p.weightAxes as string) : p.axes[1], bytes: bB },
          { tensor: 'inputs', axes: p.axes[0], bytes: inB },
          { tensor: 'outputs', axes: p.out, bytes: outB },
        ],
      });
    }
    case 'flatten':
    case 'view':
      return null;
    default:
      return vectorForward(net, layer, base);
  }
}

function vectorForward(net: Network, layer: Layer, base: { name: string; layer: string; layerKind: string; phase: Phase }): VectorOp {
  const y = tensorOf(net, layer.output);
  // Appending to a KV cache in place reads and writes the new rows only.
  const readFrom = layer.kind === 'eltwise' && layer.params.op === 'append' ? layer.inputs.slice(1) : layer.inputs;
  const outN = layer.kind === 'eltwise' && layer.params.op === 'append' ? elems(tensorOf(net, layer.inputs[1])) : elems(y);
  const reads: VectorAccess[] = readFrom.map((t) => {
    const info = tensorOf(net, t);
    return { tensor: 'inputs', elements: elems(info), bytes: precisionBytes(info.precision) };
  });
  const writes: VectorAccess[] = [{ tensor: 'outputs', elements: outN, bytes: precisionBytes(y.precision) }];
  let aluOps = outN;
  switch (layer.kind) {
    case 'pool':
      aluOps = outN * layer.params.kernel[0] * layer.params.kernel[1];
      break;
    case 'eltwise':
      // Concatenation copies: no arithmetic. Rotary embedding: x·cos + rotate(x)·sin, two multiplies and an add.
      aluOps = layer.params.op === 'concat' || layer.params.op === 'append' ? 0 : layer.params.op === 'rotary' ? 3 * outN : outN * Math.max(1, layer.inputs.length - 1);
      break;
    case 'embedding':
      // A gather: the ids are read and one table row per id; no arithmetic but one address per id.
      reads.push({ tensor: 'weights', elements: outN, bytes: precisionBytes(y.precision) });
      aluOps = elems(tensorOf(net, layer.inputs[0]));
      break;
    case 'norm': {
      // Batch norm at inference is a per-channel scale and shift; layer norm also computes mean and variance;
      // LRN sums squares over 5 neighbouring channels (AlexNet's size).
      // RMS norm: square-accumulate, scale by 1/rms, by γ.
      aluOps = outN * (layer.params.mode === 'batch' ? 2 : layer.params.mode === 'layer' ? 5 : layer.params.mode === 'rms' ? 3 : 7);
      if (layer.params.mode === 'batch') reads.push({ tensor: 'weights', elements: 2 * y.shape[1], bytes: reads[0].bytes });
      // Learned γ (and β for layer norm) are read once per op.
      const f = layer.params.affineFeatures;
      if (f !== undefined) reads.push({ tensor: 'weights', elements: (layer.params.mode === 'layer' ? 2 : 1) * f, bytes: reads[0].bytes });
      break;
    }
    case 'softmax':
      aluOps = outN * 4; // max, subtract-exp, sum, divide
      break;
  }
  const epilogue = epilogueKindOf(layer);
  return {
    kind: 'vector',
    ...base,
    reads,
    writes,
    aluOps,
    ...(epilogue ? { epilogue } : {}),
    key: `${layer.kind}:${reads.map((r) => r.elements).join(',')}:${outN}:${aluOps}`,
  };
}

const ACTIVATIONS: ReadonlySet<string> = new Set(['relu', 'relu6', 'gelu', 'sigmoid', 'tanh', 'silu', 'identity']);

/**
 * The epilogue a forward layer is at inference, if any: activations, a two-input add (a residual), pooling, and a
 * BatchNorm (folded: scale into the producer's weights, shift as a bias). Softmax and layer/RMS norm reduce over a
 * row the producer's output tile may not hold whole; LRN sums across channels; concat and append are copies.
 */
function epilogueKindOf(layer: Layer): EpilogueKind | undefined {
  switch (layer.kind) {
    case 'eltwise':
      if (ACTIVATIONS.has(layer.params.op)) return 'activation';
      return layer.params.op === 'add' && layer.inputs.length === 2 ? 'residual-add' : undefined;
    case 'pool':
      return 'pool';
    case 'norm':
      return layer.params.mode === 'batch' ? 'bias' : undefined;
    default:
      return undefined;
  }
}

/** Inference: the forward op of every layer, in network order. */
export function inferenceOps(net: Network): Op[] {
  const ops: Op[] = [];
  for (const layer of net.layers) {
    const op = lowerForward(net, layer);
    if (op) ops.push(op);
  }
  return ops;
}

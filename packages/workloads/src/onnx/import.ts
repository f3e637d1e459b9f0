import { basename, extname } from 'node:path';
import { MAX_ONNX_BYTES, readInputBytes, TrimUserError, type Network } from '@trim-dse/core';
import { batchNorm, conv, globalPool, pool } from './cnn.js';
import { OnnxContext, type OnnxOptions } from './context.js';
import { binary, constantFold, constantOnly, layerNorm, pow, softmax, unary, where } from './elementwise.js';
import { gemm, matmul } from './matmul.js';
import { decodeOnnx, type OnnxNode } from './model.js';
import type { NormPattern } from './norm-pattern.js';
import { BINARY_OPS, CONSTANT_ONLY_OPS, NORM_PATTERN_OPS, UNARY_OPS } from './ops.js';
import { checkOperators } from './refuse.js';
import { alias, concat, constantNode, expand, flatten, gather, reshape, slice, split, squeeze, transpose } from './shapes.js';
import { identityDims } from './view.js';

export type { OnnxOptions } from './context.js';

type Handler = (cx: OnnxContext, node: OnnxNode, i: number) => void;

const HANDLERS: Readonly<Record<string, Handler>> = {
  Conv: conv,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  BatchNormalization: batchNorm,
  Gemm: gemm,
  MatMul: matmul,
  LayerNormalization: layerNorm,
  Softmax: softmax,
  Pow: pow,
  Where: where,
  Constant: constantNode,
  Identity: alias,
  Dropout: alias,
  Cast: alias,
  Transpose: transpose,
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: squeeze,
  Slice: slice,
  Split: split,
  Concat: concat,
  Gather: gather,
  Expand: expand,
};

function handlerOf(op: string): Handler | undefined {
  if (op in UNARY_OPS) return unary;
  if (op in BINARY_OPS) return binary;
  if (NORM_PATTERN_OPS.has(op)) return constantOnly;
  if (CONSTANT_ONLY_OPS.has(op)) return constantFold;
  return HANDLERS[op];
}

function addInput(cx: OnnxContext, name: string, dims: readonly (number | string)[]): void {
  const sized = dims.map((d, i) => {
    if (typeof d === 'number') return d;
    if (i === 0) return cx.options.batch;
    if (cx.options.seqLen !== undefined) return cx.options.seqLen;
    throw new TrimUserError(`ONNX input "${name}" has a symbolic dimension ${i} ("${d}"); only the batch (dimension 0) may be symbolic, and the tokens when seqLen is given`, {
      field: '--workload',
      fix: 'pass seqLen (--seq), or export the model with fixed input shapes',
    });
  });
  if (sized.length === 0) throw new TrimUserError(`ONNX input "${name}" is a scalar; inputs must be tensors`, { field: '--workload' });
  const t = cx.b.input(name, sized);
  cx.values.set(name, { kind: 'act', tensor: t, dims: identityDims(sized) });
}

/** A recognised LayerNorm/RMSNorm pattern: one `norm` layer at the node that writes its output. */
function normAt(cx: OnnxContext, node: OnnxNode, i: number, p: NormPattern): void {
  const x = cx.values.get(p.input);
  if (x?.kind !== 'act') return cx.fail(node, i, `the normalised tensor "${p.input}" is not an activation`);
  cx.setPlain(node, cx.b.norm(cx.layerName(node, i), cx.plain(x), p.mode, { affine: p.affine }));
}

/** A recognised Erf GELU pattern: one `gelu` element-wise layer. */
function geluAt(cx: OnnxContext, node: OnnxNode, i: number, input: string): void {
  const x = cx.values.get(input);
  if (x?.kind !== 'act') return cx.fail(node, i, `the GELU input "${input}" is not an activation`);
  cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [x.tensor], 'gelu'), x.dims);
}

/**
 * Imports an ONNX model (a path to a `.onnx` file or its bytes) as a TRIM network. Shapes come from the graph
 * inputs (a symbolic batch dimension takes `options.batch`) and the weight initializers; unsupported operators are
 * refused all at once, before any layer is built, never dropped.
 */
export function loadOnnx(source: string | Uint8Array, options: OnnxOptions): Network {
  let bytes: Uint8Array;
  let where = 'ONNX bytes';
  if (typeof source === 'string') {
    where = source;
    bytes = readInputBytes(source, { maxBytes: MAX_ONNX_BYTES });
  } else {
    bytes = source;
  }
  const graph = decodeOnnx(bytes, where);
  const name = options.name ?? (graph.name || (typeof source === 'string' ? basename(source, extname(source)) : 'onnx'));
  const patterns = checkOperators(graph, name);
  const cx = new OnnxContext(graph, options, name);
  const consumed = new Set(graph.nodes.flatMap((n) => n.inputs));
  for (const input of graph.inputs) if (consumed.has(input.name)) addInput(cx, input.name, input.dims);
  graph.nodes.forEach((node, i) => {
    if (patterns.absorbed.has(i)) return;
    const norm = patterns.norms.get(i);
    if (norm) return normAt(cx, node, i, norm);
    const gelu = patterns.gelus.get(i);
    if (gelu) return geluAt(cx, node, i, gelu.input);
    const handler = handlerOf(node.opType);
    if (!handler) return cx.fail(node, i, 'is not supported');
    handler(cx, node, i);
  });
  return cx.b.build();
}

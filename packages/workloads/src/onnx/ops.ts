import type { EltwiseOp } from '@trim-dse/core';

/**
 * ONNX element-wise activations and the TRIM eltwise op that costs the same (Clip is a clamp: relu6; Neg, in rotary
 * embeddings' rotate-half, one sign flip per element like a multiply).
 */
export const UNARY_OPS: Readonly<Record<string, EltwiseOp>> = {
  Relu: 'relu',
  Neg: 'mul',
  Clip: 'relu6',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Gelu: 'gelu',
};

/** Binary arithmetic: subtraction costs as an add, division as a multiply. */
export const BINARY_OPS: Readonly<Record<string, EltwiseOp>> = {
  Add: 'add',
  Sub: 'add',
  Mul: 'mul',
  Div: 'mul',
};

/** Pure views or no-ops in TRIM's IR (layout is not modelled): no layer, or a `view` layer that moves no data. */
export const VIEW_OPS = new Set(['Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Constant', 'Cast', 'Slice', 'Split', 'Gather']);

export const LAYER_OPS = new Set([
  'Conv',
  'Gemm',
  'MatMul',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'BatchNormalization',
  'LayerNormalization',
  'Softmax',
  'Concat',
  'Expand',
  'Where',
  'Pow',
]);

/**
 * Operators that are fine on constants (folded: no layer) and inside a recognised LayerNorm / RMSNorm pattern (one
 * `norm` layer), and refused on activations anywhere else.
 */
export const NORM_PATTERN_OPS = new Set(['ReduceMean', 'Sqrt', 'Reciprocal']);

/**
 * Operators read only when every input is a constant (mask and position-id arithmetic a fixed-shape export may leave
 * unfolded): they fold to a constant of the broadcast shape, no layer. On an activation they are refused.
 */
export const CONSTANT_ONLY_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'Min', 'Max', 'Abs', 'Exp', 'Log', 'Floor', 'Ceil', 'Trilu', 'ConstantOfShape', 'Range']);

const NORM_HINT =
  'ReduceMean, Sqrt and Reciprocal are read only on constants or as part of a LayerNorm (ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div) or RMSNorm (Pow, ReduceMean, Add ε, Sqrt, Reciprocal or Div, Mul) over the last axis';

/** A hint for ops that are commonly met and refused. */
export const REFUSAL_HINTS: Readonly<Record<string, string>> = {
  Erf: 'Erf is read only as part of GELU (Div by √2, Erf, Add 1, Mul by x, Mul by ½): export other uses with opset ≥ 20 (a single Gelu node) or remove them',
  Shape: 'shape arithmetic is not supported: export with fixed shapes or simplify the model (onnxsim) so Reshape takes a constant shape',
  ReduceMean: NORM_HINT,
  Sqrt: NORM_HINT,
  Reciprocal: NORM_HINT,
};

/** Every operator the importer maps, for messages and docs. */
export const SUPPORTED_OPS: readonly string[] = [
  ...LAYER_OPS,
  ...Object.keys(UNARY_OPS),
  ...Object.keys(BINARY_OPS),
  ...VIEW_OPS,
  ...[...NORM_PATTERN_OPS].map((op) => `${op} (in a norm pattern)`),
  ...[...CONSTANT_ONLY_OPS].map((op) => `${op} (on constants)`),
];

export function isSupportedOp(opType: string, domain: string): boolean {
  if (domain !== '' && domain !== 'ai.onnx') return false;
  return opType in UNARY_OPS || opType in BINARY_OPS || VIEW_OPS.has(opType) || LAYER_OPS.has(opType);
}

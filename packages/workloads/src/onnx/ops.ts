import type { EltwiseOp } from '@trim-dse/core';

/** ONNX element-wise activations and the TRIM eltwise op that costs the same (Clip is a clamp: relu6). */
export const UNARY_OPS: Readonly<Record<string, EltwiseOp>> = {
  Relu: 'relu',
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

/** Pure views or no-ops in TRIM's IR (layout is not modelled). */
export const VIEW_OPS = new Set(['Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Constant']);

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
]);

/** A hint for ops that are commonly met and refused. */
export const REFUSAL_HINTS: Readonly<Record<string, string>> = {
  Erf: 'GELU exported as an Erf pattern is not supported: export with opset ≥ 20 (a single Gelu node)',
  Shape: 'shape arithmetic is not supported: export with fixed shapes or simplify the model (onnxsim) so Reshape takes a constant shape',
  ReduceMean: 'LayerNorm decomposed into ReduceMean/Pow/Sqrt is not supported: export with opset ≥ 17 (LayerNormalization)',
};

/** Every operator the importer maps, for messages and docs. */
export const SUPPORTED_OPS: readonly string[] = [...LAYER_OPS, ...Object.keys(UNARY_OPS), ...Object.keys(BINARY_OPS), ...VIEW_OPS];

export function isSupportedOp(opType: string, domain: string): boolean {
  if (domain !== '' && domain !== 'ai.onnx') return false;
  return opType in UNARY_OPS || opType in BINARY_OPS || VIEW_OPS.has(opType) || LAYER_OPS.has(opType);
}

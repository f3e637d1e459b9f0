import { C, DIMS, G, K, N, P, Q, R, S, PROJECTION_CODE, type Projection } from './dims.js';

export const PHASES = ['forward', 'backward-data', 'backward-weight', 'update'] as const;
export type Phase = (typeof PHASES)[number];

/** Tensor names used in results (DESIGN.md). */
export type TensorName =
  | 'weights'
  | 'inputs'
  | 'outputs'
  | 'grad-outputs'
  | 'grad-inputs'
  | 'grad-weights'
  | 'optimizer-state';

/**
 * One operand of a MAC loop nest. Slot 0 is the "weights side" (held in a template's filter buffer), slot 1 the
 * "inputs side" (ifmap buffer) and slot 2 the written result (ofmap buffer); the projection says how loop indices
 * address it, which need not match the slot (backward-weight writes a filter-shaped gradient).
 */
export interface Operand {
  readonly tensor: TensorName;
  readonly projection: Projection;
  readonly bytes: number;
  /** Fraction of non-zero elements (1 = dense). Only templates that model compression or zero-gating read it. */
  readonly density: number;
}

/**
 * A MAC layer lowered to one loop nest over N, G, K, C, P, Q, R, S:
 *   out[n][g][k][p][q] += w[g][k][c][r][s] · in[n][g][c][p·strideH + r·dilationH][q·strideW + s·dilationW]
 * The input is taken as already padded. GEMM convention: an M×Kr by Kr×Ncols product is P = M, C = Kr, K = Ncols
 * and N = G = Q = R = S = 1 (batched products put the batch in G).
 */
export interface MacOp {
  readonly kind: 'mac';
  readonly name: string;
  readonly layer: string;
  readonly layerKind: string;
  readonly phase: Phase;
  /** Loop bounds indexed by the dims of `dims.ts`. */
  readonly bounds: readonly number[];
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly operands: readonly [Operand, Operand, Operand];
  /** Projection of each operand slot as a code (`PROJECTION_CODE`: 0 filter, 1 window, 2 output) for the hot path. */
  readonly projections: readonly [number, number, number];
  /**
   * Input rows and columns present in memory (0 = the whole padded extent). Windows that run past them read
   * nothing there: SCALE-Sim's edge convention, where the output size is rounded up and the last window hangs over
   * the input's bottom/right edge. Those elements are neither stored nor fetched.
   */
  readonly inputRows: number;
  readonly inputCols: number;
  readonly macs: number;
  /** Identical keys mean identical cost on any hardware: the memo key. */
  readonly key: string;
  /**
   * Other loop nests that compute the same result with the same MACs (e.g. backward-weight as a reduction or as a
   * convolution whose filter is the output gradient). The evaluator maps every form each dataflow supports and keeps
   * the best, so a dataflow that only maps convolution-shaped nests still serves the op.
   */
  readonly equivalents?: readonly MacOp[];
}

/** Attaches equivalent forms to an op (the memo key covers them). */
export function withEquivalents<T extends MacOp>(op: T, forms: readonly MacOp[]): T {
  return { ...op, equivalents: forms, key: [op.key, ...forms.map((f) => f.key)].join('||') };
}

/** A layer without MACs (pooling, element-wise, normalisation, softmax, the optimizer step): memory traffic and ALU ops. */
export interface VectorOp {
  readonly kind: 'vector';
  readonly name: string;
  readonly layer: string;
  readonly layerKind: string;
  readonly phase: Phase;
  readonly reads: readonly VectorAccess[];
  readonly writes: readonly VectorAccess[];
  /** Arithmetic operations (compare, add, exp, …), for ALU time and energy. */
  readonly aluOps: number;
  readonly key: string;
}

export interface VectorAccess {
  readonly tensor: TensorName;
  readonly elements: number;
  readonly bytes: number;
}

export type Op = MacOp | VectorOp;

export interface MacOpInit {
  name: string;
  layer: string;
  layerKind: string;
  phase: Phase;
  bounds: Partial<Record<(typeof DIMS)[number], number>>;
  strideH?: number;
  strideW?: number;
  dilationH?: number;
  dilationW?: number;
  /** Input rows/columns present in memory when windows run off the edge (see `MacOp.inputRows`); default all. */
  inputRows?: number;
  inputCols?: number;
  operands: readonly [Operand, Operand, Operand];
}

export function macOp(init: MacOpInit): MacOp {
  const b = init.bounds;
  const bounds = [b.N ?? 1, b.G ?? 1, b.K ?? 1, b.C ?? 1, b.P ?? 1, b.Q ?? 1, b.R ?? 1, b.S ?? 1];
  for (let i = 0; i < 8; i++) {
    if (!Number.isInteger(bounds[i]) || bounds[i] < 1) {
      throw new RangeError(`op ${init.name}: bound ${DIMS[i]} = ${bounds[i]} is not a positive integer`);
    }
  }
  const strideH = init.strideH ?? 1;
  const strideW = init.strideW ?? 1;
  const dilationH = init.dilationH ?? 1;
  const dilationW = init.dilationW ?? 1;
  const macs = bounds.reduce((a, v) => a * v, 1);
  const ops = init.operands;
  const fullH = inputExtent(bounds[P], bounds[R], strideH, dilationH);
  const fullW = inputExtent(bounds[Q], bounds[S], strideW, dilationW);
  // 0 (or anything covering the extent) means nothing is clipped.
  const inputRows = init.inputRows !== undefined && init.inputRows > 0 && init.inputRows < fullH ? init.inputRows : 0;
  const inputCols = init.inputCols !== undefined && init.inputCols > 0 && init.inputCols < fullW ? init.inputCols : 0;
  for (const v of [inputRows, inputCols]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`op ${init.name}: input extent ${v} is not a non-negative integer`);
  }
  const key = [
    bounds.join(','),
    strideH,
    strideW,
    dilationH,
    dilationW,
    inputRows,
    inputCols,
    ops.map((o) => `${o.projection}:${o.bytes}:${o.density}`).join('|'),
  ].join('/');
  return {
    kind: 'mac',
    name: init.name,
    layer: init.layer,
    layerKind: init.layerKind,
    phase: init.phase,
    bounds,
    strideH,
    strideW,
    dilationH,
    dilationW,
    operands: ops,
    projections: [PROJECTION_CODE[ops[0].projection], PROJECTION_CODE[ops[1].projection], PROJECTION_CODE[ops[2].projection]],
    inputRows,
    inputCols,
    macs,
    key,
  };
}

/** The op's init fields (for rebuilding it with some of them changed). */
export function macOpInit(op: MacOp): MacOpInit {
  const b = op.bounds;
  return {
    name: op.name,
    layer: op.layer,
    layerKind: op.layerKind,
    phase: op.phase,
    bounds: { N: b[N], G: b[G], K: b[K], C: b[C], P: b[P], Q: b[Q], R: b[R], S: b[S] },
    strideH: op.strideH,
    strideW: op.strideW,
    dilationH: op.dilationH,
    dilationW: op.dilationW,
    inputRows: op.inputRows,
    inputCols: op.inputCols,
    operands: op.operands,
  };
}

/**
 * The op with other operands (precision, density), everything else kept: fields a phase model attached (edges)
 * survive, equivalent forms get the same precision and density per tensor, and the memo key follows.
 */
export function withOperands<T extends MacOp>(op: T, operands: readonly [Operand, Operand, Operand]): T {
  const byTensor = new Map<string, Operand>();
  op.operands.forEach((o, t) => byTensor.set(o.tensor, operands[t]));
  const retype = (f: MacOp): MacOp => {
    const o = f.operands.map((x) => {
      const n = byTensor.get(x.tensor);
      return n ? { ...x, bytes: n.bytes, density: n.density } : x;
    });
    return macOp({ ...macOpInit(f), operands: [o[0], o[1], o[2]] });
  };
  const rebuilt = macOp({ ...macOpInit(op), operands });
  const out = { ...op, ...rebuilt } as T;
  if (!op.equivalents) return out;
  const equivalents = op.equivalents.map(retype);
  return { ...out, equivalents, key: [rebuilt.key, ...equivalents.map((f) => f.key)].join('||') };
}

/** Padded input extent along one axis: (P−1)·stride + (R−1)·dilation + 1. */
export function inputExtent(outSize: number, kernel: number, stride: number, dilation: number): number {
  return (outSize - 1) * stride + (kernel - 1) * dilation + 1;
}

/** Elements of the operand that the whole op touches (its compulsory traffic; clipped edges excluded). */
export function operandSize(op: MacOp, slot: number): number {
  const b = op.bounds;
  switch (op.operands[slot].projection) {
    case 'filter':
      return b[G] * b[K] * b[C] * b[R] * b[S];
    case 'output':
      return b[N] * b[G] * b[K] * b[P] * b[Q];
    case 'window':
      return (
        b[N] * b[G] * b[C] *
        clippedWindowRows(b[P], b[R], op.strideH, op.dilationH, op.inputRows) *
        clippedWindowRows(b[Q], b[S], op.strideW, op.dilationW, op.inputCols)
      );
  }
}

/** Distinct input rows touched below `valid` (0 = no limit): `windowRows` with SCALE-Sim's clipped edge. */
export function clippedWindowRows(outRows: number, kernelRows: number, stride: number, dilation: number, valid: number): number {
  const extent = inputExtent(outRows, kernelRows, stride, dilation);
  if (valid <= 0 || valid >= extent) return windowRows(outRows, kernelRows, stride, dilation);
  const rows = windowRows(outRows, kernelRows, stride, dilation);
  if (rows === extent) return valid; // contiguous windows: every row below the edge
  let n = 0;
  if (scratch.length < extent) scratch = new Uint8Array(extent * 2);
  scratch.fill(0, 0, extent);
  for (let p = 0; p < outRows; p++) {
    for (let r = 0; r < kernelRows; r++) {
      const i = p * stride + r * dilation;
      if (i < valid && scratch[i] === 0) {
        scratch[i] = 1;
        n++;
      }
    }
  }
  return n;
}

/**
 * Distinct input rows touched by `outRows` output rows and `kernelRows` filter taps: |{p·stride + r·dilation}|.
 * Closed form when the taps cover the gaps; otherwise counts (gapped strides with dilation are rare and small).
 */
export function windowRows(outRows: number, kernelRows: number, stride: number, dilation: number): number {
  if (outRows === 1) return kernelRows;
  if (kernelRows === 1) return outRows;
  if (dilation === 1) {
    return stride <= kernelRows ? (outRows - 1) * stride + kernelRows : outRows * kernelRows;
  }
  if (stride === 1) {
    return outRows >= dilation ? outRows - 1 + (kernelRows - 1) * dilation + 1 : outRows * kernelRows;
  }
  if (stride % dilation === 0 && stride / dilation <= kernelRows) {
    return ((outRows - 1) * stride) / dilation + kernelRows;
  }
  return countDistinctRows(outRows, kernelRows, stride, dilation);
}

let scratch = new Uint8Array(1024);
function countDistinctRows(outRows: number, kernelRows: number, stride: number, dilation: number): number {
  const extent = (outRows - 1) * stride + (kernelRows - 1) * dilation + 1;
  if (scratch.length < extent) scratch = new Uint8Array(extent * 2);
  scratch.fill(0, 0, extent);
  let n = 0;
  for (let p = 0; p < outRows; p++) {
    for (let r = 0; r < kernelRows; r++) {
      const i = p * stride + r * dilation;
      if (scratch[i] === 0) {
        scratch[i] = 1;
        n++;
      }
    }
  }
  return n;
}

import { C, DIMS, G, K, N, P, Q, R, S, PROJECTION_CODE, type Projection } from './dims.js';
import type { EpilogueKind } from './epilogue.js';
import { nestInfo, parseAxes, type NestInfo, type OperandAxis } from './einsum.js';

/** The phases TRIM's own phase models emit; phases are open: a plug-in may add its own (`prefill`, `decode`, …). */
export const PHASES = ['forward', 'backward-data', 'backward-weight', 'update'] as const;
export type Phase = string;

/** Tensor roles TRIM's own phase models use in results (DESIGN.md); roles are open strings (`kv-cache`, …). */
export const TENSOR_ROLES = ['weights', 'inputs', 'outputs', 'grad-outputs', 'grad-inputs', 'grad-weights', 'optimizer-state'] as const;
export type TensorName = string;

/** A phase or tensor role: lower-case words joined by hyphens (they name JSON keys and table columns). */
export function isRoleName(s: string): boolean {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s);
}

/**
 * One operand of a MAC loop nest. Slot 0 is the "weights side" (held in a template's filter buffer), slot 1 the
 * "inputs side" (ifmap buffer) and slot 2 the written result (ofmap buffer); the projection says how loop indices
 * address it, which need not match the slot (backward-weight writes a filter-shaped gradient).
 */
export interface Operand {
  readonly tensor: TensorName;
  /** The classic conv nest's projection (ops built by `macOp`); an einsum operand has `axes` instead. */
  readonly projection?: Projection;
  /** The operand's axes as affine projections of the op's dims (einsum ops; conv ops derive them). */
  readonly axes?: readonly OperandAxis[];
  readonly bytes: number;
  /** Fraction of non-zero elements (1 = dense). Only templates that model compression or zero-gating read it. */
  readonly density: number;
}

/**
 * A MAC layer lowered to one loop nest: a binary einsum `out += a · b` over named loop dims, each operand an affine
 * projection of them (`einsumOp`). The classic conv nest (`macOp`) is the einsum over N, G, K, C, P, Q, R, S:
 *   out[n][g][k][p][q] += w[g][k][c][r][s] · in[n][g][c][p·strideH + r·dilationH][q·strideW + s·dilationW]
 * The input is taken as already padded. GEMM convention for conv-style ops: an M×Kr by Kr×Ncols product is P = M,
 * C = Kr, K = Ncols and N = G = Q = R = S = 1 (batched products put the batch in G).
 */
export interface MacOp {
  readonly kind: 'mac';
  readonly name: string;
  readonly layer: string;
  readonly layerKind: string;
  readonly phase: Phase;
  /** The loop dims by name (conv ops: `DIMS`). */
  readonly dims: readonly string[];
  /** Loop bounds indexed like `dims`. */
  readonly bounds: readonly number[];
  /** What the engine reads of the projections (masks, plain dims, windows), derived once. */
  readonly nest: NestInfo;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly operands: readonly [Operand, Operand, Operand];
  /** Projection of each operand slot as a code (`PROJECTION_CODE`: 0 filter, 1 window, 2 output; 3 an einsum axis list). */
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
  /**
   * What the op is when applied on its producer's output path (`EpilogueKind`); absent: it cannot be fused as an
   * epilogue (a row reduction such as softmax or layer norm, a batch-statistics BatchNorm in training, a copy).
   */
  readonly epilogue?: EpilogueKind;
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

/** The conv nest's operand axes for a projection, with the op's strides and clipped edges. */
function convAxes(projection: Projection, strideH: number, strideW: number, dilationH: number, dilationW: number, inputRows: number, inputCols: number): OperandAxis[] {
  const plain = (d: number): OperandAxis => ({ terms: [{ dim: d, coeff: 1 }], valid: 0 });
  switch (projection) {
    case 'filter':
      return [plain(G), plain(K), plain(C), plain(R), plain(S)];
    case 'output':
      return [plain(N), plain(G), plain(K), plain(P), plain(Q)];
    case 'window':
      return [
        plain(N),
        plain(G),
        plain(C),
        { terms: [{ dim: P, coeff: strideH }, { dim: R, coeff: dilationH }], valid: inputRows },
        { terms: [{ dim: Q, coeff: strideW }, { dim: S, coeff: dilationW }], valid: inputCols },
      ];
  }
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
  const proj = ops.map((o) => {
    if (o.projection === undefined) throw new RangeError(`op ${init.name}: a conv-style operand needs a projection (use einsumOp for axes)`);
    return o.projection;
  });
  const axes = proj.map((p) => convAxes(p, strideH, strideW, dilationH, dilationW, inputRows, inputCols));
  return {
    kind: 'mac',
    name: init.name,
    layer: init.layer,
    layerKind: init.layerKind,
    phase: init.phase,
    dims: DIMS,
    bounds,
    nest: nestInfo(8, [axes[0], axes[1], axes[2]], true, `op ${init.name}`),
    strideH,
    strideW,
    dilationH,
    dilationW,
    operands: ops,
    projections: [PROJECTION_CODE[proj[0]], PROJECTION_CODE[proj[1]], PROJECTION_CODE[proj[2]]],
    inputRows,
    inputCols,
    macs,
    key,
  };
}

/** An einsum operand: a tensor role, its axes (text such as `b h s d` or `c p*2+r`, or parsed axes), bytes, density. */
export interface EinsumOperandInit {
  readonly tensor: TensorName;
  readonly axes: string | readonly OperandAxis[];
  readonly bytes: number;
  readonly density?: number;
}

export interface EinsumOpInit {
  name: string;
  layer: string;
  layerKind: string;
  phase: Phase;
  /** Loop dims in loop-nest order, with their bounds: `[['b', 8], ['s', 128], …]` or `{ b: 8, s: 128 }`. */
  dims: ReadonlyArray<readonly [string, number]> | Readonly<Record<string, number>>;
  /** Two inputs (slot 0 the weights side, slot 1 the inputs side) and the output. */
  operands: readonly [EinsumOperandInit, EinsumOperandInit, EinsumOperandInit];
}

const axisText = (a: OperandAxis, dims: readonly string[]) =>
  a.terms.map((t) => (t.coeff === 1 ? dims[t.dim] : `${dims[t.dim]}*${t.coeff}`)).join('+') + (a.valid > 0 ? `<${a.valid}` : '');

/**
 * A MAC op as a binary einsum over named dims of any number (up to 30), each operand any rank: matrix products
 * with batch and head dims, attention scores, grouped convolutions of any dimensionality. The engine reasons per
 * operand from these projections (which dims index it, its windows).
 */
export function einsumOp(init: EinsumOpInit): MacOp {
  const entries = Array.isArray(init.dims) ? (init.dims as ReadonlyArray<readonly [string, number]>) : Object.entries(init.dims as Record<string, number>);
  const dims = entries.map(([d]) => d);
  const bounds = entries.map(([, b]) => b);
  if (new Set(dims).size !== dims.length) throw new RangeError(`op ${init.name}: loop dims repeat (${dims.join(', ')})`);
  bounds.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 1) throw new RangeError(`op ${init.name}: bound ${dims[i]} = ${b} is not a positive integer`);
  });
  const where = `op ${init.name}`;
  const axes = init.operands.map((o) => (typeof o.axes === 'string' ? parseAxes(o.axes, dims, where) : o.axes)) as [OperandAxis[], OperandAxis[], OperandAxis[]];
  const operands = init.operands.map((o, t) => ({ tensor: o.tensor, axes: axes[t], bytes: o.bytes, density: o.density ?? 1 })) as unknown as [Operand, Operand, Operand];
  const key = [
    dims.map((d, i) => `${d}=${bounds[i]}`).join(','),
    operands.map((o, t) => `${axes[t].map((a) => axisText(a, dims)).join(' ')}:${o.bytes}:${o.density}`).join('|'),
  ].join('/');
  const nest = nestInfo(dims.length, axes, false, where);
  const gemm = gemmEquivalent(init, nest, bounds, operands);
  return {
    kind: 'mac',
    name: init.name,
    layer: init.layer,
    layerKind: init.layerKind,
    phase: init.phase,
    dims,
    bounds,
    nest,
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    operands,
    projections: [3, 3, 3],
    inputRows: 0,
    inputCols: 0,
    macs: bounds.reduce((a, v) => a * v, 1),
    key: `einsum:${key}`,
    ...(gemm ? { equivalents: [gemm] } : {}),
  };
}

/**
 * The same product as a conv-nest GEMM (templates whose cost model prices only the conv nest map this form): when
 * every axis is plain and every dim indexes the operands as batch (all three), output feature (weights side and
 * output), row (inputs side and output) or reduction (both inputs) does, G, K, P and C are the products of those
 * dims: the same MACs and the same operand sizes.
 */
function gemmEquivalent(init: EinsumOpInit, nest: NestInfo, bounds: readonly number[], ops: readonly [Operand, Operand, Operand]): MacOp | undefined {
  for (let t = 0; t < 3; t++) if (nest.winP[t].length > 0) return undefined;
  const [w, i, o] = nest.mask;
  const g = { G: 1, K: 1, P: 1, C: 1 };
  for (let d = 0; d < bounds.length; d++) {
    const bit = 1 << d;
    const pattern = ((w & bit) !== 0 ? 4 : 0) + ((i & bit) !== 0 ? 2 : 0) + ((o & bit) !== 0 ? 1 : 0);
    if (pattern === 7) g.G *= bounds[d];
    else if (pattern === 5) g.K *= bounds[d];
    else if (pattern === 3) g.P *= bounds[d];
    else if (pattern === 6) g.C *= bounds[d];
    else return undefined;
  }
  const proj = ['filter', 'window', 'output'] as const;
  return macOp({
    name: init.name,
    layer: init.layer,
    layerKind: init.layerKind,
    phase: init.phase,
    bounds: g,
    operands: ops.map((op, t) => ({ tensor: op.tensor, projection: proj[t], bytes: op.bytes, density: op.density })) as unknown as [Operand, Operand, Operand],
  });
}

/** The einsum init of an op built by `einsumOp` (for rebuilding it with some fields changed). */
function einsumOpInit(op: MacOp, operands: readonly [Operand, Operand, Operand] = op.operands): EinsumOpInit {
  return {
    name: op.name,
    layer: op.layer,
    layerKind: op.layerKind,
    phase: op.phase,
    dims: op.dims.map((d, i) => [d, op.bounds[i]] as const),
    operands: operands.map((o, t) => ({ tensor: o.tensor, axes: op.operands[t].axes ?? [], bytes: o.bytes, density: o.density })) as unknown as EinsumOpInit['operands'],
  };
}

/** The same op with other bounds (einsum or conv-style), for splitting into identical chunks. */
export function withBounds(op: MacOp, bounds: readonly number[]): MacOp {
  if (!op.nest.conv) return einsumOp({ ...einsumOpInit(op), dims: op.dims.map((d, i) => [d, bounds[i]] as const) });
  const named = Object.fromEntries(DIMS.map((d, i) => [d, bounds[i]]));
  return macOp({ ...macOpInit(op), bounds: named });
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
  const rebuild = (f: MacOp, o: readonly [Operand, Operand, Operand]): MacOp => (f.nest.conv ? macOp({ ...macOpInit(f), operands: o }) : einsumOp(einsumOpInit(f, o)));
  const retype = (f: MacOp): MacOp => {
    const o = f.operands.map((x) => {
      const n = byTensor.get(x.tensor);
      return n ? { ...x, bytes: n.bytes, density: n.density } : x;
    });
    return rebuild(f, [o[0], o[1], o[2]]);
  };
  const rebuilt = rebuild(op, operands);
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
  const n = op.nest;
  let size = 1;
  const plain = n.plain[slot];
  for (let i = 0; i < plain.length; i++) size *= b[plain[i]];
  const wp = n.winP[slot];
  for (let i = 0; i < wp.length; i++) size *= clippedWindowRows(b[wp[i]], b[n.winR[slot][i]], n.winSP[slot][i], n.winSR[slot][i], n.winValid[slot][i]);
  return size;
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

import type { OnnxNode } from './model.js';
import { broadcastShape, sameSizes, type Act, type OnnxContext, type Value } from './context.js';
import { BINARY_OPS, UNARY_OPS } from './ops.js';
import { sizesOf } from './view.js';

/** Element-wise operators: one vector layer over the activation, or folded when every input is a constant. */

/** Operators on constants only: the result is a constant of the broadcast shape (no layer: it folds at export). */
function folded(cx: OnnxContext, node: OnnxNode, i: number, inputs: readonly Value[]): boolean {
  if (!inputs.every((v) => v.kind === 'const')) return false;
  const shape = broadcastShape(...inputs.map((v) => cx.sizes(v)));
  if (!shape) cx.fail(node, i, `constants ${inputs.map((v) => cx.sizes(v).join('×')).join(', ')} do not broadcast`);
  cx.set(node, { kind: 'const', dims: shape, values: undefined });
  return true;
}

export function unary(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.value(node, i, 0);
  if (folded(cx, node, i, [x]) || x.kind !== 'act') return;
  cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [x.tensor], UNARY_OPS[node.opType]), x.dims);
}

/** ReduceMean, Sqrt, Reciprocal outside a norm pattern: constants only (the refusal pass lists the other uses). */
export function constantOnly(cx: OnnxContext, node: OnnxNode, i: number): void {
  const inputs = node.inputs.filter((n) => n !== '').map((_, k) => cx.value(node, i, k));
  if (!folded(cx, node, i, inputs.slice(0, 1))) cx.fail(node, i, 'is supported on constants and inside a LayerNorm/RMSNorm pattern only');
  if (node.opType === 'ReduceMean') {
    const sizes = cx.sizes(inputs[0]);
    const axes = (cx.intsInput(node, i, 1) ?? cx.ints(node, 'axes', [...sizes.keys()])).map((a) => cx.axis(node, i, a, sizes.length));
    const keep = cx.num(node, 'keepdims', 1) === 1;
    const dims = sizes.flatMap((d, k) => (axes.includes(k) ? (keep ? [1] : []) : [d]));
    cx.set(node, { kind: 'const', dims, values: undefined });
  }
}

/**
 * Comparisons, logic, Trilu, ConstantOfShape and Range on constants (the refusal pass admits them on constants only):
 * a constant of the broadcast shape; ConstantOfShape and Range need their inputs' values for the output's shape.
 */
export function constantFold(cx: OnnxContext, node: OnnxNode, i: number): void {
  if (node.opType === 'ConstantOfShape') {
    const dims = cx.constant(node, i, 0, true).values ?? [];
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) cx.fail(node, i, `shape [${dims.join(', ')}] must be non-negative integers`);
    return cx.set(node, { kind: 'const', dims, values: undefined });
  }
  if (node.opType === 'Range') {
    const [start, limit, delta] = [0, 1, 2].map((k) => cx.constant(node, i, k, true).values?.[0] ?? Number.NaN);
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    if (!Number.isSafeInteger(n)) cx.fail(node, i, `range ${start}:${limit}:${delta} has no whole length`);
    return cx.set(node, { kind: 'const', dims: [n], values: n <= 64 ? [...Array(n).keys()].map((k) => start + k * delta) : undefined });
  }
  const inputs = node.inputs.filter((t) => t !== '').map((_, k) => cx.value(node, i, k));
  if (node.opType === 'Trilu') inputs.splice(1);
  if (!folded(cx, node, i, inputs)) cx.fail(node, i, 'is supported on constants only');
}

/** Pow of an activation by a constant exponent (x², x³ of a tanh-GELU): one multiply layer per element. */
export function pow(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.value(node, i, 0);
  const e = cx.value(node, i, 1);
  if (folded(cx, node, i, [x, e])) return;
  if (x.kind !== 'act' || e.kind !== 'const') return cx.fail(node, i, 'only an activation raised to a constant exponent is supported');
  cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [x.tensor], 'mul'), x.dims);
}

/**
 * Two activations: an element-wise layer (same shapes, or broadcast: costed over the larger). An activation and a
 * constant: a bias or scale folded into the MAC layer that produced the activation, else a one-input element-wise
 * layer. Two constants: folded.
 */
export function binary(cx: OnnxContext, node: OnnxNode, i: number): void {
  const a = cx.value(node, i, 0);
  const c = cx.value(node, i, 1);
  const op = BINARY_OPS[node.opType];
  if (folded(cx, node, i, [a, c])) return;
  if (a.kind === 'act' && c.kind === 'act') {
    const sa = sizesOf(a.dims);
    const sc = sizesOf(c.dims);
    if (sameSizes(sa, sc)) {
      const layout = a.tensor !== c.tensor && sameSizes(cx.b.shapeOf(a.tensor), cx.b.shapeOf(c.tensor)) && a.dims.every((d, k) => d.axis === c.dims[k].axis && d.place === c.dims[k].place);
      if (layout) return cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [a.tensor, c.tensor], op), a.dims);
      return cx.setPlain(node, cx.b.eltwise(cx.layerName(node, i), [cx.plain(a), cx.plain(c)], op));
    }
    // Broadcasting (a squeeze-excitation scale [N, C, 1, 1] onto [N, C, H, W]): costed over the larger operand.
    const big = sa.reduce((p, s) => p * s, 1) >= sc.reduce((p, s) => p * s, 1) ? a : c;
    const out = broadcastShape(sa, sc);
    if (!out || !sameSizes(out, sizesOf(big.dims))) cx.fail(node, i, `operands ${sa.join('×')} and ${sc.join('×')} differ in layout or do not broadcast`);
    return cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [big.tensor], op), big.dims);
  }
  const x = (a.kind === 'act' ? a : c) as Act;
  const k = a.kind === 'const' ? a : c;
  const xs = sizesOf(x.dims);
  const out = broadcastShape(cx.sizes(k), xs);
  if (!out || !sameSizes(out, xs)) cx.fail(node, i, `constant ${cx.sizes(k).join('×')} does not broadcast onto ${xs.join('×')}`);
  // A scalar or a per-feature vector (a bias, the 1/√d scale) right after a MAC layer is folded into it; a larger
  // constant (a mask, rotary cos/sin tables) is an element-wise layer of its own.
  const perFeature = cx.sizes(k).reduce((p, d) => p * d, 1) <= (xs[xs.length - 1] ?? 1);
  if (perFeature && cx.macOutputs.has(x.tensor)) return cx.setAct(node, x.tensor, x.dims);
  cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [x.tensor], op), x.dims);
}

/**
 * Where(condition, x, y): with a constant mask (the causal mask of a decoder) a select per element over the
 * activation, costed as one element-wise operation (like the additive mask it replaces), never a MAC.
 */
export function where(cx: OnnxContext, node: OnnxNode, i: number): void {
  const inputs = [0, 1, 2].map((k) => cx.value(node, i, k));
  if (folded(cx, node, i, inputs)) return;
  const out = broadcastShape(...inputs.map((v) => cx.sizes(v)));
  if (!out) return cx.fail(node, i, `operands ${inputs.map((v) => cx.sizes(v).join('×')).join(', ')} do not broadcast`);
  const acts = inputs.filter((v): v is Act => v.kind === 'act');
  if (!acts.every((v) => sameSizes(sizesOf(v.dims), out))) cx.fail(node, i, `an activation operand is broadcast to ${out.join('×')}; only constants may broadcast here`);
  if (acts.length === 1) return cx.setAct(node, cx.b.eltwise(cx.layerName(node, i), [acts[0].tensor], 'add'), acts[0].dims);
  cx.setPlain(node, cx.b.eltwise(cx.layerName(node, i), acts.map((v) => cx.plain(v)), 'add'));
}

/** LayerNormalization over the last axis; a scale input makes γ (and the bias β) parameters. */
export function layerNorm(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.act(node, i, 0);
  const rank = x.dims.length;
  const axis = cx.axis(node, i, cx.num(node, 'axis', -1), rank);
  if (axis !== rank - 1) cx.fail(node, i, `normalises from axis ${axis} of a rank-${rank} tensor; only the last axis is supported`);
  const affine = cx.optional(node, i, 1)?.kind === 'const';
  cx.setPlain(node, cx.b.norm(cx.layerName(node, i), cx.plain(x), 'layer', { affine }));
}

export function softmax(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.act(node, i, 0);
  cx.setAct(node, cx.b.softmax(cx.layerName(node, i), x.tensor), x.dims);
}

import { matmul as matmulEinsum } from '../network/build.js';
import type { OnnxNode } from './model.js';
import { broadcastShape, type Act, type Const, type OnnxContext } from './context.js';
import { AXIS_C, sizesOf, type Dim } from './view.js';

export function gemm(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.act(node, i, 0);
  const w = cx.value(node, i, 1);
  if (w.kind !== 'const' || w.dims.length !== 2) cx.fail(node, i, 'B must be a 2-D weight initializer (use MatMul for activation × activation)');
  if (cx.num(node, 'transA', 0) !== 0) cx.fail(node, i, 'transA = 1 is not supported');
  if (x.dims.length !== 2) cx.fail(node, i, `A must be a matrix (got ${cx.sizes(x).join('×')})`);
  weightProduct(cx, node, i, x, w, cx.num(node, 'transB', 0) === 1);
}

/**
 * MatMul with NumPy semantics, any rank ≥ 2: activation × weight (a weight of any rank, its leading dims broadcast)
 * or activation × activation (attention's Q·Kᵀ and A·V, per head, grouped-query K/V broadcast over the query heads):
 * an einsum over the broadcast batch dims, the rows, the columns and the reduced dim.
 */
export function matmul(cx: OnnxContext, node: OnnxNode, i: number): void {
  const a = cx.value(node, i, 0);
  const b = cx.value(node, i, 1);
  if (a.kind !== 'act') cx.fail(node, i, 'a constant left operand is not supported (write x · W)');
  if (b.kind === 'const') return weightProduct(cx, node, i, a, b, false);
  const sa = cx.sizes(a);
  const sb = cx.sizes(b);
  if (sa.length < 2 || sb.length < 2) cx.fail(node, i, `${sa.join('×')} · ${sb.join('×')}: operands of rank 1 are not supported (unsqueeze them to matrices)`);
  if (sa[sa.length - 1] !== sb[sb.length - 2]) cx.fail(node, i, `${sa.join('×')} · ${sb.join('×')}: inner sizes differ (${sa[sa.length - 1]} and ${sb[sb.length - 2]})`);
  if (!broadcastShape(sa.slice(0, -2), sb.slice(0, -2))) cx.fail(node, i, `${sa.join('×')} · ${sb.join('×')}: batch dimensions do not broadcast`);
  const name = cx.layerName(node, i);
  const out = matmulEinsum(cx.b, name, cx.plain(a), cx.plain(b), false);
  cx.macOutputs.add(name);
  cx.macOutputs.add(out);
  cx.setPlain(node, out);
}

/** x · W over x's last dimension (`transB`: W is stored [n, k], Gemm's layout). */
function weightProduct(cx: OnnxContext, node: OnnxNode, i: number, x: Act, w: Const, transB: boolean): void {
  const sx = sizesOf(x.dims);
  const sw = w.dims;
  if (sx.length < 1 || sw.length < 2) cx.fail(node, i, `${sx.join('×')} · weight ${sw.join('×')}: the weight must have rank ≥ 2`);
  const k = sx[sx.length - 1];
  const [kw, n] = transB ? [sw[sw.length - 1], sw[sw.length - 2]] : [sw[sw.length - 2], sw[sw.length - 1]];
  if (k !== kw) cx.fail(node, i, `inner sizes differ: ${sx.join('×')} · weight ${sw.join('×')}${transB ? 'ᵀ' : ''}`);
  if (sw.length === 2 && classicLinear(cx, node, i, x, k, n)) return;
  // Broadcast batch dims: x [..., m, k] (m absent for a vector), W [..., k, n]. Dims of extent 1 stay (bound 1),
  // so the output has exactly the ONNX shape.
  const xBatch = sx.slice(0, Math.max(0, sx.length - 2));
  const wBatch = sw.slice(0, -2);
  const lead = Math.max(xBatch.length, wBatch.length);
  const dims: Array<[string, number]> = [];
  const axX: string[] = [];
  const axW: string[] = [];
  for (let j = 0; j < lead; j++) {
    const jx = xBatch.length - lead + j;
    const jw = wBatch.length - lead + j;
    const ex = xBatch[jx] ?? 1;
    const ew = wBatch[jw] ?? 1;
    if (ex !== ew && ex !== 1 && ew !== 1) cx.fail(node, i, `batch dims ${ex} and ${ew} do not broadcast (${sx.join('×')} · weight ${sw.join('×')})`);
    const e = Math.max(ex, ew);
    dims.push([`x${j}`, e]);
    // An operand indexes the dim when it has it at full extent (or, at extent 1, when it has it at all).
    if (jx >= 0 && (ex === e || e === 1)) axX.push(`x${j}`);
    if (jw >= 0 && ew === e && e > 1) axW.push(`x${j}`);
  }
  const rows = sx.length >= 2 ? ['m'] : [];
  if (sx.length >= 2) dims.push(['m', sx[sx.length - 2]]);
  dims.push(['n', n], ['k', k]);
  const name = cx.layerName(node, i);
  const tiedTo = cx.tie(w, name);
  const out = cx.b.einsum(name, [cx.plain(x)], {
    dims,
    axes: [[...axX, ...rows, 'k'].join(' ')],
    weightAxes: [...axW, transB ? 'n k' : 'k n'].join(' '),
    out: [...dims.filter(([d]) => d !== 'k').map(([d]) => d)].join(' '),
    ...(tiedTo !== undefined ? { tiedTo } : {}),
  });
  cx.macOutputs.add(out);
  cx.setPlain(node, out);
}

/**
 * x · W where x is a rank-4 TRIM tensor whose ONNX last dimension is its channel axis (a classifier after a
 * flatten, [N, C·H·W, 1, 1]): a TRIM `linear` layer, as CNN imports always had.
 */
function classicLinear(cx: OnnxContext, node: OnnxNode, i: number, x: Act, inFeatures: number, outFeatures: number): boolean {
  const shape = cx.b.shapeOf(x.tensor);
  const last = x.dims[x.dims.length - 1];
  if (shape.length !== 4 || last === undefined || x.dims.length !== 2) return false;
  if (!(last.size === inFeatures && shape[1] === inFeatures && (last.axis === AXIS_C || inFeatures === 1) && last.place === 1)) return false;
  const out = cx.b.linear(cx.layerName(node, i), x.tensor, outFeatures);
  cx.macOutputs.add(out);
  const dims: Dim[] = [...x.dims.slice(0, -1), outFeatures === 1 ? { size: 1, axis: -1, place: 1 } : { size: outFeatures, axis: AXIS_C, place: 1 }];
  cx.setAct(node, out, dims);
  return true;
}

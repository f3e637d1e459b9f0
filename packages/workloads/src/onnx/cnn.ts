import type { OnnxNode } from './model.js';
import type { Act, OnnxContext } from './context.js';
import { conv3d, convNd } from '../network/conv.js';
import { imageDims, isImage } from './view.js';

/** An [N, C, H, W] operand: the tensor itself, or a view of it in that shape (an NHWC → NCHW transpose moves nothing). */
function image(cx: OnnxContext, node: OnnxNode, i: number, x: Act): { tensor: string; shape: [number, number, number, number] } {
  const shape = cx.b.shapeOf(x.tensor);
  if (shape.length === 4 && isImage(x.dims, cx.b.shape4Of(x.tensor))) return { tensor: x.tensor, shape: [shape[0], shape[1], shape[2], shape[3]] };
  if (x.dims.length !== 4) cx.fail(node, i, `expects an [N, C, H, W] image, got a rank-${x.dims.length} tensor (${cx.sizes(x).join('×')})`);
  const t = cx.plain(x);
  const s = cx.b.shape4Of(t);
  return { tensor: t, shape: [s[0], s[1], s[2], s[3]] };
}

/** [top, left, bottom, right] from `pads` or `auto_pad`. */
function pads(cx: OnnxContext, node: OnnxNode, hw: readonly number[], kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): [number, number, number, number] {
  const auto = cx.str(node, 'auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = hw.map((n, a) => Math.max(0, (Math.ceil(n / stride[a]) - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - n));
    const small = total.map((t) => Math.floor(t / 2));
    const big = total.map((t, a) => t - small[a]);
    return auto === 'SAME_UPPER' ? [small[0], small[1], big[0], big[1]] : [big[0], big[1], small[0], small[1]];
  }
  if (auto === 'VALID') return [0, 0, 0, 0];
  const p = cx.ints(node, 'pads', [0, 0, 0, 0]);
  return [p[0], p[1], p[2], p[3]];
}

/**
 * A 1-D (`[N, C, L]`) or 3-D (`[N, C, D, H, W]`) Conv: the network format's conv1d (core's conv2d over a `[N, C, 1, L]`
 * view) and conv3d (an einsum read through a padded window). Their padding is symmetric, as PyTorch exports it.
 */
function convOtherRank(cx: OnnxContext, node: OnnxNode, i: number, w: { dims: readonly number[] }): void {
  const rank = w.dims.length - 2;
  const t = cx.plain(cx.act(node, i, 0));
  const s = cx.b.shapeOf(t);
  if (s.length !== rank + 2) cx.fail(node, i, `a ${rank}-D convolution reads a rank-${rank + 2} input, got [${s.join(', ')}]`);
  const groups = cx.num(node, 'group', 1);
  if (w.dims[1] * groups !== s[1]) cx.fail(node, i, `weight ${w.dims.join('×')} with group ${groups} does not match ${s[1]} input channels`);
  const ones = Array.from({ length: rank }, () => 1);
  const kernel = cx.ints(node, 'kernel_shape', w.dims.slice(2));
  const stride = cx.ints(node, 'strides', ones);
  const dilation = cx.ints(node, 'dilations', ones);
  const auto = cx.str(node, 'auto_pad', 'NOTSET');
  const p = auto === 'VALID' ? Array.from({ length: 2 * rank }, () => 0) : cx.ints(node, 'pads', Array.from({ length: 2 * rank }, () => 0));
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') cx.fail(node, i, `auto_pad ${auto} on a ${rank}-D convolution is not read`, 'export with explicit pads');
  const padding = p.slice(0, rank);
  if (p.length !== 2 * rank || padding.some((b, a) => b !== p[rank + a])) {
    cx.fail(node, i, `pads [${p.join(', ')}]: a ${rank}-D convolution takes symmetric padding`, 'export with symmetric padding');
  }
  const fields = { out: w.dims[0], kernel: [...kernel], stride: [...stride], padding, dilation: [...dilation], groups };
  const name = cx.layerName(node, i);
  const out = rank === 1 ? convNd(cx.b, name, t, 1, fields) : conv3d(cx.b, name, t, fields);
  cx.macOutputs.add(out);
  cx.setPlain(node, out);
}

export function conv(cx: OnnxContext, node: OnnxNode, i: number): void {
  const w = cx.constant(node, i, 1);
  if (w.dims.length === 3 || w.dims.length === 5) return convOtherRank(cx, node, i, w);
  const x = image(cx, node, i, cx.act(node, i, 0));
  if (w.dims.length !== 4) cx.fail(node, i, `only 1-, 2- and 3-D convolutions are supported (weight rank ${w.dims.length})`);
  const [, c, h, wd] = x.shape;
  const groups = cx.num(node, 'group', 1);
  if (w.dims[1] * groups !== c) cx.fail(node, i, `weight ${w.dims.join('×')} with group ${groups} does not match ${c} input channels`);
  const kernel = cx.ints(node, 'kernel_shape', w.dims.slice(2));
  const stride = cx.ints(node, 'strides', [1, 1]);
  const dilation = cx.ints(node, 'dilations', [1, 1]);
  const out = cx.b.conv(cx.layerName(node, i), x.tensor, {
    outChannels: w.dims[0],
    kernel: [kernel[0], kernel[1]],
    stride: [stride[0], stride[1]],
    dilation: [dilation[0], dilation[1]],
    padding: pads(cx, node, [h, wd], kernel, stride, dilation),
    groups,
  });
  cx.macOutputs.add(out);
  cx.setAct(node, out, imageDims(cx.b.shape4Of(out), 4));
}

export function pool(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = image(cx, node, i, cx.act(node, i, 0));
  const [, , h, w] = x.shape;
  const kernel = cx.ints(node, 'kernel_shape', []);
  if (kernel.length !== 2) cx.fail(node, i, 'needs a 2-D kernel_shape');
  const stride = cx.ints(node, 'strides', [1, 1]);
  const dilation = cx.ints(node, 'dilations', [1, 1]);
  if (dilation.some((d) => d !== 1)) cx.fail(node, i, 'dilated pooling is not supported');
  const out = cx.b.pool(cx.layerName(node, i), x.tensor, {
    mode: node.opType === 'MaxPool' ? 'max' : 'avg',
    kernel: [kernel[0], kernel[1]],
    stride: [stride[0], stride[1]],
    padding: pads(cx, node, [h, w], kernel, stride, dilation),
    ceil: cx.num(node, 'ceil_mode', 0) === 1,
  });
  cx.setAct(node, out, imageDims(cx.b.shape4Of(out), 4));
}

export function globalPool(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = image(cx, node, i, cx.act(node, i, 0));
  const out = cx.b.pool(cx.layerName(node, i), x.tensor, { mode: node.opType === 'GlobalMaxPool' ? 'max' : 'avg', global: true });
  cx.setAct(node, out, imageDims(cx.b.shape4Of(out), 4));
}

/** BatchNormalization over dimension 1 (the channels) of a tensor in its ONNX layout. */
export function batchNorm(cx: OnnxContext, node: OnnxNode, i: number): void {
  const x = cx.act(node, i, 0);
  if (x.dims.length < 2) cx.fail(node, i, 'dimension 1 must be the channels');
  cx.setPlain(node, cx.b.norm(cx.layerName(node, i), cx.plain(x), 'batch'));
}

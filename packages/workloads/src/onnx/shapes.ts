import type { AttrValue, ConstTensor, OnnxNode } from './model.js';
import type { Act, Const, OnnxContext, Value } from './context.js';
import { broadcastShape, sameSizes } from './context.js';
import { identityDims, imageDims, reshapeDims, transposeDims, volume } from './view.js';

/**
 * Shape operators: views of an activation (no data moved; a `view` layer where TRIM needs a tensor of the new shape)
 * or folded on constants (shape vectors, masks, weights: no layer). Only Concat and Expand copy data.
 */

export function constantNode(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v: AttrValue | undefined = node.attrs.get('value') ?? node.attrs.get('value_ints') ?? node.attrs.get('value_int') ?? node.attrs.get('value_floats') ?? node.attrs.get('value_float');
  let c: Const;
  if (typeof v === 'number') c = { kind: 'const', dims: [], values: [v] };
  else if (Array.isArray(v)) c = { kind: 'const', dims: [v.length], values: v as readonly number[] };
  else if (v !== undefined && typeof v === 'object') c = { kind: 'const', dims: (v as ConstTensor).dims, values: (v as ConstTensor).values };
  else return cx.fail(node, i, 'only numeric constants (value, value_int(s), value_float(s)) are supported');
  cx.set(node, c);
}

/** Identity, Dropout (inference: the identity), Cast (the element type is not modelled: see `precision`). */
export function alias(cx: OnnxContext, node: OnnxNode, i: number): void {
  cx.set(node, cx.value(node, i, 0));
}

export function transpose(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const rank = cx.sizes(v).length;
  const perm = cx.ints(node, 'perm', [...Array(rank).keys()].reverse());
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !(p >= 0 && p < rank))) cx.fail(node, i, `perm [${perm.join(', ')}] is not a permutation of rank ${rank}`);
  if (v.kind === 'const') cx.set(node, { ...v, dims: perm.map((p) => v.dims[p]), values: rank <= 1 ? v.values : undefined });
  else cx.setAct(node, v.tensor, transposeDims(v.dims, perm));
}

export function reshape(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const target = cx.constant(node, i, 1, true).values ?? [];
  const input = cx.sizes(v);
  const out = target.map((t, k) => (t === 0 && cx.num(node, 'allowzero', 0) === 0 ? input[k] : t));
  const known = volume(out.filter((t) => t !== -1));
  const total = volume(input);
  const inferred = out.map((t) => (t === -1 ? total / known : t));
  if (volume(inferred) !== total || inferred.some((t) => !Number.isInteger(t) || t < 1)) {
    cx.fail(node, i, `cannot reshape ${input.join('×')} to [${target.join(', ')}]${input[0] === cx.options.batch ? ' (a batch size fixed in the model? export it with a dynamic batch axis)' : ''}`);
  }
  reshapeTo(cx, node, i, v, inferred);
}

export function flatten(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const sizes = cx.sizes(v);
  const axis = cx.axis(node, i, cx.num(node, 'axis', 1), sizes.length + 1);
  reshapeTo(cx, node, i, v, [volume(sizes.slice(0, axis)), volume(sizes.slice(axis))]);
}

export function squeeze(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const sizes = cx.sizes(v);
  const axes = cx.intsInput(node, i, 1) ?? cx.ints(node, 'axes', []);
  let shape: number[];
  if (node.opType === 'Squeeze') {
    const drop = new Set(axes.map((a) => cx.axis(node, i, a, sizes.length)));
    shape = sizes.filter((s, k) => (drop.size === 0 ? s !== 1 : !drop.has(k)));
  } else {
    const rank = sizes.length + axes.length;
    const add = new Set(axes.map((a) => cx.axis(node, i, a, rank)));
    shape = [];
    let k = 0;
    for (let r = 0; r < rank; r++) shape.push(add.has(r) ? 1 : sizes[k++]);
  }
  reshapeTo(cx, node, i, v, shape);
}

/** The same elements in another shape: a view of the same TRIM tensor when it splits or merges factors, else a `view` layer. */
function reshapeTo(cx: OnnxContext, node: OnnxNode, i: number, v: Value, shape: readonly number[]): void {
  if (v.kind === 'const') return cx.set(node, { ...v, dims: shape });
  const view = reshapeDims(v.dims, shape);
  if (view) return cx.setAct(node, v.tensor, view);
  const irShape = cx.b.shapeOf(v.tensor);
  // NCHW → [N, C·H·W] is a TRIM flatten, as CNN imports always had.
  if (shape.length === 2 && irShape.length === 4 && shape[0] === irShape[0] && v.dims.length === 4 && (v.dims[0]?.axis === 0 || irShape[0] === 1) && sameSizes(cx.sizes(v), irShape)) {
    const out = cx.b.flatten(cx.layerName(node, i), v.tensor);
    return cx.setAct(node, out, imageDims(cx.b.shape4Of(out), 2));
  }
  const out = cx.b.view(cx.layerName(node, i), cx.plain(v), 'reshape', shape.length > 0 ? shape : [1]);
  cx.setAct(node, out, identityDims(shape));
}

/** Slice (opset ≥ 10: starts, ends, axes, steps as inputs; opset < 10: attributes). */
export function slice(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const sizes = cx.sizes(v);
  const starts = cx.intsInput(node, i, 1) ?? cx.ints(node, 'starts', []);
  const ends = cx.intsInput(node, i, 2) ?? cx.ints(node, 'ends', []);
  const axes = cx.intsInput(node, i, 3) ?? cx.ints(node, 'axes', [...starts.keys()]);
  const steps = cx.intsInput(node, i, 4) ?? starts.map(() => 1);
  if (starts.length !== ends.length || axes.length !== starts.length || steps.length !== starts.length) cx.fail(node, i, 'starts, ends, axes and steps differ in length');
  const out = [...sizes];
  const picks: Array<{ axis: number; start: number; step: number }> = [];
  axes.forEach((a, j) => {
    const axis = cx.axis(node, i, a, sizes.length);
    const dim = sizes[axis];
    const step = steps[j];
    if (!Number.isInteger(step) || step === 0) cx.fail(node, i, `step ${step} must be a non-zero integer`);
    const clamp = (p: number, lo: number, hi: number) => Math.min(Math.max(p < 0 ? p + dim : p, lo), hi);
    const start = step > 0 ? clamp(starts[j], 0, dim) : clamp(starts[j], 0, dim - 1);
    const end = step > 0 ? clamp(ends[j], 0, dim) : clamp(ends[j], -1, dim - 1);
    out[axis] = Math.max(0, Math.ceil((end - start) / step));
    picks.push({ axis, start, step });
  });
  if (!out.every((d) => Number.isSafeInteger(d) && d >= 1)) cx.fail(node, i, `slicing ${sizes.join('×')} with starts [${starts.join(', ')}], ends [${ends.join(', ')}] leaves an empty tensor`);
  if (v.kind === 'const') {
    const p = picks[0];
    const values = sizes.length === 1 && v.values !== undefined && p ? [...Array(out[0]).keys()].map((k) => v.values?.[p.start + k * p.step] ?? 0) : undefined;
    return cx.set(node, { ...v, dims: out, values: sizes.length === 1 ? values : undefined });
  }
  if (sameSizes(out, sizes)) return cx.set(node, v);
  cx.setPlain(node, cx.b.view(cx.layerName(node, i), cx.plain(v), 'slice', out));
}

/** Split into parts along `axis` (sizes from input 1, the `split` attribute, or equal parts): one view per part. */
export function split(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const sizes = cx.sizes(v);
  const axis = cx.axis(node, i, cx.num(node, 'axis', 0), sizes.length);
  const parts = node.outputs.length;
  const given = cx.intsInput(node, i, 1) ?? cx.ints(node, 'split', []);
  const each = given.length > 0 ? given : Array<number>(parts).fill(Math.ceil(sizes[axis] / parts)).map((s, k) => Math.min(s, sizes[axis] - k * s));
  if (each.length !== parts || each.some((s) => !Number.isInteger(s) || s < 1) || each.reduce((a, s) => a + s, 0) !== sizes[axis]) {
    cx.fail(node, i, `split [${each.join(', ')}] into ${parts} outputs does not cover dimension ${axis} of ${sizes.join('×')}`);
  }
  const base = cx.layerName(node, i);
  each.forEach((s, k) => {
    const shape = sizes.map((d, j) => (j === axis ? s : d));
    if (v.kind === 'const') return cx.set(node, { ...v, dims: shape, values: undefined }, k);
    cx.setPlain(node, cx.b.view(cx.unique(`${base}.${k}`), cx.plain(v), 'slice', shape), k);
  });
}

/** Concat along `axis`: a copy into one tensor (a KV-cache append included); of constants, a constant. */
export function concat(cx: OnnxContext, node: OnnxNode, i: number): void {
  if (node.inputs.length === 0) cx.fail(node, i, 'has no inputs');
  const parts = node.inputs.map((_, k) => cx.value(node, i, k));
  const rank = cx.sizes(parts[0]).length;
  const axis = cx.axis(node, i, cx.num(node, 'axis', 0), rank);
  if (parts.every((p) => p.kind === 'const')) {
    const dims = cx.sizes(parts[0]).map((d, j) => (j === axis ? parts.reduce((a, p) => a + cx.sizes(p)[j], 0) : d));
    const values = rank === 1 && parts.every((p) => p.kind === 'const' && p.values !== undefined) ? parts.flatMap((p) => (p.kind === 'const' ? (p.values ?? []) : [])) : undefined;
    return cx.set(node, { kind: 'const', dims, values });
  }
  if (parts.length === 1) return cx.set(node, parts[0]);
  const acts = parts.map((p) => (p.kind === 'act' ? p : parameterRows(cx, node, i, p)));
  // A graph input (past keys or values) extended by computed rows is a KV-cache append: the new rows are written in
  // place, the result is the `kv-cache` tensor the scheduler places (what `--phase decode` builds for the zoo).
  const first = acts[0];
  if (acts.length === 2 && cx.graph.inputs.some((g) => g.name === first.tensor)) return cx.setPlain(node, cx.b.append(cx.layerName(node, i), cx.plain(first), cx.plain(acts[1]), axis));
  cx.setPlain(node, cx.b.concat(cx.layerName(node, i), acts.map((a) => cx.plain(a)), axis));
}

/**
 * A learned constant joined to activations (ViT's class token, `Expand`ed over the batch): the rows of a parameter
 * table read by a lookup, as the zoo's ViT writes it (an `embedding` of a one-row table, its ids an input).
 */
function parameterRows(cx: OnnxContext, node: OnnxNode, i: number, c: Const): Act {
  const table = c.source === undefined ? undefined : cx.graph.initializers.get(c.source);
  const width = c.dims[c.dims.length - 1];
  if (c.source === undefined || table === undefined || c.dims.length < 2 || table.dims[table.dims.length - 1] !== width) {
    return cx.fail(node, i, 'concatenates a computed constant with activations; only activations and learned parameters (a class token) are supported');
  }
  const rows = volume(table.dims) / width;
  const name = cx.unique(c.source);
  const tied = cx.tie(c, name);
  if (tied !== undefined) cx.fail(node, i, `the parameter ${c.source} is already the weight of layer ${tied}; reading it again here is not supported`);
  const ids = cx.b.input(cx.unique(`${c.source}.ids`), c.dims.slice(0, -1));
  const t = cx.b.embedding(name, ids, rows, width);
  return { kind: 'act', tensor: t, dims: identityDims(cx.b.shapeOf(t)) };
}

/**
 * Gather: rows of a constant table by token ids (an embedding), or constant indices into an activation (a view of
 * the picked part), or constants only (folded).
 */
export function gather(cx: OnnxContext, node: OnnxNode, i: number): void {
  const data = cx.value(node, i, 0);
  const idx = cx.value(node, i, 1);
  const sizes = cx.sizes(data);
  const axis = cx.axis(node, i, cx.num(node, 'axis', 0), sizes.length);
  const idxSizes = cx.sizes(idx);
  const out = [...sizes.slice(0, axis), ...idxSizes, ...sizes.slice(axis + 1)];
  if (data.kind === 'const' && idx.kind === 'const') {
    const values = sizes.length === 1 && data.values !== undefined && idx.values !== undefined ? idx.values.map((k) => data.values?.[k < 0 ? k + sizes[0] : k] ?? 0) : undefined;
    return cx.set(node, { kind: 'const', dims: out, values });
  }
  if (data.kind === 'const') {
    if (sizes.length !== 2 || axis !== 0) cx.fail(node, i, `gathers from a constant ${sizes.join('×')} along axis ${axis}; only embedding lookups (rows of a [vocab, dim] table) are supported`);
    const name = cx.layerName(node, i);
    const tied = cx.tie(data, name);
    if (tied !== undefined) cx.fail(node, i, `the table ${data.source} is already the weight of layer ${tied}; a second lookup into it is not supported`);
    if (idx.kind !== 'act') return;
    return cx.setPlain(node, cx.b.embedding(name, cx.plain(idx), sizes[0], sizes[1]));
  }
  if (idx.kind === 'act') cx.fail(node, i, 'indexes an activation by another activation (a data-dependent gather); only constant indices or embedding tables are supported');
  const shape = out.length > 0 ? out : [1];
  if (volume(shape) > volume(sizes)) cx.fail(node, i, `picks ${volume(shape)} elements from ${volume(sizes)}; repeated indices are not supported`);
  if (sameSizes(out, sizes)) return cx.set(node, data);
  const t = cx.b.view(cx.layerName(node, i), cx.plain(data), 'slice', shape);
  cx.setAct(node, t, reshapeDims(identityDims(shape), out) ?? identityDims(shape));
}

/**
 * The most copies an Expand of an activation may make along one dimension: each copy is one input of a concat layer.
 * Grouped-query attention repeats K/V by the query heads per KV head (LLaMA 3 70B: 8), far below; a larger broadcast
 * of an activation is not something a transformer export writes.
 */
const MAX_EXPAND_COPIES = 1024;

/**
 * Expand (broadcast to a larger shape): an activation is copied (the exported graph materialises it: grouped-query
 * K/V repeated over the query heads), as a concat of the copies along each broadcast axis; a constant is folded.
 */
export function expand(cx: OnnxContext, node: OnnxNode, i: number): void {
  const v = cx.value(node, i, 0);
  const target = cx.constant(node, i, 1, true).values ?? [];
  const sizes = cx.sizes(v);
  const out = broadcastShape(sizes, target);
  if (!out?.every((d) => Number.isSafeInteger(d) && d >= 1)) cx.fail(node, i, `${sizes.join('×')} does not broadcast to [${target.join(', ')}]`);
  if (v.kind === 'const') return cx.set(node, { ...v, dims: out, values: undefined });
  if (sameSizes(out, sizes)) return cx.set(node, v);
  const padded = [...Array<number>(out.length - sizes.length).fill(1), ...sizes];
  let t = cx.plain(v);
  if (padded.length !== sizes.length) t = cx.b.view(cx.layerName(node, i, '.rank'), t, 'reshape', padded);
  const grow = out.map((d, j) => (padded[j] === 1 && d > 1 ? j : -1)).filter((j) => j >= 0);
  if (grow.some((j) => out[j] > MAX_EXPAND_COPIES)) cx.fail(node, i, `expands an activation ${sizes.join('×')} to [${out.join(', ')}]; at most ${MAX_EXPAND_COPIES} copies along one dimension are supported`);
  grow.forEach((j, n) => {
    t = cx.b.concat(cx.layerName(node, i, n === grow.length - 1 ? '' : `.${j}`), Array<string>(out[j]).fill(t), j);
  });
  cx.setPlain(node, t);
}

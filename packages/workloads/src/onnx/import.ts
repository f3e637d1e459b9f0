import { basename, extname } from 'node:path';
import { MAX_ONNX_BYTES, NetworkBuilder, readInputBytes, TrimUserError, type Network, type Precision, type Shape4 } from '@trim-dse/core';
import { decodeOnnx, type AttrValue, type ConstTensor, type OnnxGraph, type OnnxNode } from './model.js';
import { BINARY_OPS, isSupportedOp, REFUSAL_HINTS, SUPPORTED_OPS, UNARY_OPS } from './ops.js';
import { AXIS_C, AXIS_H, imageDims, isImage, reshapeDims, sequenceDims, sizesOf, transposeDims, volume, type Dim } from './view.js';

export interface OnnxOptions {
  /** Batch size used where the model's batch dimension is symbolic. */
  readonly batch: number;
  /** Tokens per sequence where a rank-3 input's token dimension is symbolic. */
  readonly seqLen?: number;
  /**
   * Precision of every tensor. The file's element types (float32 initializers, …) say how the model is stored, not
   * the accelerator's number format, so they are not read: the pipeline passes the user's `--precision`, else the
   * architecture's native word.
   */
  readonly precision: Precision;
  /** Network name (default: the graph name or the file name). */
  readonly name?: string;
}

interface Act {
  readonly kind: 'act';
  /** The TRIM tensor this ONNX tensor is a view of. */
  readonly tensor: string;
  readonly dims: readonly Dim[];
}
interface Const {
  readonly kind: 'const';
  readonly dims: readonly number[];
  readonly values: readonly number[] | undefined;
}
type Value = Act | Const;

/** ONNX (numpy) broadcasting of `small` onto `big` without enlarging it: right-aligned dims equal or 1. */
function broadcasts(small: readonly number[], big: readonly number[]): boolean {
  return small.length <= big.length && small.every((d, j) => d === 1 || d === big[big.length - small.length + j]);
}

/** The shape the matmul operand has as a (batched) matrix over a TRIM tensor [N, heads·feat, tokens, 1]. */
interface MatrixView {
  readonly heads: number;
  /** Last dim is the feature axis (rows are tokens); false when the last two dims are swapped (a Kᵀ). */
  readonly rowMajor: boolean;
  readonly batch: readonly Dim[];
  readonly rows: Dim;
}

class OnnxImporter {
  private readonly b: NetworkBuilder;
  private readonly values = new Map<string, Value>();
  private readonly macOutputs = new Set<string>();
  private readonly layerNames = new Set<string>();

  constructor(
    private readonly graph: OnnxGraph,
    private readonly options: OnnxOptions,
    name: string,
  ) {
    this.b = new NetworkBuilder(name, options.precision);
    for (const [k, t] of graph.initializers) this.values.set(k, { kind: 'const', dims: t.dims, values: t.values });
  }

  run(): Network {
    this.refuseUnsupported();
    const consumed = new Set(this.graph.nodes.flatMap((n) => n.inputs));
    for (const input of this.graph.inputs) if (consumed.has(input.name)) this.addInput(input.name, input.dims);
    this.graph.nodes.forEach((node, i) => this.node(node, i));
    return this.b.build();
  }

  private refuseUnsupported(): void {
    const bad = new Map<string, string[]>();
    this.graph.nodes.forEach((n, i) => {
      if (isSupportedOp(n.opType, n.domain)) return;
      const op = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      bad.set(op, [...(bad.get(op) ?? []), n.name || `#${i}`]);
    });
    if (bad.size === 0) return;
    const list = [...bad].map(([op, names]) => `${op} (${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')})`);
    const hints = [...bad.keys()].map((op) => REFUSAL_HINTS[op]).filter((h) => h !== undefined);
    throw new TrimUserError(`ONNX model ${this.b.name} uses unsupported operators: ${list.join('; ')}${hints.length ? `. ${hints.join('. ')}` : ''}`, {
      field: '--workload',
      fix: `export the model with the supported operators: ${SUPPORTED_OPS.join(', ')}`,
    });
  }

  private addInput(name: string, dims: readonly (number | string)[]): void {
    const sized = dims.map((d, i) => {
      if (typeof d === 'number') return d;
      if (i === 0) return this.options.batch;
      if (i === 1 && dims.length === 3 && this.options.seqLen !== undefined) return this.options.seqLen;
      throw new TrimUserError(`ONNX input "${name}" has a symbolic dimension ${i} ("${d}"); only the batch (dimension 0) may be symbolic`, {
        field: '--workload',
        fix: dims.length === 3 && i === 1 ? 'pass seqLen, or export with a fixed sequence length' : 'export the model with fixed input shapes',
      });
    });
    if (sized.length === 4) {
      const t = this.b.input(name, [sized[0], sized[1], sized[2], sized[3]]);
      this.values.set(name, { kind: 'act', tensor: t, dims: imageDims(this.b.shape4Of(t), 4) });
    } else if (sized.length === 3) {
      const t = this.b.input(name, [sized[0], sized[2], sized[1], 1]);
      this.values.set(name, { kind: 'act', tensor: t, dims: sequenceDims(this.b.shape4Of(t)) });
    } else if (sized.length === 2) {
      const t = this.b.input(name, [sized[0], sized[1], 1, 1]);
      this.values.set(name, { kind: 'act', tensor: t, dims: imageDims(this.b.shape4Of(t), 2) });
    } else {
      throw new TrimUserError(`ONNX input "${name}" has rank ${sized.length}; supported inputs are [N, C, H, W] images, [N, tokens, features] sequences and [N, features]`, { field: '--workload' });
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private where(node: OnnxNode, i: number): string {
    return `ONNX node ${node.name || `#${i}`} (${node.opType})`;
  }

  private layerName(node: OnnxNode, i: number): string {
    const base = node.name || `${node.opType}_${i}`;
    let name = base;
    for (let k = 2; this.layerNames.has(name); k++) name = `${base}#${k}`;
    this.layerNames.add(name);
    return name;
  }

  private value(node: OnnxNode, i: number, slot: number): Value {
    const name = node.inputs[slot];
    const v = name ? this.values.get(name) : undefined;
    if (!v) throw new TrimUserError(`${this.where(node, i)}: input ${slot} "${name ?? ''}" is not a graph input, an initializer or an earlier node's output`, { field: '--workload' });
    return v;
  }

  private act(node: OnnxNode, i: number, slot: number): Act {
    const v = this.value(node, i, slot);
    if (v.kind !== 'act') throw new TrimUserError(`${this.where(node, i)}: input ${slot} "${node.inputs[slot]}" is a constant; this operator needs an activation there`, { field: '--workload' });
    return v;
  }

  private constant(node: OnnxNode, i: number, slot: number, needValues = false): Const {
    const v = this.value(node, i, slot);
    if (v.kind !== 'const') throw new TrimUserError(`${this.where(node, i)}: input ${slot} "${node.inputs[slot]}" must be a constant (an initializer or a Constant node)`, { field: '--workload' });
    if (needValues && v.values === undefined) throw new TrimUserError(`${this.where(node, i)}: the values of constant "${node.inputs[slot]}" are not readable`, { field: '--workload' });
    return v;
  }

  private ints(node: OnnxNode, key: string, dflt: readonly number[]): readonly number[] {
    const a = node.attrs.get(key);
    return Array.isArray(a) ? (a as readonly number[]) : dflt;
  }

  private num(node: OnnxNode, key: string, dflt: number): number {
    const a = node.attrs.get(key);
    return typeof a === 'number' ? a : dflt;
  }

  private str(node: OnnxNode, key: string, dflt: string): string {
    const a = node.attrs.get(key);
    return typeof a === 'string' ? a : dflt;
  }

  private setAct(node: OnnxNode, tensor: string, dims: readonly Dim[]): void {
    const shape = this.b.shape4Of(tensor);
    if (volume(sizesOf(dims)) !== volume(shape)) throw new Error(`onnx import: view of ${tensor} has ${sizesOf(dims).join('×')} elements, tensor ${shape.join('×')}`);
    this.values.set(node.outputs[0], { kind: 'act', tensor, dims });
  }

  private image(node: OnnxNode, i: number, x: Act): Shape4 {
    const shape = this.b.shape4Of(x.tensor);
    if (!isImage(x.dims, shape)) {
      throw new TrimUserError(`${this.where(node, i)}: expects an [N, C, H, W] image, got a ${sizesOf(x.dims).join('×')} tensor in another layout`, { field: '--workload' });
    }
    return shape;
  }

  /** [top, left, bottom, right] from `pads` or `auto_pad`. */
  private pads(node: OnnxNode, hw: readonly number[], kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): [number, number, number, number] {
    const auto = this.str(node, 'auto_pad', 'NOTSET');
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      const total = hw.map((n, a) => Math.max(0, (Math.ceil(n / stride[a]) - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - n));
      const small = total.map((t) => Math.floor(t / 2));
      const big = total.map((t, a) => t - small[a]);
      return auto === 'SAME_UPPER' ? [small[0], small[1], big[0], big[1]] : [big[0], big[1], small[0], small[1]];
    }
    if (auto === 'VALID') return [0, 0, 0, 0];
    const p = this.ints(node, 'pads', [0, 0, 0, 0]);
    return [p[0], p[1], p[2], p[3]];
  }

  // ---- operators ----------------------------------------------------------------------------------------------

  private node(node: OnnxNode, i: number): void {
    const op = node.opType;
    if (op in UNARY_OPS) return this.unary(node, i);
    if (op in BINARY_OPS) return this.binary(node, i);
    switch (op) {
      case 'Conv':
        return this.conv(node, i);
      case 'Gemm':
        return this.gemm(node, i);
      case 'MatMul':
        return this.matmul(node, i);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(node, i);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const x = this.act(node, i, 0);
        this.image(node, i, x);
        const out = this.b.pool(this.layerName(node, i), x.tensor, { mode: op === 'GlobalMaxPool' ? 'max' : 'avg', global: true });
        return this.setAct(node, out, imageDims(this.b.shape4Of(out), 4));
      }
      case 'BatchNormalization': {
        const x = this.act(node, i, 0);
        if (x.dims.length < 2 || (x.dims[1].axis !== AXIS_C && x.dims[1].size !== 1)) {
          throw new TrimUserError(`${this.where(node, i)}: dimension 1 must be the channels`, { field: '--workload' });
        }
        return this.setAct(node, this.b.norm(this.layerName(node, i), x.tensor, 'batch'), x.dims);
      }
      case 'LayerNormalization': {
        const x = this.act(node, i, 0);
        return this.setAct(node, this.b.norm(this.layerName(node, i), x.tensor, 'layer'), x.dims);
      }
      case 'Softmax': {
        const x = this.act(node, i, 0);
        return this.setAct(node, this.b.softmax(this.layerName(node, i), x.tensor), x.dims);
      }
      case 'Identity':
      case 'Dropout':
        this.values.set(node.outputs[0], this.value(node, i, 0));
        return;
      case 'Constant':
        return this.constantNode(node, i);
      case 'Transpose': {
        const v = this.value(node, i, 0);
        const rank = v.dims.length;
        const perm = this.ints(node, 'perm', [...Array(rank).keys()].reverse());
        if (v.kind === 'const') this.values.set(node.outputs[0], { kind: 'const', dims: perm.map((p) => v.dims[p]), values: undefined });
        else this.setAct(node, v.tensor, transposeDims(v.dims, perm));
        return;
      }
      case 'Reshape': {
        const v = this.value(node, i, 0);
        const target = this.constant(node, i, 1, true).values ?? [];
        return this.reshape(node, i, v, this.resolveShape(node, i, this.sizes(v), target));
      }
      case 'Flatten': {
        const v = this.value(node, i, 0);
        const sizes = this.sizes(v);
        const axisAttr = this.num(node, 'axis', 1);
        const axis = axisAttr < 0 ? axisAttr + sizes.length : axisAttr;
        return this.reshape(node, i, v, [volume(sizes.slice(0, axis)), volume(sizes.slice(axis))]);
      }
      case 'Squeeze':
      case 'Unsqueeze':
        return this.squeeze(node, i);
    }
    throw new TrimUserError(`${this.where(node, i)} is not supported`, { field: '--workload' });
  }

  private sizes(v: Value): number[] {
    return v.kind === 'const' ? [...v.dims] : sizesOf(v.dims);
  }

  private constantNode(node: OnnxNode, i: number): void {
    const v: AttrValue | undefined = node.attrs.get('value') ?? node.attrs.get('value_ints') ?? node.attrs.get('value_int') ?? node.attrs.get('value_floats') ?? node.attrs.get('value_float');
    let c: Const;
    if (typeof v === 'number') c = { kind: 'const', dims: [], values: [v] };
    else if (Array.isArray(v)) c = { kind: 'const', dims: [v.length], values: v as readonly number[] };
    else if (v !== undefined && typeof v === 'object') c = { kind: 'const', dims: (v as ConstTensor).dims, values: (v as ConstTensor).values };
    else throw new TrimUserError(`${this.where(node, i)}: only numeric constants (value, value_int(s), value_float(s)) are supported`, { field: '--workload' });
    this.values.set(node.outputs[0], c);
  }

  /** Resolves Reshape's 0 (copy) and -1 (infer) entries. */
  private resolveShape(node: OnnxNode, i: number, input: readonly number[], target: readonly number[]): number[] {
    const out = target.map((t, k) => (t === 0 ? input[k] : t));
    const known = volume(out.filter((t) => t !== -1));
    const total = volume(input);
    const inferred = out.map((t) => (t === -1 ? total / known : t));
    if (volume(inferred) !== total || inferred.some((t) => !Number.isInteger(t) || t < 1)) {
      throw new TrimUserError(`${this.where(node, i)}: cannot reshape ${input.join('×')} to [${target.join(', ')}]${input[0] === this.options.batch ? ' (a batch size fixed in the model? export it with a dynamic batch axis)' : ''}`, { field: '--workload' });
    }
    return inferred;
  }

  private reshape(node: OnnxNode, i: number, v: Value, shape: readonly number[]): void {
    if (v.kind === 'const') {
      this.values.set(node.outputs[0], { kind: 'const', dims: shape, values: v.values });
      return;
    }
    const view = reshapeDims(v.dims, shape);
    if (view) return this.setAct(node, v.tensor, view);
    // NCHW → [N, C·H·W] is a TRIM flatten (it mixes axes, so it is not a view of the same tensor).
    const irShape = this.b.shape4Of(v.tensor);
    if (shape.length === 2 && shape[0] === irShape[0] && (v.dims[0]?.axis === 0 || irShape[0] === 1)) {
      const out = this.b.flatten(this.layerName(node, i), v.tensor);
      return this.setAct(node, out, imageDims(this.b.shape4Of(out), 2));
    }
    throw new TrimUserError(
      `${this.where(node, i)}: reshaping ${sizesOf(v.dims).join('×')} to [${shape.join(', ')}] mixes tensor dimensions; supported reshapes split or merge one dimension (heads) or flatten [N, C, H, W] to [N, C·H·W]`,
      { field: '--workload' },
    );
  }

  private squeeze(node: OnnxNode, i: number): void {
    const v = this.value(node, i, 0);
    const sizes = this.sizes(v);
    const axes = node.inputs[1] ? (this.constant(node, i, 1, true).values ?? []) : this.ints(node, 'axes', []);
    let shape: number[];
    if (node.opType === 'Squeeze') {
      const drop = new Set(axes.map((a) => (a < 0 ? a + sizes.length : a)));
      shape = sizes.filter((s, k) => (drop.size === 0 ? s !== 1 : !drop.has(k)));
    } else {
      const rank = sizes.length + axes.length;
      const add = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      shape = [];
      let k = 0;
      for (let r = 0; r < rank; r++) shape.push(add.has(r) ? 1 : sizes[k++]);
    }
    this.reshape(node, i, v, shape);
  }

  private unary(node: OnnxNode, i: number): void {
    const x = this.act(node, i, 0);
    this.setAct(node, this.b.eltwise(this.layerName(node, i), [x.tensor], UNARY_OPS[node.opType]), x.dims);
  }

  /**
   * Two activations: an element-wise layer (same shapes only). An activation and a constant: a bias or scale,
   * folded into the MAC layer that produced the activation, else a one-input element-wise layer.
   */
  private binary(node: OnnxNode, i: number): void {
    const a = this.value(node, i, 0);
    const c = this.value(node, i, 1);
    const op = BINARY_OPS[node.opType];
    if (a.kind === 'act' && c.kind === 'act') {
      const sa = this.b.shape4Of(a.tensor);
      const sc = this.b.shape4Of(c.tensor);
      const same = sizesOf(a.dims).join() === sizesOf(c.dims).join() && sa.every((d, k) => d === sc[k]);
      if (same) return this.setAct(node, this.b.eltwise(this.layerName(node, i), [a.tensor, c.tensor], op), a.dims);
      // Broadcasting (a squeeze-excitation scale [N, C, 1, 1] onto [N, C, H, W]): costed over the larger operand.
      const [big, small] = volume(sizesOf(a.dims)) >= volume(sizesOf(c.dims)) ? [a, c] : [c, a];
      if (!broadcasts(sizesOf(small.dims), sizesOf(big.dims))) {
        throw new TrimUserError(`${this.where(node, i)}: operands ${sizesOf(a.dims).join('×')} and ${sizesOf(c.dims).join('×')} differ in layout or do not broadcast`, { field: '--workload' });
      }
      return this.setAct(node, this.b.eltwise(this.layerName(node, i), [big.tensor], op), big.dims);
    }
    if (a.kind === 'const' && c.kind === 'const') {
      throw new TrimUserError(`${this.where(node, i)} computes on constants only; fold constants first (onnxsim)`, { field: '--workload' });
    }
    const x = (a.kind === 'act' ? a : c) as Act;
    const k = (a.kind === 'const' ? a : c) as Const;
    const xs = sizesOf(x.dims);
    if (!broadcasts(k.dims, xs)) throw new TrimUserError(`${this.where(node, i)}: constant ${k.dims.join('×')} does not broadcast onto ${xs.join('×')}`, { field: '--workload' });
    if (this.macOutputs.has(x.tensor)) return this.setAct(node, x.tensor, x.dims);
    this.setAct(node, this.b.eltwise(this.layerName(node, i), [x.tensor], op), x.dims);
  }

  private conv(node: OnnxNode, i: number): void {
    const x = this.act(node, i, 0);
    const w = this.constant(node, i, 1);
    if (w.dims.length !== 4) throw new TrimUserError(`${this.where(node, i)}: only 2-D convolutions are supported (weight rank ${w.dims.length})`, { field: '--workload' });
    const [, c, h, wd] = this.image(node, i, x);
    const groups = this.num(node, 'group', 1);
    if (w.dims[1] * groups !== c) throw new TrimUserError(`${this.where(node, i)}: weight ${w.dims.join('×')} with group ${groups} does not match ${c} input channels`, { field: '--workload' });
    const kernel = this.ints(node, 'kernel_shape', w.dims.slice(2));
    const stride = this.ints(node, 'strides', [1, 1]);
    const dilation = this.ints(node, 'dilations', [1, 1]);
    const padding = this.pads(node, [h, wd], kernel, stride, dilation);
    const out = this.b.conv(this.layerName(node, i), x.tensor, {
      outChannels: w.dims[0],
      kernel: [kernel[0], kernel[1]],
      stride: [stride[0], stride[1]],
      dilation: [dilation[0], dilation[1]],
      padding,
      groups,
    });
    this.macOutputs.add(out);
    this.setAct(node, out, imageDims(this.b.shape4Of(out), 4));
  }

  private pool(node: OnnxNode, i: number): void {
    const x = this.act(node, i, 0);
    const [, , h, w] = this.image(node, i, x);
    const kernel = this.ints(node, 'kernel_shape', []);
    if (kernel.length !== 2) throw new TrimUserError(`${this.where(node, i)}: needs a 2-D kernel_shape`, { field: '--workload' });
    const stride = this.ints(node, 'strides', [1, 1]);
    const dilation = this.ints(node, 'dilations', [1, 1]);
    if (dilation.some((d) => d !== 1)) throw new TrimUserError(`${this.where(node, i)}: dilated pooling is not supported`, { field: '--workload' });
    const out = this.b.pool(this.layerName(node, i), x.tensor, {
      mode: node.opType === 'MaxPool' ? 'max' : 'avg',
      kernel: [kernel[0], kernel[1]],
      stride: [stride[0], stride[1]],
      padding: this.pads(node, [h, w], kernel, stride, dilation),
      ceil: this.num(node, 'ceil_mode', 0) === 1,
    });
    this.setAct(node, out, imageDims(this.b.shape4Of(out), 4));
  }

  /** x · W over the feature axis: a TRIM linear layer. */
  private linear(node: OnnxNode, i: number, x: Act, inFeatures: number, outFeatures: number): void {
    const shape = this.b.shape4Of(x.tensor);
    const last = x.dims[x.dims.length - 1];
    const overFeatures = last !== undefined && last.size === inFeatures && shape[1] === inFeatures && (last.axis === AXIS_C || inFeatures === 1) && last.place === 1;
    if (!overFeatures) {
      throw new TrimUserError(`${this.where(node, i)}: multiplies a ${sizesOf(x.dims).join('×')} tensor over a dimension of ${last?.size ?? 0} that is not its feature dimension (${shape[1]})`, { field: '--workload' });
    }
    const out = this.b.linear(this.layerName(node, i), x.tensor, outFeatures);
    this.macOutputs.add(out);
    const dims = [...x.dims.slice(0, -1), outFeatures === 1 ? { size: 1, axis: -1 as const, place: 1 } : { size: outFeatures, axis: AXIS_C as 1, place: 1 }];
    this.setAct(node, out, dims);
  }

  private gemm(node: OnnxNode, i: number): void {
    const x = this.act(node, i, 0);
    const w = this.value(node, i, 1);
    if (w.kind !== 'const' || w.dims.length !== 2) throw new TrimUserError(`${this.where(node, i)}: B must be a 2-D weight initializer (use MatMul for activation × activation)`, { field: '--workload' });
    if (this.num(node, 'transA', 0) !== 0) throw new TrimUserError(`${this.where(node, i)}: transA = 1 is not supported`, { field: '--workload' });
    const transB = this.num(node, 'transB', 0) === 1;
    this.linear(node, i, x, transB ? w.dims[1] : w.dims[0], transB ? w.dims[0] : w.dims[1]);
  }

  private matmul(node: OnnxNode, i: number): void {
    const a = this.value(node, i, 0);
    const w = this.value(node, i, 1);
    if (a.kind !== 'act') throw new TrimUserError(`${this.where(node, i)}: a constant left operand is not supported (write x · W)`, { field: '--workload' });
    if (w.kind === 'const') {
      if (w.dims.length !== 2) throw new TrimUserError(`${this.where(node, i)}: weight ${w.dims.join('×')} must be 2-D`, { field: '--workload' });
      return this.linear(node, i, a, w.dims[0], w.dims[1]);
    }
    this.batchedMatmul(node, i, a, w);
  }

  /** Reads an activation as a (per-head) matrix; undefined when its layout is not [N, heads, tokens, feat] or its Kᵀ. */
  private matrixView(v: Act): MatrixView | undefined {
    const shape = this.b.shape4Of(v.tensor);
    if (v.dims.length < 2 || shape[3] !== 1) return undefined;
    const last = v.dims[v.dims.length - 1];
    const second = v.dims[v.dims.length - 2];
    const isFeat = (d: Dim) => d.place === 1 && (d.axis === AXIS_C || (d.size === 1 && shape[1] === 1));
    const isTok = (d: Dim) => d.size === shape[2] && (d.axis === AXIS_H || d.size === 1);
    let rowMajor: boolean;
    let feat: Dim;
    let rows: Dim;
    if (isFeat(last) && isTok(second)) [rowMajor, feat, rows] = [true, last, second];
    else if (isFeat(second) && isTok(last)) [rowMajor, feat, rows] = [false, second, last];
    else return undefined;
    const batch = v.dims.slice(0, -2).filter((d) => d.size !== 1);
    const headDims = batch.filter((d) => d.axis === AXIS_C);
    const batchDims = batch.filter((d) => d.axis === 0);
    if (headDims.length + batchDims.length !== batch.length || headDims.length > 1 || batchDims.length > 1) return undefined;
    const heads = headDims[0]?.size ?? 1;
    if (headDims.length === 1 && headDims[0].place !== feat.size) return undefined;
    if (heads * feat.size !== shape[1]) return undefined;
    return { heads, rowMajor, batch: v.dims.slice(0, -2), rows };
  }

  /** Activation × activation (attention's Q·Kᵀ and A·V): a TRIM matmul with heads. */
  private batchedMatmul(node: OnnxNode, i: number, a: Act, b: Act): void {
    const ma = this.matrixView(a);
    const mb = this.matrixView(b);
    const sa = sizesOf(a.dims);
    const sb = sizesOf(b.dims);
    const sameBatch = sa.length === sb.length && sa.slice(0, -2).every((s, k) => s === sb[k]) && sa[sa.length - 1] === sb[sb.length - 2];
    if (!ma || !mb || !ma.rowMajor || ma.heads !== mb.heads || !sameBatch) {
      throw new TrimUserError(
        `${this.where(node, i)}: ${sa.join('×')} · ${sb.join('×')} is not a per-head attention product ([N, heads, tokens, d] · [N, heads, d, tokens] or · [N, heads, tokens, d]); broadcasting and other layouts are not supported`,
        { field: '--workload' },
      );
    }
    const out = this.b.matmul(this.layerName(node, i), a.tensor, b.tensor, { heads: ma.heads, transB: !mb.rowMajor });
    this.macOutputs.add(out);
    const ncols = this.b.shape4Of(out)[1] / ma.heads;
    const batch = ma.batch.map((d) => (d.axis === AXIS_C ? { ...d, place: ncols } : d));
    const col: Dim = ncols === 1 ? { size: 1, axis: -1, place: 1 } : { size: ncols, axis: AXIS_C as 1, place: 1 };
    this.setAct(node, out, [...batch, ma.rows, col]);
  }
}

/**
 * Imports an ONNX model (a path to a `.onnx` file or its bytes) as a TRIM network. Shapes come from the graph
 * inputs (a symbolic batch dimension takes `options.batch`) and the weight initializers; unsupported operators are
 * refused all at once, never dropped.
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
  return new OnnxImporter(graph, options, name).run();
}


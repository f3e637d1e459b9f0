import { TrimUserError } from '../errors.js';
import type { Precision } from '../precision.js';
import type {
  Conv2dParams,
  EltwiseOp,
  Layer,
  LayerSpec,
  MatmulParams,
  NormParams,
  PoolParams,
  EinsumParams,
  Shape,
  Shape4,
  TensorInfo,
  ViewParams,
} from './layer.js';
import { parseAxes, type OperandAxis } from '../einsum.js';

/** A DNN as a DAG: layers in a topological order, each reading earlier tensors. */
export interface Network {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly layers: readonly Layer[];
  readonly tensors: ReadonlyMap<string, TensorInfo>;
}

type Pair = number | readonly [number, number];
const pair = (v: Pair | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

export interface ConvOptions {
  outChannels: number;
  kernel: Pair;
  stride?: Pair;
  /** Symmetric [h, w] padding, a single number, or [top, left, bottom, right]. */
  padding?: Pair | readonly [number, number, number, number];
  dilation?: Pair;
  groups?: number;
  /** The bottom/right padding is not in memory (see `Conv2dParams.clipPadding`). */
  clipPadding?: boolean;
}

export interface PoolOptions {
  mode: 'max' | 'avg';
  kernel?: Pair;
  stride?: Pair;
  padding?: Pair | readonly [number, number, number, number];
  global?: boolean;
  /** Round the output size up (PyTorch ceil_mode). */
  ceil?: boolean;
}

function pad4(v: ConvOptions['padding']): [number, number, number, number] {
  if (v === undefined) return [0, 0, 0, 0];
  if (typeof v === 'number') return [v, v, v, v];
  if (v.length === 2) return [v[0], v[1], v[0], v[1]];
  return [v[0], v[1], v[2], v[3]];
}

/** A size, channel count or stride: a whole number from 1 to 2⁵³ − 1 (above it doubles skip integers). */
function isPosInt(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

/**
 * The largest extent of any tensor dimension (batch, channels, height, width) and so of any loop bound a layer
 * lowers to: mappings hold their tile factors as 32-bit integers (`Mapping.temporal`, an Int32Array), so a bound above
 * 2³¹ − 1 would wrap. Real networks stay far below (VGG-16's largest flattened tensor has 25,088 features).
 */
export const MAX_DIMENSION = 2 ** 31 - 1;

/**
 * Builds a Network layer by layer, inferring every tensor's shape and rejecting inconsistent ones with a message
 * that names the layer.
 */
export class NetworkBuilder {
  private readonly tensors = new Map<string, TensorInfo>();
  private readonly layers: Layer[] = [];
  private readonly inputNames: string[] = [];
  private readonly layerNames = new Set<string>();

  constructor(
    readonly name: string,
    readonly precision: Precision = 'int16',
  ) {}

  input(name: string, shape: Shape): string {
    if (this.tensors.has(name)) throw new TrimUserError(`network ${this.name}: tensor "${name}" defined twice`, { field: name });
    for (const d of shape) {
      if (!isPosInt(d)) {
        throw new TrimUserError(`network ${this.name}: input "${name}" has shape [${shape.join(', ')}]; every dimension must be a positive integer`, { field: name });
      }
    }
    this.checkExtent(`input "${name}"`, shape);
    this.tensors.set(name, { name, shape, precision: this.precision, producer: undefined });
    this.inputNames.push(name);
    return name;
  }

  /** The shape of a tensor known to be 4-D (`[N, C, H, W]`: what conv, pool and linear layers write). */
  shape4Of(tensor: string): Shape4 {
    const s = this.shapeOf(tensor);
    if (s.length !== 4) throw new TrimUserError(`network ${this.name}: tensor "${tensor}" has rank ${s.length}, not [N, C, H, W]`, { field: tensor });
    return s as unknown as Shape4;
  }

  shapeOf(tensor: string): Shape {
    const t = this.tensors.get(tensor);
    if (!t) throw new TrimUserError(`network ${this.name}: unknown tensor "${tensor}"`, { field: tensor });
    return t.shape;
  }

  conv(name: string, input: string, o: ConvOptions): string {
    const [n, c, h, w] = this.in(name, input);
    const kernel = pair(o.kernel, 1);
    const stride = pair(o.stride, 1);
    const dilation = pair(o.dilation, 1);
    const padding = pad4(o.padding);
    const groups = o.groups ?? 1;
    this.check(name, isPosInt(o.outChannels), `outChannels must be a positive integer (got ${o.outChannels})`);
    this.check(name, [...kernel, ...stride, ...dilation, groups].every(isPosInt), 'kernel, stride, dilation and groups must be positive integers');
    this.check(name, [...kernel, ...dilation].every((v) => v <= MAX_DIMENSION), `kernel and dilation must be at most ${MAX_DIMENSION} (2³¹ − 1, the largest loop bound TRIM maps)`);
    this.check(name, padding.every((p) => Number.isInteger(p) && p >= 0), 'padding must be non-negative integers');
    this.check(name, c % groups === 0, `input channels ${c} are not divisible by groups ${groups}`);
    this.check(name, o.outChannels % groups === 0, `output channels ${o.outChannels} are not divisible by groups ${groups}`);
    const p = Math.floor((h + padding[0] + padding[2] - dilation[0] * (kernel[0] - 1) - 1) / stride[0]) + 1;
    const q = Math.floor((w + padding[1] + padding[3] - dilation[1] * (kernel[1] - 1) - 1) / stride[1]) + 1;
    this.check(name, p >= 1 && q >= 1, `a ${kernel[0]}×${kernel[1]} kernel does not fit the ${h}×${w} input (with padding ${padding.join(',')})`);
    const params: Conv2dParams = { outChannels: o.outChannels, kernel, stride, padding, dilation, groups, ...(o.clipPadding ? { clipPadding: true } : {}) };
    return this.add(name, { kind: 'conv2d', params }, [input], [n, o.outChannels, p, q]);
  }

  linear(name: string, input: string, outFeatures: number): string {
    const [n, , h, w] = this.in(name, input);
    this.check(name, isPosInt(outFeatures), `outFeatures must be a positive integer (got ${outFeatures})`);
    return this.add(name, { kind: 'linear', params: { outFeatures } }, [input], [n, outFeatures, h, w]);
  }

  matmul(name: string, a: string, b: string, o: { heads?: number; transB: boolean }): string {
    const [n, ac, m] = this.in(name, a);
    const [bn, bc, bh] = this.in(name, b);
    const heads = o.heads ?? 1;
    this.check(name, n === bn, `batch of ${a} (${n}) and ${b} (${bn}) differ`);
    this.check(name, ac % heads === 0 && bc % heads === 0, `channels of ${a} (${ac}) and ${b} (${bc}) must divide into ${heads} heads`);
    const k = ac / heads;
    this.check(name, n * heads <= MAX_DIMENSION, `batch × heads = ${n * heads} is above ${MAX_DIMENSION} (2³¹ − 1, the largest loop bound TRIM maps)`);
    let ncols: number;
    if (o.transB) {
      this.check(name, bc / heads === k, `Q·Kᵀ needs equal per-head widths: ${a} has ${k}, ${b} has ${bc / heads}`);
      ncols = bh;
    } else {
      this.check(name, bh === k, `A·V needs ${b}'s rows (${bh}) to equal ${a}'s per-head columns (${k})`);
      ncols = bc / heads;
    }
    const params: MatmulParams = { heads, transB: o.transB };
    return this.add(name, { kind: 'matmul', params }, [a, b], [n, heads * ncols, m, 1]);
  }

  pool(name: string, input: string, o: PoolOptions): string {
    const [n, c, h, w] = this.in(name, input);
    const global = o.global ?? false;
    const kernel = global ? ([h, w] as [number, number]) : pair(o.kernel, 1);
    const stride = global ? ([1, 1] as [number, number]) : pair(o.stride, kernel[0]);
    const padding = global ? ([0, 0, 0, 0] as [number, number, number, number]) : pad4(o.padding);
    const round = o.ceil ? Math.ceil : Math.floor;
    const p = round((h + padding[0] + padding[2] - kernel[0]) / stride[0]) + 1;
    const q = round((w + padding[1] + padding[3] - kernel[1]) / stride[1]) + 1;
    this.check(name, p >= 1 && q >= 1, `a ${kernel[0]}×${kernel[1]} pooling window does not fit the ${h}×${w} input`);
    const params: PoolParams = { mode: o.mode, kernel, stride, padding, global };
    return this.add(name, { kind: 'pool', params }, [input], [n, c, p, q]);
  }

  eltwise(name: string, inputs: readonly string[], op: EltwiseOp): string {
    this.check(name, inputs.length >= 1, 'needs at least one input');
    const shape = this.any(name, inputs[0]);
    for (const t of inputs.slice(1)) {
      const s = this.any(name, t);
      this.check(name, s.length === shape.length && s.every((d, i) => d === shape[i]), `inputs ${inputs[0]} [${shape.join('×')}] and ${t} [${s.join('×')}] have different shapes`);
    }
    return this.add(name, { kind: 'eltwise', params: { op } }, inputs, shape);
  }

  relu(name: string, input: string): string {
    return this.eltwise(name, [input], 'relu');
  }

  add2(name: string, a: string, b: string): string {
    return this.eltwise(name, [a, b], 'add');
  }

  /** `affine`: layer/RMS norm with learned γ (and β) over the last axis. */
  norm(name: string, input: string, mode: NormParams['mode'], o: { affine?: boolean } = {}): string {
    const shape = this.any(name, input);
    this.check(name, !o.affine || mode === 'layer' || mode === 'rms', `only layer and rms norms take affine parameters here (got ${mode})`);
    const params: NormParams = o.affine ? { mode, affineFeatures: shape[shape.length - 1] } : { mode };
    return this.add(name, { kind: 'norm', params }, [input], shape);
  }

  softmax(name: string, input: string): string {
    return this.add(name, { kind: 'softmax', params: {} }, [input], this.any(name, input));
  }

  /**
   * A binary einsum (see `EinsumParams`). Checks the dims, that every axis names them, and that each input holds
   * exactly the elements its axes index, or, read through a padded window (`pad`), exactly the elements of each axis
   * less its declared zeros; the output's shape is the extents of `out`'s axes.
   */
  einsum(name: string, inputs: readonly string[], params: EinsumParams): string {
    const dims = params.dims.map(([d]) => d);
    const bounds = params.dims.map(([, b]) => b);
    this.check(name, dims.length > 0 && new Set(dims).size === dims.length, `dims must be distinct names (got ${dims.join(', ')})`);
    this.check(name, bounds.every(isPosInt), `every dim bound must be a positive integer (got ${bounds.join(', ')})`);
    this.check(name, inputs.length === (params.weightAxes === undefined ? 2 : 1), params.weightAxes === undefined ? 'needs two inputs (or weightAxes and one input)' : 'with weightAxes it takes one input');
    this.check(name, params.axes.length === inputs.length, `axes gives ${params.axes.length} operands for ${inputs.length} inputs`);
    const parse = (text: string): OperandAxis[] => {
      try {
        return parseAxes(text, dims, `layer ${name}`);
      } catch (e) {
        throw new TrimUserError((e as Error).message, { field: `${name}.axes`, fix: `name only the dims ${dims.join(', ')}` });
      }
    };
    const extent = (a: OperandAxis) => a.terms.reduce((x, t) => x + (bounds[t.dim] - 1) * t.coeff, 1);
    const pad = params.pad ?? [];
    this.check(name, pad.length <= inputs.length, `pad gives padding for ${pad.length} inputs; the layer has ${inputs.length}`);
    inputs.forEach((t, i) => {
      const shape = this.any(name, t);
      const axes = parse(params.axes[i]);
      const padding = pad[i] ?? [];
      if (padding.length === 0) {
        const have = shape.reduce((a, d) => a * d, 1);
        const want = axes.reduce((a, x) => a * extent(x), 1);
        this.check(name, have === want, `input "${t}" has ${have} elements but its axes "${params.axes[i]}" index ${want}`);
        return;
      }
      // A padded input is read axis by axis: each stored size is exactly its axis's extent less the declared zeros.
      this.check(name, padding.length === axes.length, `pad gives ${padding.length} [before, after] pairs for the ${axes.length} axes "${params.axes[i]}" of input "${t}"`);
      this.check(name, padding.every((p) => p.length === 2 && p.every((v) => Number.isSafeInteger(v) && v >= 0)), `the padding of input "${t}" must be [before, after] pairs of non-negative integers`);
      const stored = axes.map((a, j) => extent(a) - padding[j][0] - padding[j][1]);
      this.check(
        name,
        shape.length === axes.length && shape.every((d, j) => d === stored[j]),
        `input "${t}" has shape [${shape.join(', ')}] but its axes "${params.axes[i]}" less the padding ${padding.map((p) => `[${p.join(', ')}]`).join(' ')} index [${stored.join(', ')}]`,
      );
    });
    if (params.weightAxes !== undefined) parse(params.weightAxes);
    const out = parse(params.out);
    this.check(name, out.every((a) => a.terms.length === 1 && a.terms[0].coeff === 1), `output axes "${params.out}" must be plain dims`);
    const used = new Set([...params.axes, params.weightAxes ?? '', params.out].flatMap((t) => parse(t).flatMap((a) => a.terms.map((x) => x.dim))));
    this.check(name, used.size === dims.length, `every dim must index some operand (${dims.filter((_, i) => !used.has(i)).join(', ')} index none)`);
    return this.add(name, { kind: 'einsum', params }, inputs, out.map(extent));
  }

  /** A table lookup: ids of any shape to rows of a `vocab × dim` table; output `[...ids, dim]`. */
  embedding(name: string, ids: string, vocab: number, dim: number): string {
    this.check(name, isPosInt(vocab) && isPosInt(dim), `vocab and dim must be positive integers (got ${vocab}, ${dim})`);
    return this.add(name, { kind: 'embedding', params: { vocab, dim } }, [ids], [...this.any(name, ids), dim]);
  }

  /** A view of the input's data with another shape: `reshape` (same elements) or `slice` (at most as many). */
  view(name: string, input: string, op: ViewParams['op'], shape: Shape): string {
    const have = this.any(name, input).reduce((a, d) => a * d, 1);
    this.check(name, shape.length > 0 && shape.every(isPosInt), `shape [${shape.join(', ')}] must be positive integers`);
    const want = shape.reduce((a, d) => a * d, 1);
    this.check(name, op === 'reshape' ? want === have : want <= have, `a ${op} of ${have} elements cannot have shape [${shape.join(', ')}] (${want})`);
    return this.add(name, { kind: 'view', params: { op } }, [input], shape);
  }

  /**
   * A KV cache after appending `rows` along `axis` (in place: only the new rows are written; the cache before is read
   * by no one here). The result has role `kv-cache`: the scheduler keeps it on chip or in DRAM like any tensor.
   */
  append(name: string, cache: string, rows: string, axis: number): string {
    const out = this.concat(name, [cache, rows], axis);
    const layer = this.layers[this.layers.length - 1];
    this.layers[this.layers.length - 1] = { ...layer, params: { op: 'append' } } as typeof layer;
    const t = this.tensors.get(out) as TensorInfo;
    this.tensors.set(out, { ...t, role: 'kv-cache' });
    return out;
  }

  /** Tensors of equal shape but along `axis` joined into one (a copy). */
  concat(name: string, inputs: readonly string[], axis: number): string {
    this.check(name, inputs.length >= 2, 'needs at least two inputs');
    const first = this.any(name, inputs[0]);
    const ax = axis < 0 ? first.length + axis : axis;
    this.check(name, Number.isInteger(ax) && ax >= 0 && ax < first.length, `axis ${axis} is outside rank ${first.length}`);
    let along = 0;
    for (const t of inputs) {
      const s = this.any(name, t);
      this.check(name, s.length === first.length && s.every((d, i) => i === ax || d === first[i]), `inputs ${inputs[0]} [${first.join('×')}] and ${t} [${s.join('×')}] differ off axis ${axis}`);
      along += s[ax];
    }
    return this.add(name, { kind: 'eltwise', params: { op: 'concat' } }, inputs, first.map((d, i) => (i === ax ? along : d)));
  }

  flatten(name: string, input: string): string {
    const [n, c, h, w] = this.in(name, input);
    return this.add(name, { kind: 'flatten', params: {} }, [input], [n, c * h * w, 1, 1]);
  }

  build(): Network {
    if (this.layers.length === 0) throw new TrimUserError(`network ${this.name} has no layers`);
    return { name: this.name, inputs: [...this.inputNames], layers: [...this.layers], tensors: new Map(this.tensors) };
  }

  private in(layer: string, tensor: string): Shape4 {
    const s = this.any(layer, tensor);
    this.check(layer, s.length === 4, `input "${tensor}" has rank ${s.length}; this layer kind reads [N, C, H, W] tensors (use einsum layers for other ranks)`);
    return s as unknown as Shape4;
  }

  private any(layer: string, tensor: string): Shape {
    const t = this.tensors.get(tensor);
    if (!t) throw new TrimUserError(`layer ${layer}: input tensor "${tensor}" is not produced by any earlier layer`, { field: `${layer}.inputs` });
    return t.shape;
  }

  private check(layer: string, ok: boolean, why: string): void {
    if (!ok) throw new TrimUserError(`layer ${layer}: ${why}`, { field: layer });
  }

  /** Every dimension of a tensor within `MAX_DIMENSION`: refused here with the layer's name, not wrapped later. */
  private checkExtent(what: string, shape: Shape): void {
    const i = shape.findIndex((d) => d > MAX_DIMENSION);
    if (i < 0) return;
    const axis = shape.length === 4 ? ['batch', 'channels', 'height', 'width'][i] : `axis ${i}`;
    throw new TrimUserError(`${what}: its ${axis} ${shape[i]} is above ${MAX_DIMENSION} (2³¹ − 1), the largest loop bound TRIM maps (tile factors are 32-bit)`, {
      field: what,
      fix: `keep every tensor dimension (batch included) at most ${MAX_DIMENSION}`,
    });
  }

  private add(name: string, spec: LayerSpec, inputs: readonly string[], shape: Shape): string {
    if (this.layerNames.has(name)) throw new TrimUserError(`network ${this.name}: layer name "${name}" is used twice`, { field: name });
    this.checkExtent(`layer ${name}`, shape);
    this.layerNames.add(name);
    const output = name;
    if (this.tensors.has(output)) throw new TrimUserError(`network ${this.name}: tensor "${output}" defined twice`, { field: name });
    this.tensors.set(output, { name: output, shape, precision: this.precision, producer: name });
    this.layers.push({ ...spec, name, inputs: [...inputs], output } as Layer);
    return output;
  }
}

/** Rebuilds a network keeping only layers of one kind (their inputs become network inputs). */
export function filterLayers(net: Network, keep: (l: Layer) => boolean): Network {
  const layers = net.layers.filter(keep);
  const produced = new Set(layers.map((l) => l.output));
  const inputs = new Set<string>();
  for (const l of layers) for (const t of l.inputs) if (!produced.has(t)) inputs.add(t);
  return { name: net.name, inputs: [...inputs], layers, tensors: net.tensors };
}

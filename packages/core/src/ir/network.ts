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
  Shape4,
  TensorInfo,
} from './layer.js';

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

  input(name: string, shape: Shape4): string {
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

  shapeOf(tensor: string): Shape4 {
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
    const shape = this.in(name, inputs[0]);
    for (const t of inputs.slice(1)) {
      const s = this.in(name, t);
      this.check(name, s.every((d, i) => d === shape[i]), `inputs ${inputs[0]} [${shape.join('×')}] and ${t} [${s.join('×')}] have different shapes`);
    }
    return this.add(name, { kind: 'eltwise', params: { op } }, inputs, shape);
  }

  relu(name: string, input: string): string {
    return this.eltwise(name, [input], 'relu');
  }

  add2(name: string, a: string, b: string): string {
    return this.eltwise(name, [a, b], 'add');
  }

  norm(name: string, input: string, mode: NormParams['mode']): string {
    return this.add(name, { kind: 'norm', params: { mode } }, [input], this.in(name, input));
  }

  softmax(name: string, input: string): string {
    return this.add(name, { kind: 'softmax', params: {} }, [input], this.in(name, input));
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
    const t = this.tensors.get(tensor);
    if (!t) throw new TrimUserError(`layer ${layer}: input tensor "${tensor}" is not produced by any earlier layer`, { field: `${layer}.inputs` });
    return t.shape;
  }

  private check(layer: string, ok: boolean, why: string): void {
    if (!ok) throw new TrimUserError(`layer ${layer}: ${why}`, { field: layer });
  }

  /** Every dimension of a tensor within `MAX_DIMENSION`: refused here with the layer's name, not wrapped later. */
  private checkExtent(what: string, shape: Shape4): void {
    const i = shape.findIndex((d) => d > MAX_DIMENSION);
    if (i < 0) return;
    const axis = ['batch', 'channels', 'height', 'width'][i];
    throw new TrimUserError(`${what}: its ${axis} ${shape[i]} is above ${MAX_DIMENSION} (2³¹ − 1), the largest loop bound TRIM maps (tile factors are 32-bit)`, {
      field: what,
      fix: `keep every tensor dimension (batch included) at most ${MAX_DIMENSION}`,
    });
  }

  private add(name: string, spec: LayerSpec, inputs: readonly string[], shape: Shape4): string {
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

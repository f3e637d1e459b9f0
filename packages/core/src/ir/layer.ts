import type { Precision } from '../precision.js';

/** CNN activations are 4-D, [N, C, H, W] (the conv, pool and linear layers read them so). */
export type Shape4 = readonly [number, number, number, number];

/** A tensor shape of any rank (einsum, embedding and sequence layers: `[batch, tokens, features]`, …). */
export type Shape = readonly number[];

export interface TensorInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly precision: Precision;
  /** Name of the layer that writes it; undefined for network inputs. */
  readonly producer: string | undefined;
  /** The role its readers see it under when it is not an activation (`kv-cache`); default by the reader. */
  readonly role?: string;
}

export interface Conv2dParams {
  readonly outChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  /** [top, left, bottom, right] zero padding. */
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  /** groups = input channels (= output channels) is a depthwise convolution. */
  readonly groups: number;
  /**
   * The bottom and right padding is not in memory: windows that run over it read nothing there (SCALE-Sim's
   * convention: it rounds the output size up and clips the last window at the input's edge). Default false: all
   * padding is stored zeros, fetched like data.
   */
  readonly clipPadding?: boolean;
}

export interface LinearParams {
  readonly outFeatures: number;
}

/**
 * Batched matrix product per head, as in attention. With A = inputs[0] of shape [N, heads·k, M, 1]:
 * transB: B = inputs[1] is [N, heads·k, Ncols, 1] (Q·Kᵀ); otherwise B is [N, heads·Ncols, k, 1] (A·V).
 * Output [N, heads·Ncols, M, 1].
 */
export interface MatmulParams {
  readonly heads: number;
  readonly transB: boolean;
}

export interface PoolParams {
  readonly mode: 'max' | 'avg';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  /** Global pooling: the kernel is the whole input plane. */
  readonly global: boolean;
}

export type EltwiseOp = 'add' | 'mul' | 'relu' | 'relu6' | 'gelu' | 'sigmoid' | 'tanh' | 'identity' | 'silu' | 'rotary' | 'dropout' | 'concat' | 'append';
export interface EltwiseParams {
  readonly op: EltwiseOp;
}

export interface NormParams {
  readonly mode: 'batch' | 'layer' | 'lrn' | 'rms';
  /**
   * Layer/RMS norm with learned parameters over the last `features` elements (γ, and β for layer norm): they are
   * read by the forward pass, get gradients and an optimizer step. Absent: the norm has no parameters in the model.
   */
  readonly affineFeatures?: number;
}

/**
 * A binary einsum `out += a · b` over named loop dims (`dims`, in loop-nest order, with their bounds). Each operand is
 * written as axes of those dims (`b h s d`, a window `p*2+r`). `axes[i]` are the axes of `inputs[i]`; an input may be
 * read with other axes than its stored shape (heads split out of features) as long as the elements agree.
 * `weightAxes`: the second operand is a parameter tensor (one input only); else the layer has two inputs.
 * `tiedTo`: the parameter is another layer's (tied LM head = the embedding table): no parameters of its own.
 * `pad`: inputs read through a zero-padded window (see `EinsumPadding`).
 */
export interface EinsumParams {
  readonly dims: ReadonlyArray<readonly [string, number]>;
  readonly axes: readonly string[];
  readonly weightAxes?: string;
  readonly out: string;
  readonly tiedTo?: string;
  readonly pad?: EinsumPadding;
}

/**
 * Zero padding per input, indexed like `axes` (an empty list: that input is not padded): one `[before, after]` pair
 * per axis of that input, the zeros its axis's extent reaches before and after the stored elements. conv2d's default
 * convention (`Conv2dParams.clipPadding` unset): the stored tensor holds the unpadded elements, the op's window covers
 * the padded extent, and padding is fetched like data (the engine prices the window's full extent; the tensor between
 * layers is the stored one). A padded input is read axis by axis: its rank is its axes' count and each stored size is
 * the axis's extent minus its padding.
 */
export type EinsumPadding = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/** A table lookup: token ids `[…]` to rows of a `vocab × dim` parameter table, output `[…, dim]`. */
export interface EmbeddingParams {
  readonly vocab: number;
  readonly dim: number;
}

/** A view of its input's data (no op): `reshape` (same elements), `slice`/`split` (a part of it). */
export interface ViewParams {
  readonly op: 'reshape' | 'slice';
}

export type LayerSpec =
  | { readonly kind: 'conv2d'; readonly params: Conv2dParams }
  | { readonly kind: 'linear'; readonly params: LinearParams }
  | { readonly kind: 'matmul'; readonly params: MatmulParams }
  | { readonly kind: 'pool'; readonly params: PoolParams }
  | { readonly kind: 'eltwise'; readonly params: EltwiseParams }
  | { readonly kind: 'norm'; readonly params: NormParams }
  | { readonly kind: 'softmax'; readonly params: Record<string, never> }
  | { readonly kind: 'flatten'; readonly params: Record<string, never> }
  | { readonly kind: 'einsum'; readonly params: EinsumParams }
  | { readonly kind: 'embedding'; readonly params: EmbeddingParams }
  | { readonly kind: 'view'; readonly params: ViewParams };

export type LayerKind = LayerSpec['kind'];
export const LAYER_KINDS: readonly LayerKind[] = ['conv2d', 'linear', 'matmul', 'pool', 'eltwise', 'norm', 'softmax', 'flatten', 'einsum', 'embedding', 'view'];

/** Layers that are views of their first input's data (no op, no data moved). */
export function isView(layer: Layer): boolean {
  return layer.kind === 'flatten' || layer.kind === 'view';
}

/** A layer reads named tensors and writes one. */
export type Layer = LayerSpec & {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly output: string;
};

/** Layers whose work is multiply-accumulates lowered onto the array. */
export function isMacLayer(layer: Layer): boolean {
  return layer.kind === 'conv2d' || layer.kind === 'linear' || layer.kind === 'matmul' || layer.kind === 'einsum';
}

/** `--only conv` style filters: accept the kind or a few natural aliases. */
export function layerMatchesKind(layer: Layer, kind: string): boolean {
  const k = kind.toLowerCase();
  if (k === layer.kind) return true;
  if (k === 'conv') return layer.kind === 'conv2d';
  if (k === 'fc' || k === 'gemm') return layer.kind === 'linear';
  if (k === 'attention') return layer.kind === 'matmul' || (layer.kind === 'einsum' && layer.params.weightAxes === undefined);
  if (k === 'mac') return isMacLayer(layer);
  if (k === 'depthwise') return layer.kind === 'conv2d' && layer.params.groups > 1 && layer.params.groups === layer.params.outChannels;
  return false;
}

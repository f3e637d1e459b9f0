import type { Precision } from '../precision.js';

/** Activation tensors are 4-D, [N, C, H, W]; sequences use [N, features, tokens, 1]. */
export type Shape4 = readonly [number, number, number, number];

export interface TensorInfo {
  readonly name: string;
  readonly shape: Shape4;
  readonly precision: Precision;
  /** Name of the layer that writes it; undefined for network inputs. */
  readonly producer: string | undefined;
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

export type EltwiseOp = 'add' | 'mul' | 'relu' | 'relu6' | 'gelu' | 'sigmoid' | 'tanh' | 'identity';
export interface EltwiseParams {
  readonly op: EltwiseOp;
}

export interface NormParams {
  readonly mode: 'batch' | 'layer' | 'lrn';
}

export type LayerSpec =
  | { readonly kind: 'conv2d'; readonly params: Conv2dParams }
  | { readonly kind: 'linear'; readonly params: LinearParams }
  | { readonly kind: 'matmul'; readonly params: MatmulParams }
  | { readonly kind: 'pool'; readonly params: PoolParams }
  | { readonly kind: 'eltwise'; readonly params: EltwiseParams }
  | { readonly kind: 'norm'; readonly params: NormParams }
  | { readonly kind: 'softmax'; readonly params: Record<string, never> }
  | { readonly kind: 'flatten'; readonly params: Record<string, never> };

export type LayerKind = LayerSpec['kind'];
export const LAYER_KINDS: readonly LayerKind[] = ['conv2d', 'linear', 'matmul', 'pool', 'eltwise', 'norm', 'softmax', 'flatten'];

/** A layer reads named tensors and writes one. */
export type Layer = LayerSpec & {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly output: string;
};

/** Layers whose work is multiply-accumulates lowered onto the array. */
export function isMacLayer(layer: Layer): boolean {
  return layer.kind === 'conv2d' || layer.kind === 'linear' || layer.kind === 'matmul';
}

/** `--only conv` style filters: accept the kind or a few natural aliases. */
export function layerMatchesKind(layer: Layer, kind: string): boolean {
  const k = kind.toLowerCase();
  if (k === layer.kind) return true;
  if (k === 'conv') return layer.kind === 'conv2d';
  if (k === 'fc' || k === 'gemm') return layer.kind === 'linear';
  if (k === 'mac') return isMacLayer(layer);
  if (k === 'depthwise') return layer.kind === 'conv2d' && layer.params.groups > 1 && layer.params.groups === layer.params.outChannels;
  return false;
}

import type { Shape4 } from '@trim-dse/core';

/**
 * How an N-D ONNX tensor sits on a TRIM tensor of any rank. Every ONNX dimension is a factor of one TRIM axis:
 * `axis` (the TRIM axis index, or -1 for a size-1 dimension that belongs to none) and `place`, the product of the
 * sizes of the finer factors of that axis (a mixed-radix digit). [B, L, 768] over TRIM [B, 768, L, 1] is N·H·C;
 * splitting the features into 12 heads of 64 gives C with place 64 (the head) and C with place 1.
 */
export interface Dim {
  readonly size: number;
  readonly axis: number;
  readonly place: number;
}

export const AXIS_N = 0;
export const AXIS_C = 1;
export const AXIS_H = 2;
export const AXIS_W = 3;

const unit: Dim = { size: 1, axis: -1, place: 1 };
const full = (axis: number, size: number): Dim => (size === 1 ? unit : { size, axis, place: 1 });

/** A TRIM tensor seen as itself: ONNX dimension i is TRIM axis i. */
export function identityDims(shape: readonly number[]): Dim[] {
  return shape.map((s, i) => full(i, s));
}

/** True when the dims are the TRIM tensor itself (same rank, axis i at position i), so no view layer is needed. */
export function isIdentity(dims: readonly Dim[], shape: readonly number[]): boolean {
  return dims.length === shape.length && dims.every((d, i) => d.size === shape[i] && d.place === 1 && (d.axis === i || d.size === 1));
}

/** NCHW as ONNX sees it, for rank 4 (images) or rank 2 ([N, features] after a flatten). */
export function imageDims(shape: Shape4, rank: 2 | 4): Dim[] {
  if (rank === 2) return [full(0, shape[0]), full(1, shape[1])];
  return [full(0, shape[0]), full(1, shape[1]), full(2, shape[2]), full(3, shape[3])];
}

/** A token sequence: ONNX [N, tokens, features] over TRIM [N, features, tokens, 1]. */
export function sequenceDims(shape: Shape4): Dim[] {
  return [full(0, shape[0]), full(2, shape[2]), full(1, shape[1])];
}

export const sizesOf = (dims: readonly Dim[]): number[] => dims.map((d) => d.size);

/** True when the dims are exactly [N, C, H, W] in that order (size-1 axes may be missing their label). */
export function isImage(dims: readonly Dim[], shape: Shape4): boolean {
  return dims.length === 4 && dims.every((d, i) => d.size === shape[i] && (d.axis === i || d.size === 1));
}

export function transposeDims(dims: readonly Dim[], perm: readonly number[]): Dim[] {
  return perm.map((p) => dims[p]);
}

/** Fuses consecutive factors of one axis (coarse first) into one, or undefined when they are not contiguous. */
function merge(group: readonly Dim[]): Dim | undefined {
  const axis = group[0].axis;
  let size = 1;
  for (let j = group.length - 1; j >= 0; j--) {
    const d = group[j];
    if (d.axis !== axis) return undefined;
    if (j < group.length - 1) {
      const finer = group[j + 1];
      if (d.place !== finer.place * finer.size) return undefined;
    }
    size *= d.size;
  }
  return { size, axis, place: group[group.length - 1].place };
}

/**
 * The dims after an ONNX Reshape to `shape` (fully resolved, no 0 / -1) when it is a pure view of the same TRIM
 * tensor (splits and merges of adjacent factors of one axis); undefined when it would mix axes.
 */
export function reshapeDims(dims: readonly Dim[], shape: readonly number[]): Dim[] | undefined {
  const from = dims.filter((d) => d.size !== 1);
  const toIdx = shape.map((s, i) => [s, i] as const).filter(([s]) => s !== 1);
  const out: Dim[] = shape.map(() => unit);
  let i = 0;
  let j = 0;
  while (i < from.length && j < toIdx.length) {
    const group: Dim[] = [from[i++]];
    const targets: (readonly [number, number])[] = [toIdx[j++]];
    let a = group[0].size;
    let b = targets[0][0];
    while (a !== b) {
      if (a < b) {
        if (i >= from.length) return undefined;
        group.push(from[i]);
        a *= from[i++].size;
      } else {
        if (j >= toIdx.length) return undefined;
        targets.push(toIdx[j]);
        b *= toIdx[j++][0];
      }
    }
    const merged = merge(group);
    if (!merged) return undefined;
    let place = merged.place;
    for (let k = targets.length - 1; k >= 0; k--) {
      const [size, pos] = targets[k];
      out[pos] = { size, axis: merged.axis, place };
      place *= size;
    }
  }
  if (i < from.length || j < toIdx.length) return undefined;
  return out;
}

/** The product of every ONNX dimension = the TRIM tensor's element count. */
export const volume = (sizes: readonly number[]): number => sizes.reduce((a, s) => a * s, 1);

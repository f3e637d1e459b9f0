import { DIM_COUNT } from '../dims.js';

/**
 * Scratch space of the loop-nest engine, shared by its stages (`checkMapping` fills the tile bounds and active
 * instances that `nestAccesses` reads). Module-level so that the hot path allocates nothing; sized from the hierarchy
 * on entry (`ensureLevels`) and from the op where it depends on extents (`growFloat`, `growBytes`), never a fixed cap.
 */
/**
 * One holder object (a `const`, so the hot functions load its fields without the hole checks a module `let` costs
 * on every access); each hot function copies the arrays it uses into locals once.
 */
export const scratch = {
  levels: 0,
  dims: 0,
  /** Cumulative tile bounds (temporal × spatial) per [level·dims + dim]. */
  tile: new Float64Array(0),
  /** Spatial factor (x·y) per [level·dims + dim]. */
  spatial: new Float64Array(0),
  /** Active instances of each level; [levels] holds the active MAC units. */
  act: new Float64Array(0),
  /** Elements of each kept operand's tile per [level·3 + slot] (0 when not kept), from `checkMapping`. */
  tileElements: new Float64Array(0),
  /** The temporal loops with a factor above 1, level by level (innermost first within a level). */
  loopDim: new Int32Array(0),
  loopFactor: new Float64Array(0),
  loopLevel: new Int32Array(0),
  loopStart: new Int32Array(0),
  /** Union extent of a group of children, per dim. */
  group: new Float64Array(0),
  /** Spatial unroll (x·y) of each level. */
  unroll: new Float64Array(0),
  /** Product of every temporal factor (compute cycles before overhead), and of those at and above the overhead level. */
  compute: 1,
  folds: 1,
};

/**
 * Makes every array hold `L` levels of `D` loop dims (grows only: a deeper hierarchy or a wider op than any before
 * allocates once).
 */
export function ensureScratch(L: number, D: number): void {
  if (scratch.levels >= L && scratch.dims >= D) return;
  const n = Math.max(L, 8, scratch.levels);
  const d = Math.max(D, DIM_COUNT, scratch.dims);
  scratch.levels = n;
  scratch.dims = d;
  scratch.tile = new Float64Array(n * d);
  scratch.spatial = new Float64Array(n * d);
  scratch.act = new Float64Array(n + 1);
  scratch.unroll = new Float64Array(n);
  scratch.tileElements = new Float64Array(n * 3);
  scratch.loopDim = new Int32Array(n * d);
  scratch.loopFactor = new Float64Array(n * d);
  scratch.loopLevel = new Int32Array(n * d);
  scratch.loopStart = new Int32Array(n + 1);
  scratch.group = new Float64Array(d);
}

export function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return a.length >= n ? a : new Float64Array(Math.max(n, a.length * 2));
}

export function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2));
}

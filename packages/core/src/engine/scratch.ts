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
  /**
   * Extent of each dim over the union of the tiles of a level's children: the tile below times the level's spatial
   * factor (x·y), per [level·dims + dim] (the group extent between adjacent keeping levels).
   */
  adjacent: new Float64Array(0),
  /** Active instances of each level; [levels] holds the active MAC units. */
  act: new Float64Array(0),
  /** Elements of each kept operand's tile per [level·3 + slot] (0 when not kept), from `checkMapping`. */
  tileElements: new Float64Array(0),
  /**
   * The loop walk above each child level c (−1 = the MACs) for each operand slot, per [(c + 1)·3 + slot]: tile loads,
   * distinct tiles, and the innermost relevant loop's factor, dim and level (−1: none).
   */
  walkLoads: new Float64Array(0),
  walkDistinct: new Float64Array(0),
  walkBound: new Float64Array(0),
  walkDim: new Int32Array(0),
  walkLevel: new Int32Array(0),
  /** Union extent of a group of children, per dim. */
  group: new Float64Array(0),
  /** Spatial unroll (x·y) of each level. */
  unroll: new Float64Array(0),
  /** Product of every temporal factor (compute cycles before overhead), and of those at and above the overhead level. */
  compute: 1,
  folds: 1,
  /**
   * Partial-sum width (`HardwareModel.psumBytes`) of the mapping being priced, 0 when partial sums are as wide as the
   * output; then the output's own bytes (a final value's width) and the highest level with a spatial reduction (−1:
   * none), for `widenPartialSums`.
   */
  psumBytes: 0,
  outputBytes: 0,
  reduceSpatialTop: -1,
  /** Per output pair, keyed by its parent level: the child level, and drains and read-backs on each side. */
  pairChild: new Float64Array(0),
  pairDrainsP: new Float64Array(0),
  pairRefillsP: new Float64Array(0),
  pairDrainsC: new Float64Array(0),
  pairRefillsC: new Float64Array(0),
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
  scratch.adjacent = new Float64Array(n * d);
  scratch.act = new Float64Array(n + 1);
  scratch.unroll = new Float64Array(n);
  scratch.tileElements = new Float64Array(n * 3);
  scratch.walkLoads = new Float64Array(n * 3);
  scratch.walkDistinct = new Float64Array(n * 3);
  scratch.walkBound = new Float64Array(n * 3);
  scratch.walkDim = new Int32Array(n * 3);
  scratch.walkLevel = new Int32Array(n * 3);
  scratch.group = new Float64Array(d);
  scratch.pairChild = new Float64Array(n);
  scratch.pairDrainsP = new Float64Array(n);
  scratch.pairRefillsP = new Float64Array(n);
  scratch.pairDrainsC = new Float64Array(n);
  scratch.pairRefillsC = new Float64Array(n);
}

export function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return a.length >= n ? a : new Float64Array(Math.max(n, a.length * 2));
}

export function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2));
}

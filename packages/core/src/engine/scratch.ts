import { DIM_COUNT } from '../dims.js';

/**
 * Scratch space of the loop-nest engine, shared by its stages (`checkMapping` fills the tile bounds and active
 * instances that `nestAccesses` reads). Module-level so that the hot path allocates nothing; sized from the hierarchy
 * on entry (`ensureLevels`) and from the op where it depends on extents (`growFloat`, `growBytes`), never a fixed cap.
 */
// Live bindings (module `let`s, read directly by check.ts and nest.ts): cheaper in the hot loops than properties.
export let scratchLevels = 0;
/** Cumulative tile bounds (temporal × spatial) per [level·8 + dim]. */
export let tile = new Float64Array(0);
/** Spatial factor (x·y) per [level·8 + dim]. */
export let spatial = new Float64Array(0);
/** Active instances of each level; [levels] holds the active MAC units. */
export let act = new Float64Array(0);
/** The temporal loops with a factor above 1, level by level (innermost first within a level). */
export let loopDim = new Int32Array(0);
export let loopFactor = new Float64Array(0);
export let loopLevel = new Int32Array(0);
export let loopStart = new Int32Array(0);
/** Union extent of a group of children, per dim. */
export const group = new Float64Array(DIM_COUNT);

/** Makes every per-level array hold `L` levels (grows only; a deeper hierarchy than any before allocates once). */
export function ensureLevels(L: number): void {
  if (scratchLevels >= L) return;
  const n = Math.max(L, 8) * 2;
  scratchLevels = n;
  tile = new Float64Array(n * DIM_COUNT);
  spatial = new Float64Array(n * DIM_COUNT);
  act = new Float64Array(n + 1);
  loopDim = new Int32Array(n * DIM_COUNT);
  loopFactor = new Float64Array(n * DIM_COUNT);
  loopLevel = new Int32Array(n * DIM_COUNT);
  loopStart = new Int32Array(n + 1);
}

export function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return a.length >= n ? a : new Float64Array(Math.max(n, a.length * 2));
}

export function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2));
}

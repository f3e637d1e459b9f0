import { DIM_COUNT, DIMS } from './dims.js';
import type { HardwareModel } from './hardware.js';

/**
 * Where every loop of an op runs. Flat typed arrays indexed [level·dims + dim] so the engine allocates nothing
 * (`dims` is the op's loop-dim count: 8 for the conv nest).
 * - `temporal`: loop factor at each level (the level's buffer holds the data of its own loops and everything below).
 * - `spatialX`/`spatialY`: factor unrolled across the level's fanout (to the children below it) on each axis.
 * - `order`: the temporal loops of each level, outermost first, as dim indices (a permutation of 0..dims−1).
 * - `keep`: [level·3 + slot] 1 when the level keeps the operand, 0 when it is bypassed.
 * The product over levels of temporal × spatial factors must cover each bound; a larger product is padding whose
 * iterations cost cycles and whose tiles are moved whole.
 */
export interface Mapping {
  readonly levels: number;
  /** Loop dims per level (the op's `dims.length`). */
  readonly dims: number;
  readonly temporal: Int32Array;
  readonly spatialX: Int32Array;
  readonly spatialY: Int32Array;
  readonly order: Int8Array;
  readonly keep: Uint8Array;
  /** Extra cycles charged at every iteration of the temporal loops at and above `overheadLevel` (array fill/drain). */
  overheadLevel: number;
  overheadCycles: number;
}

export function emptyMapping(levels: number, dims: number = DIM_COUNT): Mapping {
  const order = new Int8Array(levels * dims);
  for (let l = 0; l < levels; l++) for (let d = 0; d < dims; d++) order[l * dims + d] = d;
  const temporal = new Int32Array(levels * dims).fill(1);
  return {
    levels,
    dims,
    temporal,
    spatialX: new Int32Array(levels * dims).fill(1),
    spatialY: new Int32Array(levels * dims).fill(1),
    order,
    keep: new Uint8Array(levels * 3).fill(1),
    overheadLevel: levels,
    overheadCycles: 0,
  };
}

export function copyMapping(m: Mapping): Mapping {
  return {
    levels: m.levels,
    dims: m.dims,
    temporal: m.temporal.slice(),
    spatialX: m.spatialX.slice(),
    spatialY: m.spatialY.slice(),
    order: m.order.slice(),
    keep: m.keep.slice(),
    overheadLevel: m.overheadLevel,
    overheadCycles: m.overheadCycles,
  };
}

export function copyMappingInto(src: Mapping, dst: Mapping): void {
  dst.temporal.set(src.temporal);
  dst.spatialX.set(src.spatialX);
  dst.spatialY.set(src.spatialY);
  dst.order.set(src.order);
  dst.keep.set(src.keep);
  dst.overheadLevel = src.overheadLevel;
  dst.overheadCycles = src.overheadCycles;
}

/** A readable, JSON-friendly form of a mapping (for reports and `--format json`). */
/**
 * A mapping as JSON: per level (outermost first) the factors by loop-dim name, the loop order outermost first (one
 * letter per conv dim, `KCP`; names separated by spaces for other dims, `b h s`) and the operands bypassed.
 */
export interface MappingDescription {
  levels: Array<{
    level: string;
    temporal: Record<string, number>;
    spatialX: Record<string, number>;
    spatialY: Record<string, number>;
    order: string;
    bypass: string[];
  }>;
}

export function describeMapping(m: Mapping, hw: HardwareModel, slotNames: readonly string[], dimNames: readonly string[] = DIMS): MappingDescription {
  const levels: MappingDescription['levels'] = [];
  const D = m.dims;
  const letters = dimNames.every((n) => n.length === 1);
  for (let l = m.levels - 1; l >= 0; l--) {
    const pick = (a: Int32Array) => {
      const o: Record<string, number> = {};
      for (let d = 0; d < D; d++) if (a[l * D + d] > 1) o[dimNames[d]] = a[l * D + d];
      return o;
    };
    const loops: string[] = [];
    for (let i = 0; i < D; i++) {
      const d = m.order[l * D + i];
      if (m.temporal[l * D + d] > 1) loops.push(dimNames[d]);
    }
    const order = loops.join(letters ? '' : ' ');
    const bypass: string[] = [];
    for (let s = 0; s < 3; s++) if (!m.keep[l * 3 + s] && hw.levels[l].holds[s]) bypass.push(slotNames[s]);
    levels.push({ level: hw.levels[l].name, temporal: pick(m.temporal), spatialX: pick(m.spatialX), spatialY: pick(m.spatialY), order, bypass });
  }
  return { levels };
}

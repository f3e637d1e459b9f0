import { DIM_COUNT, DIMS, type Dim } from './dims.js';
import type { HardwareModel } from './hardware.js';

/**
 * Where every loop of an op runs. Flat typed arrays indexed [level·8 + dim] so the engine allocates nothing.
 * - `temporal`: loop factor at each level (the level's buffer holds the data of its own loops and everything below).
 * - `spatialX`/`spatialY`: factor unrolled across the level's fanout (to the children below it) on each axis.
 * - `order`: the temporal loops of each level, outermost first, as dim indices (a permutation of 0..7).
 * - `keep`: [level·3 + slot] 1 when the level keeps the operand, 0 when it is bypassed.
 * The product over levels of temporal × spatial factors must cover each bound; a larger product is padding whose
 * iterations cost cycles and whose tiles are moved whole.
 */
export interface Mapping {
  readonly levels: number;
  readonly temporal: Int32Array;
  readonly spatialX: Int32Array;
  readonly spatialY: Int32Array;
  readonly order: Int8Array;
  readonly keep: Uint8Array;
  /** Extra cycles charged at every iteration of the temporal loops at and above `overheadLevel` (array fill/drain). */
  overheadLevel: number;
  overheadCycles: number;
}

export function emptyMapping(levels: number): Mapping {
  const order = new Int8Array(levels * DIM_COUNT);
  for (let l = 0; l < levels; l++) for (let d = 0; d < DIM_COUNT; d++) order[l * DIM_COUNT + d] = d;
  const temporal = new Int32Array(levels * DIM_COUNT).fill(1);
  return {
    levels,
    temporal,
    spatialX: new Int32Array(levels * DIM_COUNT).fill(1),
    spatialY: new Int32Array(levels * DIM_COUNT).fill(1),
    order,
    keep: new Uint8Array(levels * 3).fill(1),
    overheadLevel: levels,
    overheadCycles: 0,
  };
}

export function copyMapping(m: Mapping): Mapping {
  return {
    levels: m.levels,
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
export interface MappingDescription {
  levels: Array<{
    level: string;
    temporal: Partial<Record<Dim, number>>;
    spatialX: Partial<Record<Dim, number>>;
    spatialY: Partial<Record<Dim, number>>;
    order: string;
    bypass: string[];
  }>;
}

export function describeMapping(m: Mapping, hw: HardwareModel, slotNames: readonly string[]): MappingDescription {
  const levels: MappingDescription['levels'] = [];
  for (let l = m.levels - 1; l >= 0; l--) {
    const pick = (a: Int32Array) => {
      const o: Partial<Record<Dim, number>> = {};
      for (let d = 0; d < DIM_COUNT; d++) if (a[l * DIM_COUNT + d] > 1) o[DIMS[d]] = a[l * DIM_COUNT + d];
      return o;
    };
    let order = '';
    for (let i = 0; i < DIM_COUNT; i++) {
      const d = m.order[l * DIM_COUNT + i];
      if (m.temporal[l * DIM_COUNT + d] > 1) order += DIMS[d];
    }
    const bypass: string[] = [];
    for (let s = 0; s < 3; s++) if (!m.keep[l * 3 + s] && hw.levels[l].holds[s]) bypass.push(slotNames[s]);
    levels.push({ level: hw.levels[l].name, temporal: pick(m.temporal), spatialX: pick(m.spatialX), spatialY: pick(m.spatialY), order, bypass });
  }
  return { levels };
}

import { DIM_COUNT, DIMS, emptyMapping, TrimUserError, type FixedMapping, type HardwareModel, type MacOp, type Mapping, type MappingReader } from '@trim-dse/core';
import { baseName } from './arch.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Timeloop's problem dimensions → TRIM's loop dims. Timeloop's CNN-layer calls the output channels M (its Conv1D
 * exercises K), pairs P with R (rows) and Q with S (columns), as `@trim-dse/workloads` reads its problems.
 */
const DIM_OF: Readonly<Record<string, number>> = { N: 0, G: 1, M: 2, K: 2, C: 3, P: 4, Q: 5, R: 6, S: 7 };
/** Timeloop's data spaces → TRIM's operand slots (weights side, inputs side, output). */
const SLOT_OF: Readonly<Record<string, number>> = { weights: 0, inputs: 1, outputs: 2 };

export interface Directive {
  readonly at: string;
  readonly target: string;
  readonly type: 'temporal' | 'spatial' | 'bypass';
  /** Factor per TRIM dim (0 = the whole problem dimension, Timeloop's `X=0`); -1 where not given. */
  readonly factors: Int32Array;
  /** TRIM dims innermost first, as written (missing dims follow, outermost). */
  readonly permutation: readonly number[];
  /** Spatial: the first `split` loops of the permutation go along x, the rest along y (default: all along x). */
  readonly split: number;
  readonly keep: readonly number[];
  readonly bypass: readonly number[];
}

function fail(path: string, at: string, why: string, fix?: string): never {
  throw new TrimUserError(`--mapping ${path}: field ${at}: ${why}`, { field: at, ...(fix ? { fix } : {}) });
}

function dimOf(name: string, path: string, at: string): number {
  const d = DIM_OF[name];
  if (d === undefined) fail(path, at, `unknown problem dimension "${name}" (known: ${Object.keys(DIM_OF).join(', ')})`);
  return d;
}

/** `R=3 P=16`, `C1 M16 R3`, as Timeloop's `ParseUserFactors` reads them. */
function parseFactors(text: string, path: string, at: string): Int32Array {
  const out = new Int32Array(DIM_COUNT).fill(-1);
  const body = text.split('#')[0];
  const re = /([A-Za-z]+)\s*=*\s*([0-9]+)(,([0-9]+))?/g;
  for (const m of body.matchAll(re)) {
    const d = dimOf(m[1], path, at);
    if (m[4] !== undefined && m[4] !== m[2]) fail(path, at, `residual factor ${m[1]}=${m[2]},${m[4]} is not supported`, 'give factors whose product is the dimension exactly');
    if (out[d] !== -1) fail(path, at, `dimension ${m[1]} given twice`);
    out[d] = Number(m[2]);
  }
  return out;
}

function parsePermutation(text: string, path: string, at: string): number[] {
  const dims: number[] = [];
  for (const ch of text.replace(/\s+/g, '')) {
    const d = dimOf(ch, path, at);
    if (dims.includes(d)) fail(path, at, `dimension ${ch} appears twice`);
    dims.push(d);
  }
  return dims;
}

function slotsOf(v: unknown, path: string, at: string): number[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, at, 'expected a list of data spaces (Weights, Inputs, Outputs)');
  return v.map((s, i) => {
    const slot = typeof s === 'string' ? SLOT_OF[s.toLowerCase()] : undefined;
    if (slot === undefined) fail(path, `${at}[${i}]`, `unknown data space ${JSON.stringify(s)} (Weights, Inputs or Outputs)`);
    return slot;
  });
}

function parseDirectives(data: unknown, path: string): Directive[] {
  const list = isRecord(data) ? data.mapping : undefined;
  if (!Array.isArray(list)) fail(path, 'mapping', 'expected a list of directives (target, type, factors, permutation)');
  return list.map((raw, i): Directive => {
    const at = `mapping[${i}]`;
    if (!isRecord(raw)) fail(path, at, 'expected a directive');
    if (typeof raw.target !== 'string') fail(path, `${at}.target`, 'expected the name of a storage level');
    const type = raw.type === 'datatype' ? 'bypass' : raw.type;
    if (type !== 'temporal' && type !== 'spatial' && type !== 'bypass') fail(path, `${at}.type`, `expected temporal, spatial or bypass, got ${JSON.stringify(raw.type)}`);
    const factors = typeof raw.factors === 'string' ? parseFactors(raw.factors, path, `${at}.factors`) : new Int32Array(DIM_COUNT).fill(-1);
    if (raw.factors !== undefined && typeof raw.factors !== 'string') fail(path, `${at}.factors`, 'expected a string such as "R=3 P=16"');
    const permutation = typeof raw.permutation === 'string' ? parsePermutation(raw.permutation, path, `${at}.permutation`) : [];
    const split = raw.split === undefined ? DIM_COUNT : raw.split;
    if (typeof split !== 'number' || !Number.isInteger(split) || split < 0) fail(path, `${at}.split`, 'expected a non-negative integer');
    return { at, target: baseName(raw.target), type, factors, permutation, split, keep: slotsOf(raw.keep, path, `${at}.keep`), bypass: slotsOf(raw.bypass, path, `${at}.bypass`) };
  });
}

/** The directive's permutation completed with the dims it omits (Timeloop appends them outermost). */
function fullPermutation(p: readonly number[]): number[] {
  const out = [...p];
  for (let d = 0; d < DIM_COUNT; d++) if (!out.includes(d)) out.push(d);
  return out;
}

/** The TRIM mapping of a Timeloop mapping for one op on one hardware model (levels matched by name). */
export function timeloopMapping(directives: readonly Directive[], op: MacOp, hw: HardwareModel, path: string): Mapping {
  const L = hw.levels.length;
  const m = emptyMapping(L);
  // A level keeps what it can hold unless a bypass directive says otherwise (a level the architecture constraints
  // make bypass an operand cannot hold it: Timeloop's map.yaml need not repeat those).
  for (let l = 0; l < L; l++) for (let s = 0; s < 3; s++) m.keep[l * 3 + s] = hw.levels[l].holds[s] ? 1 : 0;
  for (const d of directives) {
    const l = hw.levels.findIndex((lv) => lv.name === d.target);
    if (l < 0) fail(path, `${d.at}.target`, `"${d.target}" is not a storage level of ${hw.name} (levels: ${hw.levels.map((x) => x.name).join(', ')})`);
    const base = l * DIM_COUNT;
    if (d.type === 'bypass') {
      for (const s of d.keep) m.keep[l * 3 + s] = 1;
      for (const s of d.bypass) m.keep[l * 3 + s] = 0;
      continue;
    }
    const perm = fullPermutation(d.permutation);
    perm.forEach((dim, i) => {
      const given = d.factors[dim];
      const f = given === -1 ? 1 : given === 0 ? op.bounds[dim] : given;
      if (d.type === 'temporal') m.temporal[base + dim] = f;
      else if (i < d.split) m.spatialX[base + dim] = f;
      else m.spatialY[base + dim] = f;
    });
    if (d.type === 'temporal') {
      // TRIM's order is outermost first; Timeloop's permutation innermost first.
      for (let i = 0; i < DIM_COUNT; i++) m.order[base + i] = perm[DIM_COUNT - 1 - i];
    }
  }
  // Timeloop requires the factors of each dimension to multiply to the dimension exactly.
  for (let dim = 0; dim < DIM_COUNT; dim++) {
    let product = 1;
    for (let l = 0; l < L; l++) product *= m.temporal[l * DIM_COUNT + dim] * m.spatialX[l * DIM_COUNT + dim] * m.spatialY[l * DIM_COUNT + dim];
    if (product !== op.bounds[dim]) {
      fail(path, 'mapping', `the factors of dimension ${DIMS[dim]} multiply to ${product}, not layer ${op.name}'s ${op.bounds[dim]}`, 'give factors whose product is each problem dimension (the mapping must be for this problem and batch)');
    }
  }
  return m;
}

/** Reads Timeloop's `map.yaml` (as timeloop-mapper writes it, or by hand): one mapping for every op. */
export const timeloopMapReader: MappingReader = {
  kind: 'mapping-reader',
  name: 'timeloop-map',
  description: "Timeloop's map.yaml: per storage level, temporal and spatial factors, permutations innermost first, bypass",
  accepts: (data) => isRecord(data) && Array.isArray(data.mapping) && data.mapping.every((d) => isRecord(d) && typeof d.target === 'string' && typeof d.type === 'string'),
  read(data: unknown, path: string): FixedMapping {
    const directives = parseDirectives(data, path);
    return { mappingFor: (op, hw) => timeloopMapping(directives, op, hw, path) };
  },
};

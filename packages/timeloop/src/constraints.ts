import { DIM_COUNT, readYamlFile, TrimUserError } from '@trim-dse/core';
import { baseName } from './arch.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Timeloop's problem dimensions → TRIM's loop dims (M is Timeloop's output channels, K in its Conv1D exercises). */
const DIM_OF: Readonly<Record<string, number>> = { N: 0, G: 1, M: 2, K: 2, C: 3, P: 4, Q: 5, R: 6, S: 7 };
const SLOT_OF: Readonly<Record<string, number>> = { weights: 0, inputs: 1, outputs: 2 };
const DIM_NAME = ['N', 'G', 'M', 'C', 'P', 'Q', 'R', 'S'];
const SLOT_NAME = ['Weights', 'Inputs', 'Outputs'];

/** One `architecture_constraints` target as written (levels by name; dims as TRIM indices). */
export interface ConstraintTarget {
  readonly at: string;
  readonly target: string;
  readonly type: 'temporal' | 'spatial' | 'bypass';
  /** Required factor per dim: -1 free, 0 the whole dimension (Timeloop's `X=0`), else that factor. */
  readonly factors: Int32Array;
  /** Dims innermost first, as written. */
  readonly permutation: readonly number[];
  /** Spatial: the first `split` dims of the permutation lie along x, the rest along y (-1 when not given). */
  readonly split: number;
  readonly keep: readonly number[];
  readonly bypass: readonly number[];
}

/**
 * A Timeloop architecture's constraints compiled against its levels (innermost first), flat so the template's rule
 * check allocates nothing: per [level·8 + dim] the required temporal and spatial factor (-1 free, 0 the whole dim),
 * the axis a spatial factor must lie on (-1 either, 0 x, 1 y) and the temporal permutation rank (0 innermost, -1 not
 * listed: Timeloop puts unlisted dims outside the listed ones); per [level·3 + slot] whether the operand must be kept
 * (1), bypassed (0) or either (-1). `reason*` hold the sentences of each violation, built once here.
 */
export interface ArchConstraints {
  readonly levels: number;
  readonly temporal: Int32Array;
  readonly spatial: Int32Array;
  readonly axis: Int8Array;
  readonly rank: Int8Array;
  readonly keep: Int8Array;
  readonly reasonTemporal: readonly string[];
  readonly reasonSpatial: readonly string[];
  readonly reasonAxis: readonly string[];
  readonly reasonOrder: readonly string[];
  readonly reasonKeep: readonly string[];
  /** The file they came from (for reports). */
  readonly file: string;
}

function fail(file: string, at: string, why: string, fix?: string): never {
  throw new TrimUserError(`constraints ${file}: field ${at}: ${why}`, { field: at, ...(fix ? { fix } : {}) });
}

function dimOf(name: string, file: string, at: string): number {
  const d = DIM_OF[name];
  if (d === undefined) fail(file, at, `unknown problem dimension "${name}" (known: ${Object.keys(DIM_OF).join(', ')})`);
  return d;
}

function parseFactors(text: string, file: string, at: string): Int32Array {
  const out = new Int32Array(DIM_COUNT).fill(-1);
  for (const m of text.split('#')[0].matchAll(/([A-Za-z]+)\s*=*\s*([0-9]+)/g)) out[dimOf(m[1], file, at)] = Number(m[2]);
  return out;
}

function slotsOf(v: unknown, file: string, at: string): number[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(file, at, 'expected a list of data spaces (Weights, Inputs, Outputs)');
  return v.map((s, i) => {
    const slot = typeof s === 'string' ? SLOT_OF[s.toLowerCase()] : undefined;
    if (slot === undefined) fail(file, `${at}[${i}]`, `unknown data space ${JSON.stringify(s)} (Weights, Inputs or Outputs)`);
    return slot;
  });
}

/**
 * The architecture constraints of a Timeloop constraints document: `architecture_constraints.targets` (or
 * `constraints.targets`, Timeloop v0.2's name). `mapspace_constraints` are search hints, not hardware facts: the
 * template ignores them (`mapspaceTargets` reads them for a mapper that wants them).
 */
export function parseConstraintTargets(doc: unknown, file: string, key: 'architecture_constraints' | 'mapspace_constraints' = 'architecture_constraints'): ConstraintTarget[] {
  const root = isRecord(doc) ? (doc[key] ?? (key === 'architecture_constraints' ? doc.constraints : undefined)) : undefined;
  if (root === undefined) return [];
  const list = isRecord(root) ? root.targets : undefined;
  if (!Array.isArray(list)) fail(file, `${key}.targets`, 'expected a list of targets (target, type, factors, permutation, keep, bypass)');
  return list.map((raw, i): ConstraintTarget => {
    const at = `${key}.targets[${i}]`;
    if (!isRecord(raw) || typeof raw.target !== 'string') fail(file, `${at}.target`, 'expected the name of a storage level');
    const type = raw.type === 'datatype' ? 'bypass' : raw.type;
    if (type !== 'temporal' && type !== 'spatial' && type !== 'bypass') fail(file, `${at}.type`, `expected temporal, spatial or bypass, got ${JSON.stringify(raw.type)}`);
    if (raw.factors !== undefined && typeof raw.factors !== 'string') fail(file, `${at}.factors`, 'expected a string such as "R=3 P=1"');
    const factors = typeof raw.factors === 'string' ? parseFactors(raw.factors, file, `${at}.factors`) : new Int32Array(DIM_COUNT).fill(-1);
    const permutation: number[] = [];
    if (raw.permutation !== undefined) {
      if (typeof raw.permutation !== 'string') fail(file, `${at}.permutation`, 'expected a string of dimensions, innermost first');
      for (const ch of raw.permutation.replace(/\s+/g, '')) {
        const d = dimOf(ch, file, `${at}.permutation`);
        if (permutation.includes(d)) fail(file, `${at}.permutation`, `dimension ${ch} appears twice`);
        permutation.push(d);
      }
    }
    const split = raw.split === undefined ? -1 : raw.split;
    if (typeof split !== 'number' || !Number.isInteger(split) || split < -1) fail(file, `${at}.split`, 'expected a non-negative integer');
    return { at, target: baseName(raw.target), type, factors, permutation, split, keep: slotsOf(raw.keep, file, `${at}.keep`), bypass: slotsOf(raw.bypass, file, `${at}.bypass`) };
  });
}

/** Reads a constraints file (YAML) into its architecture targets. */
export function readConstraintTargets(file: string): ConstraintTarget[] {
  return parseConstraintTargets(readYamlFile(file), file);
}

/**
 * Compiles constraint targets against the level names (innermost first). A target naming no level is a user error
 * (a typo would silently lift a hardware limit).
 */
export function compileConstraints(targets: readonly ConstraintTarget[], levelNames: readonly string[], file: string): ArchConstraints {
  const L = levelNames.length;
  const temporal = new Int32Array(L * DIM_COUNT).fill(-1);
  const spatial = new Int32Array(L * DIM_COUNT).fill(-1);
  const axis = new Int8Array(L * DIM_COUNT).fill(-1);
  const rank = new Int8Array(L * DIM_COUNT).fill(-1);
  const keep = new Int8Array(L * 3).fill(-1);
  const reasonTemporal: string[] = [];
  const reasonSpatial: string[] = [];
  const reasonAxis: string[] = [];
  const reasonOrder: string[] = [];
  const reasonKeep: string[] = [];
  for (const t of targets) {
    const l = levelNames.indexOf(t.target);
    if (l < 0) fail(file, `${t.at}.target`, `"${t.target}" is not a storage level of the architecture (levels: ${levelNames.join(', ')})`);
    const base = l * DIM_COUNT;
    if (t.type === 'bypass') {
      for (const s of t.keep) keep[l * 3 + s] = 1;
      for (const s of t.bypass) keep[l * 3 + s] = 0;
      continue;
    }
    const into = t.type === 'temporal' ? temporal : spatial;
    for (let d = 0; d < DIM_COUNT; d++) if (t.factors[d] !== -1) into[base + d] = t.factors[d];
    if (t.type === 'temporal') {
      t.permutation.forEach((d, i) => {
        rank[base + d] = i;
      });
    } else if (t.permutation.length > 0) {
      // Timeloop: the first `split` dims of a spatial permutation go along x, the rest along y (default all along x).
      const split = t.split === -1 ? t.permutation.length : t.split;
      t.permutation.forEach((d, i) => {
        axis[base + d] = i < split ? 0 : 1;
      });
    }
  }
  for (let l = 0; l < L; l++) {
    const lv = levelNames[l];
    for (let d = 0; d < DIM_COUNT; d++) {
      const i = l * DIM_COUNT + d;
      const dim = DIM_NAME[d];
      const f = (v: number) => (v === 0 ? `the whole of ${dim}` : `${dim} = ${v}`);
      reasonTemporal[i] = `Timeloop architecture constraint (${file}): ${lv}'s temporal loops allow only ${f(temporal[i])}`;
      reasonSpatial[i] = `Timeloop architecture constraint (${file}): ${lv}'s spatial fanout allows only ${f(spatial[i])}`;
      reasonAxis[i] = `Timeloop architecture constraint (${file}): ${lv} unrolls ${dim} only along ${axis[i] === 0 ? 'x' : 'y'}`;
      const listed: string[] = [];
      for (let k = 0; k < DIM_COUNT; k++) {
        const r = rank[l * DIM_COUNT + k];
        if (r >= 0) listed[r] = DIM_NAME[k];
      }
      reasonOrder[i] = `Timeloop architecture constraint (${file}): ${lv}'s loop order must be ${listed.filter(Boolean).join('')} innermost first (unlisted dims outside), ${dim} is out of place`;
    }
    for (let s = 0; s < 3; s++) {
      reasonKeep[l * 3 + s] = `Timeloop architecture constraint (${file}): ${lv} must ${keep[l * 3 + s] === 1 ? 'keep' : 'bypass'} ${SLOT_NAME[s]}`;
    }
  }
  return { levels: L, temporal, spatial, axis, rank, keep, reasonTemporal, reasonSpatial, reasonAxis, reasonOrder, reasonKeep, file };
}

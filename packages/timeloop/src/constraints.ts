import { DIM_COUNT, readYamlFile } from '@trim-dse/core';
import { type Directive, fail, isRecord, parseDirectives } from './directives.js';

const DIM_NAME = ['N', 'G', 'M', 'C', 'P', 'Q', 'R', 'S'];
const SLOT_NAME = ['Weights', 'Inputs', 'Outputs'];

/** One `architecture_constraints` target as written (Timeloop's directive grammar; levels by name, dims as TRIM indices, `split` -1 when not given). */
export type ConstraintTarget = Directive;

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

/**
 * The architecture constraints of a Timeloop constraints document: `architecture_constraints.targets` (or
 * `constraints.targets`, Timeloop v0.2's name). `mapspace_constraints` are search hints, not hardware facts: the
 * template ignores them (`mapspaceTargets` reads them for a mapper that wants them).
 */
export function parseConstraintTargets(doc: unknown, file: string, key: 'architecture_constraints' | 'mapspace_constraints' = 'architecture_constraints'): ConstraintTarget[] {
  const root = isRecord(doc) ? (doc[key] ?? (key === 'architecture_constraints' ? doc.constraints : undefined)) : undefined;
  if (root === undefined) return [];
  return parseDirectives(isRecord(root) ? root.targets : undefined, { what: `constraints ${file}`, defaultSplit: -1 }, `${key}.targets`);
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
    if (l < 0) fail({ what: `constraints ${file}` }, `${t.at}.target`, `"${t.target}" is not a storage level of the architecture (levels: ${levelNames.join(', ')})`);
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

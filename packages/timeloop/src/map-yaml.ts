import { DIM_COUNT, DIMS, emptyMapping, type FixedMapping, type HardwareModel, type MacOp, type Mapping, type MappingReader } from '@trim-dse/core';
import { type Directive, type DirectiveSource, fail, isRecord, parseDirectives } from './directives.js';

export type { Directive } from './directives.js';

/** Errors of a map.yaml name the `--mapping` file; a directive without `split` puts every spatial loop along x. */
const source = (path: string): DirectiveSource => ({ what: `--mapping ${path}`, defaultSplit: DIM_COUNT });

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
    if (l < 0) fail(source(path), `${d.at}.target`, `"${d.target}" is not a storage level of ${hw.name} (levels: ${hw.levels.map((x) => x.name).join(', ')})`);
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
      fail(source(path), 'mapping', `the factors of dimension ${DIMS[dim]} multiply to ${product}, not layer ${op.name}'s ${op.bounds[dim]}`, 'give factors whose product is each problem dimension (the mapping must be for this problem and batch)');
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
    const directives = parseDirectives(isRecord(data) ? data.mapping : undefined, source(path), 'mapping');
    return { mappingFor: (op, hw) => timeloopMapping(directives, op, hw, path) };
  },
};

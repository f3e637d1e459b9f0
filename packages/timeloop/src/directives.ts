import { DIM_COUNT, TrimUserError } from '@trim-dse/core';
import { baseName } from './arch.js';

type Rec = Record<string, unknown>;
export const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Timeloop's problem dimensions → TRIM's loop dims. Timeloop's CNN-layer calls the output channels M (its Conv1D
 * exercises K), pairs P with R (rows) and Q with S (columns), as `@trim-dse/workloads` reads its problems.
 */
const DIM_OF: Readonly<Record<string, number>> = { N: 0, G: 1, M: 2, K: 2, C: 3, P: 4, Q: 5, R: 6, S: 7 };
/** Timeloop's data spaces → TRIM's operand slots (weights side, inputs side, output). */
const SLOT_OF: Readonly<Record<string, number>> = { weights: 0, inputs: 1, outputs: 2 };

/**
 * One directive of Timeloop's shared grammar: a `map.yaml` mapping entry and a constraints target are both
 * `{ target, type, factors, permutation, split, keep, bypass }` (Timeloop parses both with its `ParseUserFactors` and
 * permutation readers).
 */
export interface Directive {
  readonly at: string;
  readonly target: string;
  readonly type: 'temporal' | 'spatial' | 'bypass';
  /** Factor per TRIM dim (0 = the whole problem dimension, Timeloop's `X=0`); -1 where not given. */
  readonly factors: Int32Array;
  /** TRIM dims innermost first, as written (missing dims follow, outermost). */
  readonly permutation: readonly number[];
  /** Spatial: the first `split` loops of the permutation go along x, the rest along y (`defaultSplit` when not given). */
  readonly split: number;
  readonly keep: readonly number[];
  readonly bypass: readonly number[];
}

/** Where directives come from, for error lines: `--mapping m.yaml`, `constraints c.yaml`. */
export interface DirectiveSource {
  readonly what: string;
  /** `split` when a directive gives none. */
  readonly defaultSplit: number;
}

export function fail(src: Pick<DirectiveSource, 'what'>, at: string, why: string, fix?: string): never {
  throw new TrimUserError(`${src.what}: field ${at}: ${why}`, { field: at, ...(fix ? { fix } : {}) });
}

function dimOf(name: string, src: DirectiveSource, at: string): number {
  const d = DIM_OF[name];
  if (d === undefined) fail(src, at, `unknown problem dimension "${name}" (known: ${Object.keys(DIM_OF).join(', ')})`);
  return d;
}

/** `R=3 P=16`, `C1 M16 R3`, as Timeloop's `ParseUserFactors` reads them. */
function parseFactors(text: string, src: DirectiveSource, at: string): Int32Array {
  const out = new Int32Array(DIM_COUNT).fill(-1);
  const re = /([A-Za-z]+)\s*=*\s*([0-9]+)(,([0-9]+))?/g;
  for (const m of text.split('#')[0].matchAll(re)) {
    const d = dimOf(m[1], src, at);
    if (m[4] !== undefined && m[4] !== m[2]) fail(src, at, `residual factor ${m[1]}=${m[2]},${m[4]} is not supported`, 'give factors whose product is the dimension exactly');
    if (out[d] !== -1) fail(src, at, `dimension ${m[1]} given twice`);
    out[d] = Number(m[2]);
  }
  return out;
}

function parsePermutation(text: string, src: DirectiveSource, at: string): number[] {
  const dims: number[] = [];
  for (const ch of text.replace(/\s+/g, '')) {
    const d = dimOf(ch, src, at);
    if (dims.includes(d)) fail(src, at, `dimension ${ch} appears twice`);
    dims.push(d);
  }
  return dims;
}

function slotsOf(v: unknown, src: DirectiveSource, at: string): number[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(src, at, 'expected a list of data spaces (Weights, Inputs, Outputs)');
  return v.map((s, i) => {
    const slot = typeof s === 'string' ? SLOT_OF[s.toLowerCase()] : undefined;
    if (slot === undefined) fail(src, `${at}[${i}]`, `unknown data space ${JSON.stringify(s)} (Weights, Inputs or Outputs)`);
    return slot;
  });
}

/** A list of directives (`list` as read from YAML; `at` names it in errors, e.g. `mapping`). */
export function parseDirectives(list: unknown, src: DirectiveSource, at: string): Directive[] {
  if (!Array.isArray(list)) fail(src, at, 'expected a list of directives (target, type, factors, permutation, keep, bypass)');
  return list.map((raw, i): Directive => {
    const here = `${at}[${i}]`;
    if (!isRecord(raw) || typeof raw.target !== 'string') fail(src, `${here}.target`, 'expected the name of a storage level');
    const type = raw.type === 'datatype' ? 'bypass' : raw.type;
    if (type !== 'temporal' && type !== 'spatial' && type !== 'bypass') fail(src, `${here}.type`, `expected temporal, spatial or bypass, got ${JSON.stringify(raw.type)}`);
    if (raw.factors !== undefined && typeof raw.factors !== 'string') fail(src, `${here}.factors`, 'expected a string such as "R=3 P=16"');
    const factors = typeof raw.factors === 'string' ? parseFactors(raw.factors, src, `${here}.factors`) : new Int32Array(DIM_COUNT).fill(-1);
    if (raw.permutation !== undefined && typeof raw.permutation !== 'string') fail(src, `${here}.permutation`, 'expected a string of dimensions, innermost first');
    const permutation = typeof raw.permutation === 'string' ? parsePermutation(raw.permutation, src, `${here}.permutation`) : [];
    const split = raw.split === undefined ? src.defaultSplit : raw.split;
    if (typeof split !== 'number' || !Number.isInteger(split) || split < Math.min(0, src.defaultSplit)) fail(src, `${here}.split`, 'expected a non-negative integer');
    return { at: here, target: baseName(raw.target), type, factors, permutation, split, keep: slotsOf(raw.keep, src, `${here}.keep`), bypass: slotsOf(raw.bypass, src, `${here}.bypass`) };
  });
}

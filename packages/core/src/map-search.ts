import { TrimUserError } from './errors.js';
import type { Mapping } from './mapping.js';

/**
 * How a mapspace is searched (Timeloop's split: the dataflow's mapspace says what is allowed, the mapper how it
 * is walked). `exhaustive` prices every candidate the mapspace allows; `beam` builds tilings level by level from
 * the innermost, keeping the best few partial tilings (widths 1, 2, 4, … while the budget lasts: an answer exists
 * after the first pass, so a budget stops it anywhere with the best found so far); `auto` is exhaustive on
 * hierarchies with at most `AUTO_EXHAUSTIVE_TILED_LEVELS` tiled levels below the backing store and beam on deeper
 * ones, where the exhaustive space grows as (candidates per level)^levels.
 */
export const MAPPER_MODES = ['auto', 'exhaustive', 'beam'] as const;
export type MapperMode = (typeof MAPPER_MODES)[number];

export interface MapSearch {
  readonly mode: MapperMode;
  /** Candidates priced per op and dataflow at most (Infinity: no limit). Reaching it ends the search with the best so far. */
  readonly budget: number;
}

export const DEFAULT_MAP_SEARCH: MapSearch = { mode: 'auto', budget: Infinity };

/** A run's mapper settings as plain data (a results-file header, a worker job): no budget is an absent field. */
export interface MapperSetting {
  readonly mode: MapperMode;
  readonly budget?: number;
}

/** The mapper settings of a request, checked: one line naming the field when a value is not usable. */
export function checkMapSearch(mode: unknown, budget: unknown, field = '--mapper'): MapSearch {
  if (mode !== undefined && !(typeof mode === 'string' && (MAPPER_MODES as readonly string[]).includes(mode))) {
    throw new TrimUserError(`${field} ${String(mode)}: not a mapper (known: ${MAPPER_MODES.join(', ')})`, { field, fix: `use one of ${MAPPER_MODES.join(', ')}` });
  }
  if (budget !== undefined && !(typeof budget === 'number' && Number.isSafeInteger(budget) && budget >= 1)) {
    throw new TrimUserError(`${field}-budget ${String(budget)}: expected a positive whole number of candidates`, { field: `${field}-budget`, fix: 'give the most candidates to price per layer and dataflow, e.g. 20000' });
  }
  return { mode: (mode as MapperMode | undefined) ?? DEFAULT_MAP_SEARCH.mode, budget: (budget as number | undefined) ?? DEFAULT_MAP_SEARCH.budget };
}

/** The plain-data form of a run's mapper, or undefined for the default (so runs that never name one keep their run id). */
export function mapperSetting(s: MapSearch): MapperSetting | undefined {
  if (s.mode === DEFAULT_MAP_SEARCH.mode && s.budget === DEFAULT_MAP_SEARCH.budget) return undefined;
  return { mode: s.mode, ...(Number.isFinite(s.budget) ? { budget: s.budget } : {}) };
}

/**
 * `auto` searches exhaustively up to this many tiled levels (every built-in architecture has two: a PE register
 * level and a global buffer over DRAM, where exhaustive search takes tens of milliseconds per layer). One level
 * more multiplies the space by the candidates of a level (thousands): 3.8 s per ResNet-18 layer at three, minutes at
 * four (measured, docs/benchmarks.md).
 */
export const AUTO_EXHAUSTIVE_TILED_LEVELS = 2;

/** The widest beam `beam` tries (it doubles from 1 while the budget lasts). */
export const MAX_BEAM_WIDTH = 16;

/**
 * What `emit` returns to a mapspace: the candidate's rank under the run's goal (lower is better; Infinity when
 * illegal). A mapspace may ignore it; `beam` ranks partial tilings by it. A caller that prices nothing (a test
 * collecting the candidates) may return nothing: every candidate then ranks equal.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a caller that prices nothing returns nothing (`(m) => void` must fit).
export type Emit = (m: Mapping) => number | void;

/**
 * The best `width` candidates of one beam step, by rank: temporal factors copied into one preallocated buffer
 * (sized from the problem: levels × dims × the widest beam), duplicates dropped.
 */
export class BeamStep {
  readonly temporal: Int32Array;
  readonly rank: Float64Array;
  size = 0;
  private width = 1;

  constructor(private readonly stride: number, maxWidth: number) {
    this.temporal = new Int32Array(stride * maxWidth);
    this.rank = new Float64Array(maxWidth);
  }

  reset(width: number): void {
    this.size = 0;
    this.width = width;
  }

  /** Offers a candidate: kept when the step has room or it ranks above the worst kept. */
  // biome-ignore lint/suspicious/noConfusingVoidType: takes what `Emit` returns, nothing included.
  offer(temporal: Int32Array, ranked: number | void): void {
    const rank = ranked ?? 0;
    if (!(rank < Infinity)) return;
    let slot: number;
    if (this.size < this.width) slot = this.size;
    else {
      slot = 0;
      for (let i = 1; i < this.size; i++) if (this.rank[i] > this.rank[slot]) slot = i;
      if (rank >= this.rank[slot]) return;
    }
    if (this.holds(temporal)) return;
    this.temporal.set(temporal, slot * this.stride);
    this.rank[slot] = rank;
    if (slot === this.size) this.size++;
  }

  private holds(temporal: Int32Array): boolean {
    const n = this.stride;
    outer: for (let i = 0; i < this.size; i++) {
      const base = i * n;
      for (let j = 0; j < n; j++) if (this.temporal[base + j] !== temporal[j]) continue outer;
      return true;
    }
    return false;
  }
}

import type { SearchPoint, SearchSpaceView } from '../plugin.js';
import { ParetoArchive } from './pareto.js';
import type { Rng } from './rng.js';

/** Helpers for search strategies: point ↔ index over a space's sizes (last dimension fastest, as the explorer). */
export class PointCodec {
  readonly size: number;
  private readonly strides: number[];

  constructor(readonly sizes: readonly number[]) {
    this.strides = new Array<number>(sizes.length);
    let s = 1;
    for (let i = sizes.length - 1; i >= 0; i--) {
      this.strides[i] = s;
      s *= sizes[i];
    }
    this.size = s;
  }

  index(point: SearchPoint): number {
    let idx = 0;
    for (let i = 0; i < this.sizes.length; i++) idx += point[i] * this.strides[i];
    return idx;
  }

  point(index: number): number[] {
    return this.strides.map((s, i) => Math.floor(index / s) % this.sizes[i]);
  }
}

/**
 * Sampling without replacement from 0..n−1 in a seeded order, with memory proportional to the draws (a lazy
 * Fisher–Yates shuffle: only swapped positions are stored).
 */
export class LazyShuffle {
  private readonly swapped = new Map<number, number>();
  private drawn = 0;

  constructor(
    readonly n: number,
    private readonly rng: Rng,
  ) {}

  get remaining(): number {
    return this.n - this.drawn;
  }

  /** The next index, or −1 when all were drawn. */
  next(): number {
    if (this.drawn >= this.n) return -1;
    const i = this.drawn++;
    const j = i + this.rng.int(this.n - i);
    const vi = this.swapped.get(i) ?? i;
    const vj = this.swapped.get(j) ?? j;
    this.swapped.set(j, vi);
    this.swapped.delete(i);
    return vj;
  }
}

/** What every strategy keeps: the points told (by index), their first objective, and the Pareto front. */
export class SearchArchive {
  readonly codec: PointCodec;
  readonly told = new Map<number, number>();
  private readonly pareto = new ParetoArchive<SearchPoint>();

  constructor(space: SearchSpaceView) {
    this.codec = new PointCodec(space.sizes);
  }

  record(point: SearchPoint, objectives: readonly number[]): void {
    const idx = this.codec.index(point);
    if (!this.told.has(idx)) this.told.set(idx, objectives[0]);
    this.pareto.add(objectives, point.slice());
  }

  front(): Array<{ point: SearchPoint; objectives: readonly number[] }> {
    return this.pareto.front().map((e) => ({ point: e.item, objectives: e.objectives }));
  }

  /** The lowest first objective told so far, with its point. */
  best(): { point: SearchPoint; score: number } | undefined {
    const b = this.pareto.best();
    return b ? { point: b.item, score: b.objectives[0] } : undefined;
  }
}

/** Default budget of the heuristic searches: a quarter of the space, at least 64 points (all of a small space). */
export function heuristicBudget(size: number): number {
  return Math.min(size, Math.max(64, Math.ceil(size / 4)));
}

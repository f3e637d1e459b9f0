import { createRng, LazyShuffle, SearchArchive, type SearchPoint, type SearchSpaceView, type SearchStrategy } from '@trim-dse/core';
import type { AnnealConfig } from './schema.js';

/**
 * Simulated annealing on the goal (first objective) with a geometric cooling schedule over the budget. Each step
 * proposes a few unvisited neighbours of the current point (one parameter moved, mostly to an adjacent value); they
 * are accepted or not in the order asked (Metropolis rule on the log of the score, so the temperature is
 * scale-free). When the neighbourhood is exhausted it jumps to an unvisited random point.
 */
export function annealStrategy(space: SearchSpaceView, seed: number, budget: number, config: AnnealConfig): SearchStrategy {
  const archive = new SearchArchive(space);
  const codec = archive.codec;
  const rng = createRng(seed);
  const jumps = new LazyShuffle(codec.size, rng);
  const dims = space.sizes.length;
  const proposed = new Set<number>();
  let current: { point: SearchPoint; score: number } | undefined;
  let steps = 0;

  const randomUnproposed = (): SearchPoint | undefined => {
    for (;;) {
      const i = jumps.next();
      if (i < 0) return undefined;
      if (!proposed.has(i)) return codec.point(i);
    }
  };

  const neighbour = (from: SearchPoint): number[] | undefined => {
    const movable: number[] = [];
    for (let d = 0; d < dims; d++) if (space.sizes[d] > 1) movable.push(d);
    if (movable.length === 0) return undefined;
    const p = from.slice();
    const d = movable[rng.int(movable.length)];
    const n = space.sizes[d];
    if (rng.chance(0.8)) p[d] = Math.min(n - 1, Math.max(0, p[d] + (rng.chance(0.5) ? 1 : -1) * (rng.chance(0.8) ? 1 : 2)));
    else p[d] = rng.int(n);
    return p;
  };

  const temperature = (): number => {
    const t = Math.min(1, steps / Math.max(1, budget));
    return config.initialTemperature * (config.finalTemperature / config.initialTemperature) ** t;
  };

  return {
    ask(count: number): SearchPoint[] {
      const out: SearchPoint[] = [];
      const add = (p: SearchPoint) => {
        proposed.add(codec.index(p));
        out.push(p);
      };
      const want = Math.min(count, current ? config.neighbours : 1);
      if (current) {
        for (let tries = 0; out.length < want && tries < want * 30; tries++) {
          const p = neighbour(current.point);
          if (p && !proposed.has(codec.index(p))) add(p);
        }
      }
      while (out.length < want) {
        const p = randomUnproposed();
        if (!p) break;
        add(p);
      }
      return out;
    },
    tell(point, objectives) {
      archive.record(point, objectives);
      steps++;
      const score = objectives[0];
      if (!current || !Number.isFinite(current.score)) {
        if (!current || Number.isFinite(score)) current = { point: point.slice(), score };
        return;
      }
      if (!Number.isFinite(score)) return;
      const delta = Math.log(score) - Math.log(current.score);
      if (delta <= 0 || rng.next() < Math.exp(-delta / temperature())) current = { point: point.slice(), score };
    },
    front: () => archive.front(),
  };
}

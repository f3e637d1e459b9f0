import { createRng, LazyShuffle, SearchArchive, type SearchPoint, type SearchSpaceView, type SearchStrategy } from '@trim-dse/core';
import type { GeneticConfig } from './schema.js';

interface Scored {
  readonly point: SearchPoint;
  readonly index: number;
  readonly score: number;
}

/**
 * An elitist (μ + λ) genetic algorithm over parameter indices: each generation breeds `population` new points from
 * the best `population` points seen so far (tournament selection, uniform crossover, mutation that mostly steps to
 * a neighbouring value). It never proposes a point twice; random immigrants fill a generation when breeding keeps
 * finding known points. Selection uses the goal (first objective); the Pareto front of everything told is kept.
 */
export function geneticStrategy(space: SearchSpaceView, seed: number, config: GeneticConfig): SearchStrategy {
  const archive = new SearchArchive(space);
  const codec = archive.codec;
  const rng = createRng(seed);
  const immigrants = new LazyShuffle(codec.size, rng);
  const dims = space.sizes.length;
  const mutationRate = config.mutationRate ?? 1 / Math.max(1, dims);
  const proposed = new Set<number>();
  const scored: Scored[] = [];
  let queue: SearchPoint[] = [];

  const randomUnproposed = (): SearchPoint | undefined => {
    for (;;) {
      const i = immigrants.next();
      if (i < 0) return undefined;
      if (!proposed.has(i)) return codec.point(i);
    }
  };

  const elite = (): Scored[] =>
    [...scored].sort((a, b) => a.score - b.score || a.index - b.index).slice(0, config.population);

  const pick = (pool: Scored[]): Scored => {
    let best = pool[rng.int(pool.length)];
    for (let t = 1; t < config.tournament; t++) {
      const c = pool[rng.int(pool.length)];
      if (c.score < best.score || (c.score === best.score && c.index < best.index)) best = c;
    }
    return best;
  };

  const mutate = (p: number[]): void => {
    for (let d = 0; d < dims; d++) {
      const n = space.sizes[d];
      if (n < 2 || !rng.chance(mutationRate)) continue;
      if (rng.chance(0.75)) {
        const step = rng.chance(0.5) ? 1 : -1;
        p[d] = Math.min(n - 1, Math.max(0, p[d] + step));
      } else p[d] = rng.int(n);
    }
  };

  const breed = (): SearchPoint[] => {
    const out: SearchPoint[] = [];
    const add = (p: SearchPoint) => {
      proposed.add(codec.index(p));
      out.push(p);
    };
    if (scored.length === 0) {
      while (out.length < config.population) {
        const p = randomUnproposed();
        if (!p) break;
        add(p);
      }
      return out;
    }
    const pool = elite();
    for (let tries = 0; out.length < config.population && tries < config.population * 20; tries++) {
      const a = pick(pool).point;
      const b = pick(pool).point;
      const child = rng.chance(config.crossoverRate) ? a.map((v, d) => (rng.chance(0.5) ? v : b[d])) : a.slice();
      mutate(child);
      if (!proposed.has(codec.index(child))) add(child);
    }
    while (out.length < config.population) {
      const p = randomUnproposed();
      if (!p) break;
      add(p);
    }
    return out;
  };

  return {
    ask(count: number): SearchPoint[] {
      if (queue.length === 0) queue = breed();
      return queue.splice(0, count);
    },
    tell(point, objectives) {
      const index = codec.index(point);
      if (!archive.told.has(index)) scored.push({ point: point.slice(), index, score: objectives[0] });
      archive.record(point, objectives);
    },
    front: () => archive.front(),
  };
}

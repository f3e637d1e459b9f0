import { createRng, LazyShuffle, SearchArchive, type SearchPoint, type SearchSpaceView, type SearchStrategy } from '@trim-dse/core';

/**
 * Uniform sampling without replacement, in a seeded order (lazy Fisher–Yates, memory ∝ points drawn). Proposals
 * never depend on the results, so it can be sharded.
 */
export function randomStrategy(space: SearchSpaceView, seed: number): SearchStrategy {
  const archive = new SearchArchive(space);
  const order = new LazyShuffle(archive.codec.size, createRng(seed));
  return {
    ask(count: number): SearchPoint[] {
      const out: SearchPoint[] = [];
      while (out.length < count) {
        const i = order.next();
        if (i < 0) break;
        out.push(archive.codec.point(i));
      }
      return out;
    },
    tell(point, objectives) {
      archive.record(point, objectives);
    },
    front: () => archive.front(),
  };
}

import { SearchArchive, type SearchPoint, type SearchSpaceView, type SearchStrategy } from '@trim-dse/core';
import type { ExhaustiveConfig } from './schema.js';

/**
 * Every point in index order (the last parameter fastest). Proposals never depend on the results, so shards of it
 * add up to one run. Infeasible points are pruned by the explorer before their mapping search (a build error, an
 * area over the constraint) or during it (past the latency limit).
 */
export function exhaustiveStrategy(space: SearchSpaceView, config: ExhaustiveConfig): SearchStrategy {
  const archive = new SearchArchive(space);
  let next = Math.min(config.start, archive.codec.size);
  return {
    ask(count: number): SearchPoint[] {
      const out: SearchPoint[] = [];
      while (out.length < count && next < archive.codec.size) out.push(archive.codec.point(next++));
      return out;
    },
    tell(point, objectives) {
      archive.record(point, objectives);
    },
    front: () => archive.front(),
  };
}

import { createPointContext, evaluatePoint, exploreFixture, inlineBackend, prepareExplore, runExplore, type PreparedExplore } from '@trim-dse/core';
import { checkSearch } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { exhaustiveSearch } from '../src/index.js';

const registry = () => exploreFixture.createRegistry({ searches: plugin.searches });
const prepare = (seed: number, budget?: number): PreparedExplore =>
  prepareExplore(registry(), {
    space: exploreFixture.fixtureSpace(),
    workload: 'tiny-cnn',
    goal: 'edp',
    search: 'exhaustive',
    seed,
    ...(budget ? { budget } : {}),
  });
async function run(p: PreparedExplore) {
  return runExplore({ prepared: p, backend: await inlineBackend(registry(), p.job) });
}

describe('search exhaustive', () => {
  it('conforms: registered as "exhaustive", deterministic for a seed, distinct points within the budget', async () => {
    expect(exhaustiveSearch.name).toBe('exhaustive');
    await checkSearch(plugin, 'exhaustive');
  });

  it('finds the brute-force optimum and every point', async () => {
    const p = prepare(1);
    expect(p.budget).toBe(192);
    const ctx = await createPointContext(registry(), p.job);
    let best = { index: -1, score: Infinity };
    for (let i = 0; i < p.grid.size; i++) {
      const r = await evaluatePoint(ctx, i);
      if (r.status === 'ok' && r.score! < best.score) best = { index: i, score: r.score! };
    }
    const res = await run(p);
    expect(res.records.map((r) => r.index)).toEqual([...Array(192).keys()]);
    expect(res.summary.best?.index).toBe(best.index);
    expect(res.summary.best?.score).toBe(best.score);
  });

  it('keeps a Pareto front of what it is told', () => {
    const s = exhaustiveSearch.create({ sizes: [2, 2], names: ['a', 'b'] }, { seed: 0, budget: 4, config: { start: 0 } });
    const pts = s.ask(10);
    expect(pts).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    s.tell(pts[0], [3, 1]);
    s.tell(pts[1], [1, 3]);
    s.tell(pts[2], [4, 4]);
    s.tell(pts[3], [Infinity, Infinity, Infinity]);
    expect(s.front?.().map((e) => e.point)).toEqual([[0, 0], [0, 1]]);
    expect(s.ask(1)).toEqual([]);
  });
});

import { createPointContext, evaluatePoint, exploreFixture, inlineBackend, prepareExplore, resultsFileText, runExplore, type PreparedExplore } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import plugin, { randomSearch } from '../src/index.js';

const registry = () => exploreFixture.createRegistry({ searches: plugin.searches });
const prepare = (seed: number, budget?: number): PreparedExplore =>
  prepareExplore(registry(), {
    space: exploreFixture.fixtureSpace(),
    workload: 'tiny-cnn',
    goal: 'edp',
    search: 'random',
    seed,
    ...(budget ? { budget } : {}),
  });
async function run(p: PreparedExplore) {
  return runExplore({ prepared: p, backend: await inlineBackend(registry(), p.job) });
}

describe('search random', () => {
  it('is registered under its id', () => {
    expect(randomSearch.name).toBe('random');
    expect(registry().searches.get('random')).toBe(randomSearch);
  });

  it('is deterministic for a seed', async () => {
    const a = await run(prepare(3, 24));
    const b = await run(prepare(3, 24));
    expect(resultsFileText(prepare(3, 24).header, a.records)).toBe(resultsFileText(prepare(3, 24).header, b.records));
    expect(a.records.length).toBe(24);
    expect(new Set(a.records.map((r) => r.index)).size).toBe(24);
  });

  it('gets within 5 % of the exhaustive optimum with its default budget', async () => {
    const p = prepare(11);
    expect(p.budget).toBeLessThan(p.grid.size);
    const ctx = await createPointContext(registry(), p.job);
    let best = Infinity;
    for (let i = 0; i < p.grid.size; i++) {
      const r = evaluatePoint(ctx, i);
      if (r.status === 'ok' && r.score! < best) best = r.score!;
    }
    const res = await run(p);
    expect(res.records.length).toBe(p.budget);
    expect(res.summary.best!.score).toBeLessThanOrEqual(best * 1.05);
  });
});

describe('random sampling', () => {
  it('never repeats a point and covers the space', () => {
    const s = randomSearch.create({ sizes: [3, 4], names: ['a', 'b'] }, { seed: 5, budget: 12, config: {} });
    const pts = s.ask(100).map((p) => p.join());
    expect(new Set(pts).size).toBe(12);
    expect(s.ask(1)).toEqual([]);
  });
});

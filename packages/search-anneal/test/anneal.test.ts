import { createPointContext, evaluatePoint, exploreFixture, inlineBackend, prepareExplore, resultsFileText, runExplore, type PreparedExplore } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import plugin, { annealSearch } from '../src/index.js';

const registry = () => exploreFixture.createRegistry({ searches: plugin.searches });
const prepare = (seed: number, budget?: number): PreparedExplore =>
  prepareExplore(registry(), {
    space: exploreFixture.fixtureSpace(),
    workload: 'tiny-cnn',
    goal: 'edp',
    search: 'anneal',
    seed,
    ...(budget ? { budget } : {}),
  });
async function run(p: PreparedExplore) {
  return runExplore({ prepared: p, backend: await inlineBackend(registry(), p.job) });
}

describe('search anneal', () => {
  it('is registered under its id', () => {
    expect(annealSearch.name).toBe('anneal');
    expect(registry().searches.get('anneal')).toBe(annealSearch);
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

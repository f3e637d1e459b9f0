import { checkSearch, searchVsOptimum } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { randomSearch } from '../src/index.js';

describe('search random', () => {
  it('conforms: registered as "random", deterministic for a seed, distinct points within the budget', async () => {
    expect(randomSearch.name).toBe('random');
    await checkSearch(plugin, 'random');
  });

  it('gets within 5 % of the exhaustive optimum with its default budget', async () => {
    const r = await searchVsOptimum(plugin, 'random', 11);
    expect(r.budget).toBeLessThan(r.size);
    expect(r.evaluated).toBe(r.budget);
    expect(r.found).toBeLessThanOrEqual(r.optimum * 1.05);
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

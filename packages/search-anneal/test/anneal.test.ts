import { checkSearch, searchVsOptimum } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { annealSearch } from '../src/index.js';

describe('search anneal', () => {
  it('conforms: registered as "anneal", deterministic for a seed, distinct points within the budget', async () => {
    expect(annealSearch.name).toBe('anneal');
    await checkSearch(plugin, 'anneal');
  });

  it('gets within 5 % of the exhaustive optimum with its default budget', async () => {
    const r = await searchVsOptimum(plugin, 'anneal', 11);
    expect(r.budget).toBeLessThan(r.size);
    expect(r.evaluated).toBe(r.budget);
    expect(r.found).toBeLessThanOrEqual(r.optimum * 1.05);
  });
});

import { checkSearch, searchVsOptimum } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { geneticSearch } from '../src/index.js';

describe('search genetic', () => {
  it('conforms: registered as "genetic", deterministic for a seed, distinct points within the budget', async () => {
    expect(geneticSearch.name).toBe('genetic');
    await checkSearch(plugin, 'genetic');
  });

  it('gets within 5 % of the exhaustive optimum with its default budget', async () => {
    const r = await searchVsOptimum(plugin, 'genetic', 11);
    expect(r.budget).toBeLessThan(r.size);
    expect(r.evaluated).toBe(r.budget);
    expect(r.found).toBeLessThanOrEqual(r.optimum * 1.05);
  });
});

import { defineSearch, definePlugin, heuristicBudget } from '@trim-dse/core';
import { annealSchema, type AnnealConfig } from './schema.js';
import { annealStrategy } from './strategy.js';

export { annealStrategy } from './strategy.js';
export { annealSchema, type AnnealConfig } from './schema.js';

export const annealSearch = defineSearch<AnnealConfig>({
  name: 'anneal',
  description: 'Simulated annealing over neighbouring parameter values (seeded)',
  configSchema: annealSchema,
  defaultBudget: heuristicBudget,
  create: (space, { seed, budget, config }) => annealStrategy(space, seed, budget, config),
});

export default definePlugin({ name: '@trim-dse/search-anneal', searches: [annealSearch] });

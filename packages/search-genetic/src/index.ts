import { defineSearch, definePlugin, heuristicBudget } from '@trim-dse/core';
import { geneticSchema, type GeneticConfig } from './schema.js';
import { geneticStrategy } from './strategy.js';

export { geneticStrategy } from './strategy.js';
export { geneticSchema, type GeneticConfig } from './schema.js';

export const geneticSearch = defineSearch<GeneticConfig>({
  name: 'genetic',
  description: 'Elitist genetic algorithm over the parameters (seeded, never repeats a point)',
  configSchema: geneticSchema,
  defaultBudget: heuristicBudget,
  create: (space, { seed, config }) => geneticStrategy(space, seed, config),
});

export default definePlugin({ name: '@trim-dse/search-genetic', searches: [geneticSearch] });

import { defineSearch, definePlugin, heuristicBudget } from '@trim-dse/core';
import { randomSchema, type RandomConfig } from './schema.js';
import { randomStrategy } from './strategy.js';

export { randomStrategy } from './strategy.js';
export { randomSchema, type RandomConfig } from './schema.js';

export const randomSearch = defineSearch<RandomConfig>({
  name: 'random',
  description: 'Seeded uniform sampling without replacement (shardable)',
  configSchema: randomSchema,
  oblivious: true,
  defaultBudget: heuristicBudget,
  create: (space, { seed }) => randomStrategy(space, seed),
});

export default definePlugin({ name: '@trim-dse/search-random', searches: [randomSearch] });

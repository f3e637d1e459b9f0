import { defineSearch, definePlugin } from '@trim-dse/core';
import { exhaustiveSchema, type ExhaustiveConfig } from './schema.js';
import { exhaustiveStrategy } from './strategy.js';

export { exhaustiveStrategy } from './strategy.js';
export { exhaustiveSchema, type ExhaustiveConfig } from './schema.js';

export const exhaustiveSearch = defineSearch<ExhaustiveConfig>({
  name: 'exhaustive',
  description: 'Every point of the space in index order (shardable; infeasible points pruned before mapping)',
  configSchema: exhaustiveSchema,
  oblivious: true,
  defaultBudget: (size) => size,
  create: (space, { config }) => exhaustiveStrategy(space, config),
});

export default definePlugin({ name: '@trim-dse/search-exhaustive', searches: [exhaustiveSearch] });

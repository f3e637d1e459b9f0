import { definePlugin } from '@trim-dse/core';

export default definePlugin({ name: '@trim-dse/search-anneal' });

import { defineDataflow, definePlugin, tiledMapspace } from '@trim-dse/core';
import { freeSchema, type FreeConfig } from './schema.js';
import { freeSpecs } from './specs.js';

export { freeSchema, type FreeConfig } from './schema.js';
export { freeSpecs } from './specs.js';

/**
 * Free temporal mapping (ZigZag LOMA's mapspace): the array unrolls as ws, os or is do, and every other loop may sit
 * at any level with every level keeping all it holds. It is listed for the `zigzag` template: ZigZag accelerator
 * files state no dataflow, and ZigZag maps them this way, so their layers are searched over the same space. On other
 * templates it is not part of `--dataflow auto` (their validated figures use their own dataflows).
 */
export const freeDataflow = defineDataflow<FreeConfig>({
  name: 'free',
  description: 'Free temporal mapping (ZigZag LOMA): each loop at whichever level, every memory keeps the operands it serves',
  templates: ['zigzag'],
  configSchema: freeSchema,
  mapspace(op, hw, emit, config, search) {
    for (const spec of freeSpecs(config)) tiledMapspace(op, hw, spec, emit, search);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-free', dataflows: [freeDataflow] });

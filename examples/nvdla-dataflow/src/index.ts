import { defineDataflow, definePlugin, tiledMapspace } from '@trim-dse/core';
import { nvdlaSchema, type NvdlaConfig } from './schema.js';
import { nvdlaSpec } from './spec.js';

export { nvdlaSchema, type NvdlaConfig } from './schema.js';
export { nvdlaSpec } from './spec.js';

/** NVDLA-like K×C-partitioned dataflow for any tiled template (generic, spatial). */
export const nvdlaDataflow = defineDataflow<NvdlaConfig>({
  name: 'nvdla',
  description: 'NVDLA-like: output channels (atomic-K) across the array, input channels (atomic-C) down it, kernel positions in time',
  templates: ['generic', 'spatial'],
  configSchema: nvdlaSchema,
  mapspace(op, hw, emit, config) {
    tiledMapspace(op, hw, nvdlaSpec(config ?? nvdlaSchema.parse({})), emit);
  },
  // No `evaluate`: the core engine's analytic model costs every mapping.
});

export default definePlugin({ name: 'trim-dataflow-nvdla', dataflows: [nvdlaDataflow] });

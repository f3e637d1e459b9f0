import { defineDataflow, definePlugin, tiledMapspace } from '@trim-dse/core';
import { nvdlaSchema, type NvdlaConfig } from './schema.js';
import { nvdlaSpec } from './spec.js';

export { nvdlaSchema, type NvdlaConfig } from './schema.js';
export { nvdlaSpec } from './spec.js';

/**
 * NVDLA-like K×C-partitioned dataflow for any tiled template (generic, spatial). It only proposes mappings: the
 * hardware template prices each one, exactly as it prices a built-in dataflow's (on `spatial`: bank split, spad
 * staging, NoC, compression, gating).
 */
export const nvdlaDataflow = defineDataflow<NvdlaConfig>({
  name: 'nvdla',
  description: 'NVDLA-like: output channels (atomic-K) across the array, input channels (atomic-C) down it, kernel positions in time',
  templates: ['generic', 'spatial'],
  configSchema: nvdlaSchema,
  mapspace(op, hw, emit, config) {
    tiledMapspace(op, hw, nvdlaSpec(config), emit);
  },
});

export default definePlugin({ name: 'trim-dataflow-nvdla', dataflows: [nvdlaDataflow] });

import { defineDataflow, definePlugin, tiledMapspace } from '@trim-dse/core';
import { nlrSchema, type NlrConfig } from './schema.js';
import { nlrSpecs } from './specs.js';

export { nlrSchema, type NlrConfig } from './schema.js';
export { nlrSpecs, NLR_OUTER_ORDERS } from './specs.js';

/**
 * No local reuse: no register file use in the PEs, every operand from the global buffer (ISCA 2016 NLR). A mapspace
 * only (the array is the template's `arrayLevel`): the hardware template prices every mapping.
 */
export const noLocalReuse = defineDataflow<NlrConfig>({
  name: 'nlr',
  description: 'No local reuse: PEs keep nothing; inputs multicast, weights unicast, psums reduced across the array',
  templates: ['spatial', 'generic', 'timeloop', 'zigzag'],
  configSchema: nlrSchema,
  mapspace(op, hw, emit, config, search) {
    for (const spec of nlrSpecs(config)) tiledMapspace(op, hw, spec, emit, search);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-nlr', dataflows: [noLocalReuse] });

import { defineDataflow, definePlugin, evaluateWithDataEffects } from '@trim-dse/core';
import { rsMapspace } from './mapspace.js';
import { rsSchema, type RsConfig } from './schema.js';

export { rsSchema, type RsConfig } from './schema.js';
export { rsSpecs, RS_OUTER_ORDERS } from './specs.js';
export { evenSplit, rsMapspace, rsPlacements, type RsPlacement } from './mapspace.js';

/**
 * Row stationary (Eyeriss): each PE runs a 1-D convolution of a filter row (kept in the filter spad) over an ifmap
 * row (sliding through the ifmap spad) into a psum row; R × E logical PE sets are folded and replicated onto the
 * physical array. Mappings are core `Mapping`s evaluated by the core engine plus the template's data effects.
 */
export const rowStationary = defineDataflow<RsConfig>({
  name: 'rs',
  description: 'Row stationary (Eyeriss): filter rows stay in the PE, ifmap rows slide, psum rows accumulate',
  templates: ['spatial'],
  configSchema: rsSchema,
  supports: (op) => op.operands[1].projection === 'window' && op.operands[0].projection === 'filter',
  mapspace(op, hw, emit, config) {
    rsMapspace(op, hw, emit, config ?? rsSchema.parse({}));
  },
  evaluate: evaluateWithDataEffects,
});

export default definePlugin({ name: '@trim-dse/dataflow-rs', dataflows: [rowStationary] });

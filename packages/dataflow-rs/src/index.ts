import { defineDataflow, definePlugin } from '@trim-dse/core';
import { rsMapspace } from './mapspace.js';
import { rsSchema, type RsConfig } from './schema.js';

export { rsSchema, type RsConfig } from './schema.js';
export { rsSpecs, RS_OUTER_ORDERS } from './specs.js';
export { busyPEs, evenSplit, fullestPlacements, rsMapspace, rsPlacements, type RsPlacement } from './mapspace.js';

/**
 * Row stationary (Eyeriss): each PE runs a 1-D convolution of a filter row (kept in the filter spad) over an ifmap
 * row (sliding through the ifmap spad) into a psum row; R × E logical PE sets are folded and replicated onto the
 * physical array. A mapspace only: the hardware template prices every mapping (on `spatial`, with its bank split,
 * gating, compression and NoC), exactly as it prices any other dataflow's.
 */
export const rowStationary = defineDataflow<RsConfig>({
  name: 'rs',
  description: 'Row stationary (Eyeriss): filter rows stay in the PE, ifmap rows slide, psum rows accumulate',
  templates: ['spatial'],
  configSchema: rsSchema,
  supports: (op) => op.projections[1] === 1 && op.projections[0] === 0,
  mapspace(op, hw, emit, config, search) {
    rsMapspace(op, hw, emit, config, search);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-rs', dataflows: [rowStationary] });

import { defineStationaryDataflow, definePlugin } from '@trim-dse/core';
import { wsSchema } from './schema.js';
import { wsSpec } from './spec.js';

export { wsSchema, type WSConfig } from './schema.js';
export { wsSpec } from './spec.js';

/**
 * Weight stationary. On the `systolic` template it is SCALE-Sim's `ws` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const wsDataflow = defineStationaryDataflow({
  name: 'ws',
  description: 'Weight stationary (TPU, SCALE-Sim ws): each PE keeps a weight; inputs stream across the rows, partial sums flow down the columns',
  configSchema: wsSchema,
  spec: wsSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-ws', dataflows: [wsDataflow] });

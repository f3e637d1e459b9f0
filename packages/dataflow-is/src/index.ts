import { defineStationaryDataflow, definePlugin } from '@trim-dse/core';
import { isSchema } from './schema.js';
import { isSpec } from './spec.js';

export { isSchema, type ISConfig } from './schema.js';
export { isSpec } from './spec.js';

/**
 * Input stationary. On the `systolic` template it is SCALE-Sim's `is` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const isDataflow = defineStationaryDataflow({
  name: 'is',
  description: 'Input stationary (SCALE-Sim is): each PE keeps one input (im2col) element; weights stream across the rows, partial sums flow down the columns',
  configSchema: isSchema,
  spec: isSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-is', dataflows: [isDataflow] });

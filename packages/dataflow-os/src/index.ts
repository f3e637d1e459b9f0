import { defineStationaryDataflow, definePlugin } from '@trim-dse/core';
import { osSchema } from './schema.js';
import { osSpec } from './spec.js';

export { osSchema, type OSConfig } from './schema.js';
export { osSpec } from './spec.js';

/**
 * Output stationary. On the `systolic` template it is SCALE-Sim's `os` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const osDataflow = defineStationaryDataflow({
  name: 'os',
  description: 'Output stationary (SCALE-Sim os, ShiDianNao): each PE keeps one output partial sum; inputs stream across the rows, weights down the columns',
  configSchema: osSchema,
  spec: osSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-os', dataflows: [osDataflow] });

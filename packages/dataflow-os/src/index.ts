import { defineTiledDataflow, definePlugin } from '@trim-dse/core';
import { osSchema } from './schema.js';
import { osSpec } from './spec.js';

export { osSchema, type OSConfig } from './schema.js';
export { osSpec } from './spec.js';

/**
 * Output stationary: the PEs keep only the partial sum (the stationary operand) and the other
 * operands stream past it. A tiled mapspace on any array template; the template prices it — on `systolic` only the stationary operand matters (the array folds
 * im2col matrices itself, SCALE-Sim's rules), on `generic` and `spatial` the whole loop nest does.
 */
export const osDataflow = defineTiledDataflow({
  name: 'os',
  description: 'Output stationary (SCALE-Sim os, ShiDianNao): each PE keeps one output partial sum; inputs stream across the rows, weights down the columns',
  templates: ['systolic', 'generic', 'spatial', 'timeloop', 'zigzag'],
  configSchema: osSchema,
  spec: osSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-os', dataflows: [osDataflow] });

import { defineTiledDataflow, definePlugin } from '@trim-dse/core';
import { wsSchema } from './schema.js';
import { wsSpec } from './spec.js';

export { wsSchema, type WSConfig } from './schema.js';
export { wsSpec } from './spec.js';

/**
 * Weight stationary: the PEs keep only the weight (the stationary operand) and the other
 * operands stream past it. A tiled mapspace on any array template; the template prices it — on `systolic` only the stationary operand matters (the array folds
 * im2col matrices itself, SCALE-Sim's rules), on `generic` and `spatial` the whole loop nest does.
 */
export const wsDataflow = defineTiledDataflow({
  name: 'ws',
  description: 'Weight stationary (TPU, SCALE-Sim ws): each PE keeps a weight; inputs stream across the rows, partial sums flow down the columns',
  templates: ['systolic', 'generic', 'spatial', 'timeloop', 'zigzag'],
  configSchema: wsSchema,
  spec: wsSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-ws', dataflows: [wsDataflow] });

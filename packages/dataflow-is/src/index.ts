import { defineTiledDataflow, definePlugin } from '@trim-dse/core';
import { isSchema } from './schema.js';
import { isSpec } from './spec.js';

export { isSchema, type ISConfig } from './schema.js';
export { isSpec } from './spec.js';

/**
 * Input stationary: the PEs keep only the input (the stationary operand) and the other
 * operands stream past it. A tiled mapspace on any array template; the template prices it — on `systolic` only the stationary operand matters (the array folds
 * im2col matrices itself, SCALE-Sim's rules), on `generic` and `spatial` the whole loop nest does.
 */
export const isDataflow = defineTiledDataflow({
  name: 'is',
  description: 'Input stationary (SCALE-Sim is): each PE keeps one input (im2col) element; weights stream across the rows, partial sums flow down the columns',
  templates: ['systolic', 'generic', 'spatial', 'timeloop', 'zigzag'],
  configSchema: isSchema,
  spec: isSpec,
});

export default definePlugin({ name: '@trim-dse/dataflow-is', dataflows: [isDataflow] });

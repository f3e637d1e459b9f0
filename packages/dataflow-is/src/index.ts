import {
  IS,
  defineDataflow,
  definePlugin,
  emptyMapping,
  evaluateSystolic,
  evaluateWithDataEffects,
  runsDataflow,
  systolicMapping,
  systolicMeta,
  tiledMapspace,
} from '@trim-dse/core';
import { isSchema, type ISConfig } from './schema.js';
import { isSpec } from './spec.js';

export { isSchema, type ISConfig } from './schema.js';
export { isSpec } from './spec.js';

/**
 * Input stationary. On the `systolic` template it is SCALE-Sim's `is` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const isDataflow = defineDataflow<ISConfig>({
  name: 'is',
  description: 'Input stationary (SCALE-Sim is): each PE keeps one input (im2col) element; weights stream across the rows, partial sums flow down the columns',
  templates: ['systolic', 'generic', 'spatial'],
  configSchema: isSchema,
  supports(_op, hw) {
    return hw.template !== 'systolic' || runsDataflow(systolicMeta(hw).dataflow, 'is');
  },
  mapspace(op, hw, emit, config) {
    if (hw.template === 'systolic') emit(systolicMapping(op, hw, IS, emptyMapping(hw.levels.length)));
    else tiledMapspace(op, hw, isSpec(config ?? isSchema.parse({})), emit);
  },
  evaluate(op, hw, m, out) {
    return hw.template === 'systolic' ? evaluateSystolic(op, hw, IS, out) : evaluateWithDataEffects(op, hw, m, out);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-is', dataflows: [isDataflow] });

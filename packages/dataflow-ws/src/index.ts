import {
  WS,
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
import { wsSchema, type WSConfig } from './schema.js';
import { wsSpec } from './spec.js';

export { wsSchema, type WSConfig } from './schema.js';
export { wsSpec } from './spec.js';

/**
 * Weight stationary. On the `systolic` template it is SCALE-Sim's `ws` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const wsDataflow = defineDataflow<WSConfig>({
  name: 'ws',
  description: 'Weight stationary (TPU, SCALE-Sim ws): each PE keeps a weight; inputs stream across the rows, partial sums flow down the columns',
  templates: ['systolic', 'generic', 'spatial'],
  configSchema: wsSchema,
  supports(_op, hw) {
    return hw.template !== 'systolic' || runsDataflow(systolicMeta(hw).dataflow, 'ws');
  },
  mapspace(op, hw, emit, config) {
    if (hw.template === 'systolic') emit(systolicMapping(op, hw, WS, emptyMapping(hw.levels.length)));
    else tiledMapspace(op, hw, wsSpec(config ?? wsSchema.parse({})), emit);
  },
  evaluate(op, hw, m, out) {
    return hw.template === 'systolic' ? evaluateSystolic(op, hw, WS, out) : evaluateWithDataEffects(op, hw, m, out);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-ws', dataflows: [wsDataflow] });

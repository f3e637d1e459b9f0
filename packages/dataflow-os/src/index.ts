import {
  OS,
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
import { osSchema, type OSConfig } from './schema.js';
import { osSpec } from './spec.js';

export { osSchema, type OSConfig } from './schema.js';
export { osSpec } from './spec.js';

/**
 * Output stationary. On the `systolic` template it is SCALE-Sim's `os` mapping (im2col GEMM folded over the array) and
 * its cost comes from the SCALE-Sim closed forms of @trim-dse/core (`evaluateSystolic`); on `generic` and `spatial`
 * it is a tiled mapspace evaluated by the core engine.
 */
export const osDataflow = defineDataflow<OSConfig>({
  name: 'os',
  description: 'Output stationary (SCALE-Sim os, ShiDianNao): each PE keeps one output partial sum; inputs stream across the rows, weights down the columns',
  templates: ['systolic', 'generic', 'spatial'],
  configSchema: osSchema,
  supports(_op, hw) {
    return hw.template !== 'systolic' || runsDataflow(systolicMeta(hw).dataflow, 'os');
  },
  mapspace(op, hw, emit, config) {
    if (hw.template === 'systolic') emit(systolicMapping(op, hw, OS, emptyMapping(hw.levels.length)));
    else tiledMapspace(op, hw, osSpec(config ?? osSchema.parse({})), emit);
  },
  evaluate(op, hw, m, out) {
    return hw.template === 'systolic' ? evaluateSystolic(op, hw, OS, out) : evaluateWithDataEffects(op, hw, m, out);
  },
});

export default definePlugin({ name: '@trim-dse/dataflow-os', dataflows: [osDataflow] });

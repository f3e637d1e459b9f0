import type { z } from 'zod';
import { evaluateWithDataEffects } from '../spatial/data-effects.js';
import { emptyMapping } from '../mapping.js';
import type { TiledSpec } from '../mapspace.js';
import { tiledMapspace } from '../mapspace.js';
import { defineDataflow, type DataflowPlugin } from '../plugin.js';
import { evaluateSystolic } from './cost.js';
import { systolicMapping } from './mapping.js';
import { dataflowCode, runsDataflow, systolicMeta, type SystolicDataflow } from './meta.js';

export interface StationaryDataflowOptions<C> {
  readonly name: SystolicDataflow;
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  /** The tiled mapspace on `generic` and `spatial` arrays. */
  spec(config: C): TiledSpec;
}

/**
 * A stationary dataflow (ws, os, is) that runs on the three array templates: on `systolic` it is SCALE-Sim's mapping
 * of that name, costed by the SCALE-Sim closed forms (`evaluateSystolic`); on `generic` and `spatial` it is a tiled
 * mapspace costed by the core engine with the template's data effects.
 */
export function defineStationaryDataflow<C>(o: StationaryDataflowOptions<C>): DataflowPlugin<C> {
  const code = dataflowCode(o.name);
  return defineDataflow<C>({
    name: o.name,
    description: o.description,
    templates: ['systolic', 'generic', 'spatial'],
    configSchema: o.configSchema,
    supports(_op, hw) {
      return hw.template !== 'systolic' || runsDataflow(systolicMeta(hw).dataflow, o.name);
    },
    mapspace(op, hw, emit, config) {
      if (hw.template === 'systolic') emit(systolicMapping(op, hw, code, emptyMapping(hw.levels.length)));
      else tiledMapspace(op, hw, o.spec(config ?? o.configSchema.parse({})), emit);
    },
    evaluate(op, hw, m, out) {
      return hw.template === 'systolic' ? evaluateSystolic(op, hw, code, out) : evaluateWithDataEffects(op, hw, m, out);
    },
  });
}

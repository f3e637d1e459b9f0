import type { FpgaEngine, FpgaEngineFacts } from './capability.js';

/**
 * The engine that runs a layer: the time-shared one, or the layer's own stage in a layer-pipelined design
 * (undefined when the pipeline has no stage for it).
 */
export function engineFor(facts: FpgaEngineFacts, layer: string): FpgaEngine | undefined {
  if (facts.organisation !== 'layer-pipelined') return facts.engine;
  return Object.hasOwn(facts.stages, layer) ? facts.stages[layer] : undefined;
}

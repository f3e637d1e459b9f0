import { genericSweep } from './explore/builtin-spaces.js';
import { genericHardware } from './generic/template.js';
import { inferenceOps } from './lower.js';
import { definePhaseModel, definePlugin } from './plugin.js';
import { trimMappingReader } from './trim-mapping.js';

/** Inference: one forward pass. */
export const inferencePhase = definePhaseModel({
  name: 'inference',
  description: 'Forward pass of every layer',
  ops: (net) => inferenceOps(net),
});

/** What core itself registers: the generic template and the inference phase model. */
export const corePlugin = definePlugin({
  name: '@trim-dse/core',
  hardware: [genericHardware],
  phaseModels: [inferencePhase],
  spaces: [genericSweep],
  // TRIM's own printed mappings (`trim eval --show-mapping --format json`) read back by `--mapping`.
  mappingReaders: [trimMappingReader],
});

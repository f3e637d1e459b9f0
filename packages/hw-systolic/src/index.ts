import { definePlugin, systolicSweep } from '@trim-dse/core';
import { systolicHardware } from './template.js';
import { scaleSimSuite } from './validation.js';

export { systolicHardware } from './template.js';
export { buildSystolic, dramWordsPerCycle, kbToWords } from './build.js';
export { systolicBuiltins } from './builtins.js';
export { estimateAreaMm2 } from './area.js';
export { parseScaleSimConfig, scaleSimImporter } from './scalesim-cfg.js';
export { parseScaleSimTopology, scaleSimOutputSize, type ScaleSimLayer } from './scalesim-topology.js';
export { scaleSimSuite, runCase } from './validation.js';
export { systolicSchema, systolicJsonSchema, type SystolicSpec, type SystolicSpecInput } from './schema.js';

export default definePlugin({
  name: '@trim-dse/hw-systolic',
  hardware: [systolicHardware],
  spaces: [systolicSweep],
  validationSuites: [scaleSimSuite],
});

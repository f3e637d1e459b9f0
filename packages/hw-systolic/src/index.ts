import { definePlugin } from '@trim-dse/core';
import { systolicSweep } from './sweep.js';
import { systolicHardware } from './template.js';
import { scaleSimSuite } from './validation.js';

export { systolicHardware } from './template.js';
export { buildSystolic } from './build.js';
export { dramBytesPerCycle, kbToBytes } from './units.js';
export { systolicBuiltins } from './builtins.js';
export { systolicSweep } from './sweep.js';
export { estimateAreaMm2 } from './area.js';
export { parseScaleSimConfig, scaleSimImporter } from './scalesim-cfg.js';
export { scaleSimSuite, runCase, readReport } from './validation.js';
export { systolicSchema, systolicJsonSchema, type SystolicSpec, type SystolicSpecInput } from './schema.js';
export {
  dataflowCode,
  IS,
  OS,
  WS,
  SYSTOLIC_DATAFLOWS,
  ONE_STATIONARY,
  WIRED_REASONS,
  scaleSimCost,
  systolicCostModel,
  systolicEnergy,
  systolicMapping,
  type SystolicDataflow,
  type SystolicDataflowCode,
  type SystolicEnergy,
} from './scalesim/index.js';

export default definePlugin({
  name: '@trim-dse/hw-systolic',
  hardware: [systolicHardware],
  spaces: [systolicSweep],
  validationSuites: [scaleSimSuite],
});

import { definePlugin } from '@trim-dse/core';
import { timeloopMapReader } from './map-yaml.js';
import { timeloopHardware } from './template.js';
import { timeloopSuite } from './validation/suite.js';

export { actionEnergyPj, lastSegment, readAreaTable, readEnergyTable, TIMELOOP_ACTIONS, type EnergyTable, type TimeloopAction } from './accelergy.js';
export { baseName, elementCount, isTimeloopArchitecture, timeloopArchToSpec } from './arch.js';
export { buildTimeloop } from './build.js';
export { outputSplit, reductionAt, timeloopCounts, vectorBytes, type TimeloopCounts } from './conventions.js';
export { timeloopCostModel } from './cost-model.js';
export { timeloopMapping, timeloopMapReader, type Directive } from './map-yaml.js';
export { computeSchema, storageSchema, timeloopSchema, type StorageSpec, type TimeloopSpec, type TimeloopSpecInput } from './spec.js';
export { timeloopHardware } from './template.js';
export { parseTimeloopStats, type StatsCounts, type TimeloopStats } from './validation/stats.js';
export { runInputs, runRequest, runTimeloopCase, TIMELOOP_PROVENANCE, timeloopRuns, timeloopSuite } from './validation/suite.js';

/** Timeloop/Accelergy input: the `timeloop` template, map.yaml and TRIM-mapping readers, the `timeloop` validation suite. */
export default definePlugin({
  name: '@trim-dse/timeloop',
  hardware: [timeloopHardware],
  mappingReaders: [timeloopMapReader],
  validationSuites: [timeloopSuite],
});

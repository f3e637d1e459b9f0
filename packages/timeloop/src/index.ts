import { definePlugin } from '@trim-dse/core';
import { timeloopMapReader } from './map-yaml.js';
import { timeloopSearch } from './search.js';
import { timeloopHardware } from './template.js';
import { timeloopSuite } from './validation/suite.js';

export { actionEnergyPj, lastSegment, readAreaTable, readEnergyTable, TIMELOOP_ACTIONS, type EnergyTable, type TimeloopAction } from './accelergy.js';
export { baseName, elementCount, isTimeloopArchitecture, timeloopArchToSpec } from './arch.js';
export { buildTimeloop } from './build.js';
export { outputSplit, reductionAt, timeloopCounts, vectorBytes, type TimeloopCounts } from './conventions.js';
export { timeloopConstraintsOf, timeloopCostModel, type TimeloopHardwareModel } from './cost-model.js';
export { compileConstraints, parseConstraintTargets, readConstraintTargets, type ArchConstraints, type ConstraintTarget } from './constraints.js';
export { constraintRules } from './rules.js';
export { searchConfigSchema, timeloopMapspace, timeloopSearch, type SearchConfig } from './search.js';
export { timeloopMapping, timeloopMapReader, type Directive } from './map-yaml.js';
export { timeloopMapYaml } from './map-yaml-write.js';
export { computeSchema, storageSchema, timeloopSchema, type StorageSpec, type TimeloopSpec, type TimeloopSpecInput } from './spec.js';
export { timeloopHardware } from './template.js';
export { parseTimeloopStats, type StatsCounts, type TimeloopStats } from './validation/stats.js';
export { runInputs, runRequest, runTimeloopCase, TIMELOOP_PROVENANCE, timeloopRuns, timeloopSuite } from './validation/suite.js';

/** Timeloop/Accelergy input: the `timeloop` template, its mapper (`timeloop-search`), the map.yaml reader, the `timeloop` validation suite. */
export default definePlugin({
  name: '@trim-dse/timeloop',
  hardware: [timeloopHardware],
  dataflows: [timeloopSearch],
  mappingReaders: [timeloopMapReader],
  validationSuites: [timeloopSuite],
});

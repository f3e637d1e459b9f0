import { defineHardware, definePlugin } from '@trim-dse/core';
import type { z } from 'zod';
import { buildSpatial } from './build.js';
import { eyerissSpec } from './eyeriss.js';
import { spatialSchema, type SpatialSpec } from './schema.js';
import { spatialSweep } from './space.js';
import { eyerissSuite } from './validation/eyeriss-suite.js';

export { buildSpatial } from './build.js';
export { accessEnergiesPj, dramBytesPerCycle, meanHops, type AccessEnergiesPj } from './energy.js';
export { rlcSizeFraction } from './rlc.js';
export { eyerissSpec } from './eyeriss.js';
export { spatialSchema, type SpatialSpec, type SpatialSpecInput } from './schema.js';
export { spatialSweep } from './space.js';
export { equalAreaNoLocalReuse } from './equal-area.js';
export { activePEs, chipFigures, layerFigures, type ChipFigures, type LayerFigures } from './validation/figures.js';
export {
  EYERISS_LAYER_TOLERANCE,
  EYERISS_TOLERANCE,
  eyerissAlexnetFigures,
  eyerissHeldOutSchema,
  eyerissLayerTableSchema,
  eyerissReferenceSchema,
  eyerissRequest,
  eyerissSuite,
  zeroFractionsOf,
  type EyerissHeldOut,
  type EyerissLayerTable,
  type EyerissReference,
} from './validation/eyeriss-suite.js';

/**
 * The `spatial` template: Eyeriss-like PE array, per-PE scratchpads, banked global buffer, multicast NoC, DRAM. Its
 * cost model (bank split, zero gating, spad staging, DRAM RLC, NoC) prices every dataflow's mappings alike.
 */
export const spatialHardware = defineHardware<SpatialSpec>({
  name: 'spatial',
  description: 'Eyeriss-like spatial array: PE rows × cols with per-operand scratchpads, banked GLB, NoC and DRAM link',
  configSchema: spatialSchema as unknown as z.ZodType<SpatialSpec>,
  builtins: { eyeriss: eyerissSpec },
  build: buildSpatial,
});

export default definePlugin({
  name: '@trim-dse/hw-spatial',
  hardware: [spatialHardware],
  spaces: [spatialSweep],
  validationSuites: [eyerissSuite],
});

export {
  ENGINE_FAMILIES,
  fpgaEngineCapability,
  fpgaEngineCapabilitySchema,
  fpgaEngineSchema,
  ORGANISATIONS,
  type EngineFamily,
  type FpgaEngine,
  type FpgaEngineFacts,
  type Organisation,
} from './capability.js';
export { engineFor } from './engine-for.js';

export {
  fpgaEngineCapability,
  fpgaEngineCapabilitySchema,
  fpgaEngineSchema,
  ORGANISATIONS,
  type FpgaEngine,
  type FpgaEngineFacts,
  type Organisation,
} from './capability.js';
export { engineFor } from './engine-for.js';

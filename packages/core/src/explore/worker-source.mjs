// Worker entry used when TRIM runs from its TypeScript sources (tsx, vitest): registers tsx in this worker thread,
// then loads the real worker. Built packages use worker.js directly.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.default;

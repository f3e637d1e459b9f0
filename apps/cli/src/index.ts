export { main } from './main.js';
export { createRegistry, builtinPlugins, builtinPluginModulesImported } from './builtins.js';
export { runCaptured, type CapturedRun } from './capture.js';

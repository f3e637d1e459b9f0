export { main } from './main.js';
export { createRegistry, builtinPlugins } from './builtins.js';

export * from './edges.js';
export * from './placement.js';
export * from './schedule.js';
export * from './fusion.js';
export * from './attention.js';
export * from './depth-first.js';

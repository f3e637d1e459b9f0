export * from './edges.js';
export * from './placement.js';
export * from './schedule.js';

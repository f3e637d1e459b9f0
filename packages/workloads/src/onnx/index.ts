export { loadOnnx, type OnnxOptions } from './import.js';
export { decodeOnnx, type OnnxGraph, type OnnxNode } from './model.js';

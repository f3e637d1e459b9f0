import { definePlugin } from '@trim-dse/core';
import { workloadSource } from './source.js';

export { BUILTIN_WORKLOADS, loadWorkload, WORKLOAD_EXTENSIONS, workloadSource } from './source.js';
export { loadOptionsSchema, type LoadOptions } from './schema.js';
export { alexnet, bertBase, BERT_BASE, mobilenetv2, resnet18, resnet50, vgg16, ZOO, type BertOptions, type ZooOptions } from './zoo/index.js';
export { importScaleSimCsv, scaleSimNetwork, type ScaleSimImportOptions } from './scalesim/import.js';
export { scaleSimRowsOf, toScaleSimCsv } from './scalesim/export.js';
export {
  parseScaleSimTopology,
  scaleSimOutputSize,
  type ScaleSimConvRow,
  type ScaleSimForm,
  type ScaleSimGemmRow,
  type ScaleSimRow,
} from './scalesim/topology.js';
export { importTimeloopProblem, isTimeloopProblem, parseTimeloopProblem, timeloopNetwork, type TimeloopLayer } from './timeloop/problem.js';
export { loadOnnx, type OnnxOptions } from './onnx/index.js';

export default definePlugin({ name: '@trim-dse/workloads', workloadSources: [workloadSource] });

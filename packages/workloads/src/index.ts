import { definePlugin } from '@trim-dse/core';
import { workloadSource } from './source.js';

export { BUILTIN_WORKLOADS, loadWorkload, WORKLOAD_EXTENSIONS, workloadSource } from './source.js';
export { loadOptionsSchema, type LoadOptions } from './schema.js';
export { alexnet, bertBase, bertEncoder, BERT_BASE, mobilenetv2, resnet18, resnet50, vgg16, ZOO, type BertOptions, type ZooOptions } from './zoo/index.js';
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
export { buildNetworkFile, matmul, type NetworkFileOptions } from './network/build.js';
export { isNetworkFile, networkFileSchema, type NetworkFile, type NetworkLayer } from './network/schema.js';
export { attention, dense, mlp, type AttentionOptions, type MlpOptions } from './transformer/layers.js';
export { vitB16, VIT_B16 } from './transformer/vit.js';
export { decoder, GPT2_SMALL, LLAMA3_8B, type DecoderOptions, type DecoderSpec } from './transformer/decoder.js';

export default definePlugin({ name: '@trim-dse/workloads', workloadSources: [workloadSource] });

import { extname } from 'node:path';
import { defineWorkloadSource, parseWith, TrimUserError, type Network, type WorkloadLoadOptions } from '@trim-dse/core';
import { importScaleSimCsv } from './scalesim/import.js';
import { loadOptionsSchema } from './schema.js';
import { importTimeloopProblem } from './timeloop/problem.js';
import { ZOO } from './zoo/index.js';
import { loadOnnx } from './onnx/index.js';

export const BUILTIN_WORKLOADS: readonly string[] = Object.keys(ZOO);
export const WORKLOAD_EXTENSIONS: readonly string[] = ['.csv', '.yaml', '.yml', '.onnx'];

/**
 * A built-in name or a file path (SCALE-Sim topology `.csv`, ONNX `.onnx`, Timeloop problem `.yaml`/`.yml`), every
 * tensor at `options.precision`: none of these files declares a number format that binds the accelerator (an ONNX
 * dtype is how the weights are stored, not what the datapath computes in).
 */
export function loadWorkload(ref: string, rawOptions: WorkloadLoadOptions): Network {
  const options = parseWith(loadOptionsSchema, rawOptions, `workload ${ref}`);
  const build = Object.hasOwn(ZOO, ref) ? ZOO[ref] : undefined;
  if (build) return build(options);
  const ext = extname(ref).toLowerCase();
  if (ext === '.csv') return importScaleSimCsv(ref, options);
  if (ext === '.onnx') return loadOnnx(ref, options);
  if (ext === '.yaml' || ext === '.yml') return importTimeloopProblem(ref, options);
  throw new TrimUserError(`unknown workload "${ref}" (built-ins: ${BUILTIN_WORKLOADS.join(', ')}; files: ${WORKLOAD_EXTENSIONS.join(', ')})`, {
    field: '--workload',
    fix: 'use a built-in name, a SCALE-Sim topology .csv, an ONNX model .onnx or a Timeloop problem .yaml',
  });
}

export const workloadSource = defineWorkloadSource({
  name: 'workloads',
  description: 'Built-in networks (AlexNet, VGG-16, ResNet-18/50, MobileNetV2, BERT-base) and ONNX / SCALE-Sim CSV / Timeloop problem YAML import',
  builtins: BUILTIN_WORKLOADS,
  extensions: WORKLOAD_EXTENSIONS,
  load: loadWorkload,
});

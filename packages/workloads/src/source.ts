import { extname } from 'node:path';
import { defineWorkloadSource, parseWith, readYamlFile, TrimUserError, type Network, type WorkloadLoadOptions } from '@trim-dse/core';
import { importScaleSimCsv } from './scalesim/import.js';
import { loadOptionsSchema } from './schema.js';
import { importTimeloopProblem } from './timeloop/problem.js';
import { ZOO } from './zoo/index.js';
import { loadOnnx } from './onnx/index.js';
import { buildNetworkFile } from './network/build.js';
import { isNetworkFile, networkFileSchema } from './network/schema.js';

/** Built-ins with a one-token decode step over a KV cache. */
const DECODERS: readonly string[] = ['gpt2-small', 'llama3-8b', 'gpt3-175b', 'llama3-70b'];
/** Built-ins whose token count `seqLen` (`--seq`) sets. */
const SEQUENCE_MODELS: readonly string[] = ['bert-base', 'bert-base-seq512', 'bert-base-block', ...DECODERS];

export const BUILTIN_WORKLOADS: readonly string[] = Object.keys(ZOO);
export const WORKLOAD_EXTENSIONS: readonly string[] = ['.csv', '.yaml', '.yml', '.json', '.onnx'];

/**
 * A built-in name or a file path (SCALE-Sim topology `.csv`, ONNX `.onnx`, Timeloop problem `.yaml`/`.yml`), every
 * tensor at `options.precision`: none of these files declares a number format that binds the accelerator (an ONNX
 * dtype is how the weights are stored, not what the datapath computes in).
 */
export function loadWorkload(ref: string, rawOptions: WorkloadLoadOptions): Network {
  const options = parseWith(loadOptionsSchema, rawOptions, `workload ${ref}`);
  const build = Object.hasOwn(ZOO, ref) ? ZOO[ref] : undefined;
  if (build && options.seqLen !== undefined && !SEQUENCE_MODELS.includes(ref)) {
    throw new TrimUserError(`workload ${ref} has no sequence length to set (sequence models: ${SEQUENCE_MODELS.join(', ')})`, { field: '--seq', fix: 'drop --seq' });
  }
  if (build && options.causal === true && !DECODERS.includes(ref)) {
    throw new TrimUserError(`workload ${ref} has no causal attention (decoders: ${DECODERS.join(', ')})`, { field: '--causal', fix: 'drop --causal' });
  }
  if (options.mode === 'decode' && !DECODERS.includes(ref)) {
    throw new TrimUserError(`workload ${ref} has no decode step (decoder models: ${DECODERS.join(', ')})`, { field: '--phase', fix: `use --phase inference, or a decoder: ${DECODERS.join(', ')}` });
  }
  if (build) return build(options);
  const ext = extname(ref).toLowerCase();
  if (ext === '.csv') return importScaleSimCsv(ref, options);
  if (ext === '.onnx') return loadOnnx(ref, options);
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    // A network file has a `layers` list; a Timeloop problem a `problem` (told apart by content).
    const doc = readYamlFile(ref);
    if (isNetworkFile(doc)) return buildNetworkFile(parseWith(networkFileSchema, doc, ref), options);
    if (ext === '.json') {
      throw new TrimUserError(`${ref}: not a TRIM network file (no "layers" list)`, { field: '--workload', fix: 'see docs/network-format.md for the network file format' });
    }
    return importTimeloopProblem(ref, options);
  }
  throw new TrimUserError(`unknown workload "${ref}" (built-ins: ${BUILTIN_WORKLOADS.join(', ')}; files: ${WORKLOAD_EXTENSIONS.join(', ')})`, {
    field: '--workload',
    fix: 'use a built-in name, a SCALE-Sim topology .csv, an ONNX model .onnx, a network file .yaml/.json or a Timeloop problem .yaml',
  });
}

export const workloadSource = defineWorkloadSource({
  name: 'workloads',
  description: 'Built-in networks (AlexNet, VGG-16, ResNet-18/50, MobileNetV2, BERT-base, GPT-2 small, GPT-3 175B, LLaMA 3 8B and 70B) and ONNX / SCALE-Sim CSV / network file (YAML, JSON) / Timeloop problem YAML import',
  builtins: BUILTIN_WORKLOADS,
  extensions: WORKLOAD_EXTENSIONS,
  load: loadWorkload,
});

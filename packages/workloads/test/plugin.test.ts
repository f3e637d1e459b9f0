import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { isTrimUserError, Registry, resolveWorkload } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import plugin, { BUILTIN_WORKLOADS, loadWorkload, workloadSource } from '../src/index.js';
import { totalMacs } from './helpers.js';

// The reference data lives in the repository (validation/, with its provenance).
const VALIDATION = fileURLToPath(new URL('../../../validation', import.meta.url));

async function userError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (isTrimUserError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a TrimUserError');
}

describe('@trim-dse/workloads plug-in', () => {
  const registry = new Registry().use(plugin);

  it('registers one workload source with the zoo and the file extensions', () => {
    expect(plugin.name).toBe('@trim-dse/workloads');
    expect(workloadSource.kind).toBe('workload');
    expect([...BUILTIN_WORKLOADS].sort()).toEqual(['alexnet', 'bert-base', 'bert-base-block', 'bert-base-seq512', 'gpt2-small', 'gpt3-175b', 'llama3-70b', 'llama3-8b', 'mobilenetv2', 'resnet18', 'resnet50', 'vgg16', 'vit-b16']);
    expect(workloadSource.extensions).toEqual(['.csv', '.yaml', '.yml', '.json', '.onnx']);
  });

  it('resolves built-ins and files through the registry', async () => {
    expect(totalMacs(await resolveWorkload(registry, 'alexnet', { batch: 4, precision: 'int16' }))).toBe(4 * 724_406_816);
    const csv = join(`${VALIDATION}/scalesim`, 'a_32x32_os_resnet18', 'topology.csv');
    expect((await resolveWorkload(registry, csv, { batch: 1, precision: 'int16' })).layers).toHaveLength(21);
    const yaml = `${VALIDATION}/timeloop/inputs/baseline_designs/layer_shapes/AlexNet/AlexNet_layer1.yaml`;
    expect(totalMacs(await resolveWorkload(registry, yaml, { batch: 1, precision: 'int16' }))).toBe(105_415_200);
  });

  it('builds every tensor of every source at the requested precision, and requires one', async () => {
    const csv = join(`${VALIDATION}/scalesim`, 'a_32x32_os_resnet18', 'topology.csv');
    const yaml = `${VALIDATION}/timeloop/inputs/baseline_designs/layer_shapes/AlexNet/AlexNet_layer1.yaml`;
    for (const ref of ['alexnet', 'bert-base', csv, yaml]) {
      for (const precision of ['int8', 'bf16'] as const) {
        const net = await resolveWorkload(registry, ref, { batch: 1, precision });
        for (const t of net.tensors.values()) expect(t.precision, `${ref} ${t.name}`).toBe(precision);
      }
    }
    expect(await userError(() => loadWorkload('alexnet', { batch: 1 } as unknown as Parameters<typeof loadWorkload>[1]))).toMatch(/workload alexnet: field precision/);
  });

  it('passes seqLen to BERT; the seq512 alias fixes 512 tokens', () => {
    expect(loadWorkload('bert-base', { batch: 1, precision: 'int16', seqLen: 256 }).tensors.get('tokens')!.shape).toEqual([1, 768, 256, 1]);
    expect(loadWorkload('bert-base-seq512', { batch: 1, precision: 'int16' }).tensors.get('tokens')!.shape).toEqual([1, 768, 512, 1]);
    expect(loadWorkload('bert-base-seq512', { batch: 1, precision: 'int16', seqLen: 512 }).name).toBe('bert-base-seq512');
  });

  it('rejects an unknown name listing the built-ins, and bad options naming the field', async () => {
    expect(await userError(() => loadWorkload('lenet', { batch: 1, precision: 'int16' }))).toMatch(/unknown workload "lenet" \(built-ins: alexnet, vgg16, resnet18, resnet50, mobilenetv2, bert-base, bert-base-seq512/);
    expect(await userError(() => loadWorkload('alexnet', { batch: 0, precision: 'int16' }))).toMatch(/workload alexnet: field batch/);
    expect(await userError(() => loadWorkload('bert-base', { batch: 1, precision: 'int16', seqLen: 1.5 }))).toMatch(/field seqLen/);
    expect(await userError(() => loadWorkload('bert-base-seq512', { batch: 1, precision: 'int16', seqLen: 128 }))).toMatch(/has 512 tokens, but seqLen 128/);
    expect(await userError(() => resolveWorkload(registry, 'lenet', { batch: 1, precision: 'int16' }))).toMatch(/built-ins: alexnet, bert-base/);
  });
});

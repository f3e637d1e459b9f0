import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inferenceOps, type Network, type Op, type WorkloadSourcePlugin } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { trainingOps } from '../src/index.js';

// The built-in zoo lives in @trim-dse/workloads (written separately); these checks run once it provides the nets.
const url = new URL('../../workloads/src/index.ts', import.meta.url);
const sources: readonly WorkloadSourcePlugin[] = existsSync(fileURLToPath(url))
  ? (((await import(url.href)) as { default: { workloadSources?: readonly WorkloadSourcePlugin[] } }).default.workloadSources ?? [])
  : [];
const find = (re: RegExp) => {
  for (const s of sources) for (const b of s.builtins ?? []) if (re.test(b)) return { s, name: b };
  return undefined;
};
const macs = (ops: readonly Op[], phase?: string) => ops.reduce((a, o) => a + (o.kind === 'mac' && (!phase || o.phase === phase) ? o.macs : 0), 0);

describe.each([
  ['resnet18', /^resnet-?18$/i, 1_814_073_344],
  ['vgg16', /^vgg-?16$/i, 15_470_264_320],
])('built-in %s (when the workloads package provides it)', (_id, re, handForward) => {
  const hit = find(re);
  it.skipIf(!hit)('training MACs = forward + backward-data (all but the first layer) + backward-weight', async () => {
    const net: Network = await hit!.s.load(hit!.name, { batch: 1 });
    const fwd = macs(inferenceOps(net));
    expect(fwd).toBe(handForward);
    const first = (inferenceOps(net).find((o) => o.kind === 'mac') as Extract<Op, { kind: 'mac' }>).macs;
    const ops = trainingOps(net);
    expect(macs(ops, 'backward-data')).toBe(fwd - first);
    expect(macs(ops, 'backward-weight')).toBe(fwd);
    expect(macs(ops)).toBe(3 * fwd - first);
  });
});

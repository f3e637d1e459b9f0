import { evaluateRequest, Port, type Registry } from '@trim-dse/core';
import { createRegistry } from '@trim-dse/cli';
import { beforeAll, describe, expect, it } from 'vitest';

let registry: Registry;
beforeAll(async () => {
  registry = await createRegistry();
});

/** Bytes per cycle each DRAM interface moves in a layer must fit the spec (a float-sum slack of 1e-9). */
const SLACK = 1 + 1e-9;

describe('no layer on a built-in systolic architecture moves DRAM bytes faster than its spec (ResNet-18)', () => {
  it('tpu-v1: 34 GB/s, one shared interface — every layer’s DRAM bytes / seconds ≤ 34e9', async () => {
    const r = await evaluateRequest(registry, { arch: 'tpu-v1', workload: 'resnet18' });
    expect(r.hardware.levels[2].port).toBe(Port.Shared);
    for (const l of r.layers) {
      // A fused op's traffic is in its head's row (checked there); its own row is empty.
      if (l.fusedInto !== undefined) continue;
      const seconds = l.cycles / (r.clockMHz * 1e6);
      expect(l.dramBytes / seconds, l.name).toBeLessThanOrEqual(34e9 * SLACK);
    }
    // The bandwidth-bound layers run at the spec, not above it.
    const peak = Math.max(...r.layers.filter((l) => l.cycles > 0).map((l) => l.dramBytes / (l.cycles / (r.clockMHz * 1e6))));
    expect(peak).toBeGreaterThan(34e9 * 0.99);
    expect(r.totals.dramBytes / r.totals.seconds).toBeLessThanOrEqual(34e9 * SLACK);
  });
  for (const arch of ['systolic-8x8', 'systolic-32x32', 'systolic-128x128']) {
    it(`${arch} at 4 one-byte words per cycle, per-operand and shared interfaces`, async () => {
      for (const interfaces of ['per-operand', 'shared']) {
        const r = await evaluateRequest(registry, { arch, sets: ['dram.bandwidth=4', `dram.interfaces=${interfaces}`], workload: 'resnet18' });
        for (const l of r.layers) {
          const dram = l.accesses.dram;
          // int8 tensors: one byte per element.
          const perTensor = Object.values(dram).map((a) => a.reads + a.writes);
          const busiest = interfaces === 'shared' ? perTensor.reduce((a, b) => a + b, 0) : Math.max(0, ...perTensor);
          expect(busiest, `${arch} ${interfaces} ${l.name}`).toBeLessThanOrEqual(4 * l.cycles * SLACK);
        }
      }
    });
  }
});

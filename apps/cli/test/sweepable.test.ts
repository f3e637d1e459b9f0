import { checkSpacePoints, prepareExplore, type ExploreSpace } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/builtins.js';

const registry = await createRegistry({});

/** Every numeric leaf of a spec, as the `--set` path that reaches it (array entries by index). */
function numericPaths(v: unknown, path: string[] = []): Array<[string, number]> {
  if (typeof v === 'number') return [[path.join('.'), v]];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, c]) => numericPaths(c, [...path, k]));
}

const space = (template: string, base: string | Record<string, unknown>, parameters: Array<[string, number[]]>): ExploreSpace => ({
  name: 'test',
  description: '',
  template,
  base,
  parameters: parameters.map(([path, values]) => ({ path, values })),
  workloads: [{ workload: 'alexnet', weight: 1, phase: 'inference', batch: 1 }],
});

describe('every numeric field of every built-in architecture can be swept', () => {
  for (const { name, value } of registry.architectures.entries()) {
    it(name, () => {
      const paths = numericPaths(value.spec);
      expect(paths.length).toBeGreaterThanOrEqual(3);
      // Each field swept over its own value: every point is a valid spec (the space is checked before a run).
      for (const [path, v] of paths) {
        expect(() => checkSpacePoints(registry, prepareExplore(registry, { space: space(value.template, name, [[path, [v]]]), search: 'exhaustive', seed: 1 })), path).not.toThrow();
      }
    });
  }

  it('DRAM bandwidth in GB/s: the systolic link ({ GBps }) and the FPGA board link (dramGBps)', () => {
    const tpu = prepareExplore(registry, { space: space('systolic', 'tpu-v1', [['dram.bandwidth.GBps', [17, 34, 68]]]), search: 'exhaustive', seed: 1 });
    expect(() => checkSpacePoints(registry, tpu)).not.toThrow();
    expect(tpu.grid.size).toBe(3);
    const fpga = prepareExplore(registry, { space: space('fpga', 'zhang-fpga15-vc707', [['dramGBps', [6.4, 12.8]]]), search: 'exhaustive', seed: 1 });
    expect(() => checkSpacePoints(registry, fpga)).not.toThrow();
    expect(fpga.grid.size).toBe(2);
  });
});

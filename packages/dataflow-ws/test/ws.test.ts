import { bestMapping, buildGeneric, describeMapping, genericHardware, genericSchema, macOp, slotNames } from '@trim-dse/core';
import { checkDataflow, collectMappings, sampleOps } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { wsDataflow, wsSchema } from '../src/index.js';
import { spatial, systolic } from './hw.js';

const config = wsSchema.parse({});
const generic = buildGeneric(genericSchema.parse(genericHardware.builtins['generic-16x16']), 'generic-16x16');

/** SCALE-Sim's GEMM test case (M = 128, N = 64, K = 256) in TRIM's convention (P = M, C = K, K = N), 1-byte words. */
const gemm = macOp({
  name: 'Test 1',
  layer: 'Test 1',
  layerKind: 'matmul',
  phase: 'forward',
  bounds: { P: 128, C: 256, K: 64 },
  operands: [
    { tensor: 'weights', projection: 'filter', bytes: 1, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes: 1, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes: 1, density: 1 },
  ],
});

describe('ws dataflow', () => {
  it('registers one dataflow for the systolic, generic and spatial templates', () => {
    expect(plugin.dataflows?.map((d) => d.name)).toEqual(['ws']);
    expect(wsDataflow.templates).toEqual(['systolic', 'generic', 'spatial']);
  });
  it('passes the core conformance kit on a systolic array, a non-square one, the generic and a spatial template', () => {
    checkDataflow(wsDataflow, systolic());
    checkDataflow(wsDataflow, systolic(16, 64));
    checkDataflow(wsDataflow, generic);
    checkDataflow(wsDataflow, spatial());
  });
  it('reproduces SCALE-Sim v2 on its GEMM test case (32×32, 64 KB SRAMs)', () => {
    const r = bestMapping(gemm, systolic(), { plugin: wsDataflow, config }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.cycles).toBe(3551);
    const c = r.cost;
    // SRAM ifmap reads, filter reads, ofmap writes; DRAM ifmap reads, filter reads, ofmap writes.
    expect([c.reads[3 + 1], c.reads[3], c.writes[3 + 2], c.reads[6 + 1], c.reads[6], c.writes[6 + 2]]).toEqual([65536, 16384, 65536, 65536, 16384, 65567]);
  });
  it('on the systolic template emits exactly one mapping, within the array', () => {
    const ms = collectMappings(wsDataflow, gemm, systolic(), config);
    expect(ms).toHaveLength(1);
    const d = describeMapping(ms[0], systolic(), slotNames(gemm));
    const sram = d.levels.find((l) => l.level === 'sram')!;
    const prod = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((a, v) => a * (v ?? 1), 1);
    expect(prod(sram.spatialY)).toBeLessThanOrEqual(32);
    expect(prod(sram.spatialX)).toBeLessThanOrEqual(32);
  });
  it('runs only on arrays wired for it (or for any dataflow)', () => {
    expect(wsDataflow.supports!(gemm, systolic(32, 32, 'ws'))).toBe(true);
    expect(wsDataflow.supports!(gemm, systolic(32, 32, 'any'))).toBe(true);
    expect(wsDataflow.supports!(gemm, systolic(32, 32, 'os'))).toBe(false);
    expect(wsDataflow.supports!(gemm, generic)).toBe(true);
  });
  it('on a tiled template the PEs keep only the stationary operand', () => {
    for (const op of sampleOps()) {
      for (const m of collectMappings(wsDataflow, op, generic, config).slice(0, 3)) {
        expect(Array.from(m.keep.slice(0, 3))).toEqual([1, 0, 0]);
      }
    }
  });
});

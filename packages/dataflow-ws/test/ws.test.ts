import { bestMapping, buildGeneric, genericHardware, genericSchema, Illegal, macOp } from '@trim-dse/core';
import { checkDataflow, collectMappings, sampleOps } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { wsDataflow, wsSchema } from '../src/index.js';
import { spatial, systolic } from './hw.js';

const config = wsSchema.parse({});
const generic = buildGeneric(genericSchema.parse(genericHardware.builtins['generic-16x16']), 'generic-16x16');
/** The pe-level keep flags (weights, inputs, outputs) of weight stationary: the one operand the PEs keep. */
const KEEP = [1, 0, 0];

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

const product = (a: Int32Array, level: number) => a.slice(level * 8, level * 8 + 8).reduce((x, v) => x * v, 1);

describe('ws dataflow', () => {
  it('registers one dataflow for the systolic, generic, spatial, timeloop and zigzag templates, with no cost code', () => {
    expect(plugin.dataflows?.map((d) => d.name)).toEqual(['ws']);
    expect(wsDataflow.templates).toEqual(['systolic', 'generic', 'spatial', 'timeloop', 'zigzag']);
    expect(Object.keys(wsDataflow)).not.toContain('evaluate');
  });
  it('passes the core conformance kit on systolic arrays (square, 16×64, 1×1, 8×1), the generic and a spatial template', () => {
    for (const [rows, cols] of [
      [32, 32],
      [16, 64],
      [1, 1],
      [8, 1],
    ])
      checkDataflow(wsDataflow, systolic(rows, cols));
    checkDataflow(wsDataflow, generic);
    checkDataflow(wsDataflow, spatial());
  });
  it('on stationary-operand hardware (systolic) emits exactly one mapping: the PEs keep the weight, the unroll fits the array', () => {
    for (const [rows, cols] of [
      [32, 32],
      [16, 64],
      [1, 1],
    ]) {
      const ms = collectMappings(wsDataflow, gemm, systolic(rows, cols), config);
      expect(ms).toHaveLength(1);
      expect(Array.from(ms[0].keep.slice(0, 3))).toEqual(KEEP);
      expect(product(ms[0].spatialY, 1)).toBeLessThanOrEqual(rows);
      expect(product(ms[0].spatialX, 1)).toBeLessThanOrEqual(cols);
    }
  });
  it('its mapping is one the template accepts (one stationary operand), so the op maps; the template prices it', () => {
    const hw = systolic();
    const [m] = collectMappings(wsDataflow, gemm, hw, config);
    const r = bestMapping(gemm, hw, { plugin: wsDataflow, config }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.evaluated).toBe(1);
    expect(r.cost.illegal).toBe(Illegal.None);
    expect(r.cost.cycles).toBe(hw.cost.evaluate(gemm, m, r.cost.clone()).cycles);
  });
  it('on a tiled template the PEs keep only the stationary operand', () => {
    for (const op of sampleOps()) {
      for (const m of collectMappings(wsDataflow, op, generic, config).slice(0, 3)) {
        expect(Array.from(m.keep.slice(0, 3))).toEqual(KEEP);
      }
    }
  });
});

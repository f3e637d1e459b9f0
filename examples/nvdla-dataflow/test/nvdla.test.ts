import { bestMapping, buildGeneric, genericHardware, genericSchema, macOp, type GenericSpecInput, type MacOp } from '@trim-dse/core';
import { checkDataflow, checkPlugin, collectMappings, sampleOps } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { nvdlaDataflow, nvdlaSchema } from '../src/index.js';

const base = genericHardware.builtins['generic-16x16'] as GenericSpecInput;
const generic = buildGeneric(genericSchema.parse(base), 'generic-16x16');
/** A non-square array: 8 atomic-C lanes × 32 atomic-K cells. */
const wide = buildGeneric(genericSchema.parse({ ...base, name: 'generic-8x32', levels: base.levels.map((l, i) => (i === 1 ? { ...l, fanout: { x: 32, y: 8 } } : l)) }), 'generic-8x32');

const conv = (name: string, bounds: Parameters<typeof macOp>[0]['bounds']): MacOp =>
  macOp({
    name,
    layer: name,
    layerKind: 'conv2d',
    phase: 'forward',
    bounds,
    operands: [
      { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
      { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
      { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
    ],
  });

describe('nvdla dataflow (example plug-in)', () => {
  it('registers cleanly and passes the core conformance kit', () => {
    const registry = checkPlugin(plugin);
    expect(registry.dataflows.get('nvdla')).toBe(nvdlaDataflow);
    checkDataflow(nvdlaDataflow, generic);
    checkDataflow(nvdlaDataflow, wide, { ops: sampleOps() });
  });

  it('puts K across the array and C down it, never R or S (hand case: 16×16 array, C = K = 16, 3×3 kernel, 4×4 outputs)', () => {
    const op = conv('conv', { K: 16, C: 16, P: 4, Q: 4, R: 3, S: 3 });
    const config = nvdlaSchema.parse({});
    for (const m of collectMappings(nvdlaDataflow, op, generic, config)) {
      // Array level 1, dims N G K C P Q R S = 0..7.
      expect(m.spatialY[1 * 8 + 6] * m.spatialY[1 * 8 + 7] * m.spatialX[1 * 8 + 6] * m.spatialX[1 * 8 + 7]).toBe(1);
    }
    const r = bestMapping(op, generic, { plugin: nvdlaDataflow, config }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    // Every PE busy: 16·16 lanes, so compute takes P·Q·R·S = 4·4·3·3 = 144 cycles.
    expect(r.mapping.spatialX[1 * 8 + 2]).toBe(16);
    expect(r.mapping.spatialY[1 * 8 + 3]).toBe(16);
    expect(r.cost.computeCycles).toBe(144);
  });

  it('takes its options through the registry’s one channel, checked by its schema', () => {
    const registry = checkPlugin(plugin);
    registry.setOptions('nvdla', { maxCandidates: 4 }, '--plugin-option nvdla.maxCandidates=4');
    expect(registry.configOf('dataflow', nvdlaDataflow)).toEqual({ maxCandidates: 4, weightReuseOrders: true });
    registry.setOptions('nvdla', { maxCandidates: 1 }, '--plugin-option nvdla.maxCandidates=1');
    expect(() => registry.configOf('dataflow', nvdlaDataflow)).toThrow(/maxCandidates/);
  });

  it('idles the atomic-C lanes on a depthwise convolution (one channel per group)', () => {
    const op = conv('dw', { G: 16, K: 1, C: 1, P: 4, Q: 4, R: 3, S: 3 });
    const r = bestMapping(op, generic, { plugin: nvdlaDataflow, config: nvdlaSchema.parse({}) }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.utilization).toBeLessThanOrEqual(1 / 16);
  });
});

import { defineDataflow, Evaluator, NetworkBuilder, opResultOf, tiledMapspace } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { phaseSummary, trainingOps } from '../src/index.js';
import { generic16, testDataflow } from './helpers.js';

/** An output-stationary-like dataflow: output rows and columns across the array. */
const testOs = defineDataflow({
  name: 'test-os',
  description: 'P across x, Q across y',
  templates: '*',
  mapspace: (op, hw, emit) =>
    tiledMapspace(op, hw, { spatialX: ['P'], spatialY: ['Q'], peOrder: ['C', 'R', 'S'], peDims: ['S'], outerOrders: [['N', 'K', 'C', 'P', 'Q', 'R', 'S']], maxCandidates: 2 }, emit),
});

describe('one hardware, several dataflows: each op of each phase picks its own', () => {
  it('records the dataflow per op and sums the picks per phase', () => {
    const b = new NetworkBuilder('small', 'int16');
    const x = b.input('x', [4, 16, 32, 32]);
    const c1 = b.conv('c1', x, { outChannels: 32, kernel: 3, padding: 1 });
    const r1 = b.relu('r1', c1);
    const c2 = b.conv('c2', r1, { outChannels: 64, kernel: 3, stride: 2, padding: 1 });
    const f = b.flatten('f', c2);
    b.linear('fc', f, 10);
    const ops = trainingOps(b.build(), { optimizer: 'momentum' });
    const hw = generic16();
    const ev = new Evaluator(hw, [{ plugin: testDataflow, config: {} }, { plugin: testOs, config: {} }], 'latency');
    const results = ops.map((o) => opResultOf(ev.evaluateOp(o), hw));
    for (const r of results) {
      if (r.macs > 0) {
        expect(['test-ws', 'test-os']).toContain(r.dataflow);
        expect(r.alternatives!.map((a) => a.dataflow)).toEqual(['test-ws', 'test-os']);
      } else expect(r.dataflow).toBe('vector');
    }
    const s = phaseSummary(results);
    expect(Object.values(s).reduce((a, p) => a + (p?.ops ?? 0), 0)).toBe(ops.length);
    // The fc layer (P = Q = 1) cannot use an array of output pixels: weight-stationary wins its forward op.
    expect(results.find((r) => r.name === 'fc')!.dataflow).toBe('test-ws');
  });
});

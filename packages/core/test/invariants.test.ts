import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestMapping, defineDataflow, evaluate, Evaluator, tiledMapspace, totalMacUnits, type MacOp } from '../src/index.js';
import { checkDataflow } from '../src/testkit/index.js';
import { convOp, hardware, level } from './helpers.js';

/** A weight-stationary-like test dataflow over the generic tiled mapspace. */
const testWs = defineDataflow({
  name: 'test-ws',
  description: 'test',
  templates: '*',
  mapspace: (op, hw, emit) =>
    tiledMapspace(op, hw, { spatialX: ['C', 'R'], spatialY: ['K'], peOrder: ['N', 'P', 'Q'], outerOrders: [['K', 'C', 'R', 'S', 'N', 'P', 'Q'], ['N', 'P', 'Q', 'K', 'C', 'R', 'S']], maxCandidates: 4 }, emit),
});

const hw = (glbWords: number, dramBw: number) =>
  hardware([
    level('rf', { capacityWords: 16, doubleBuffered: false, readEnergyPj: 0.5 }),
    level('glb', { capacityWords: glbWords, fanoutX: 4, fanoutY: 4, readBandwidth: 16, writeBandwidth: 16, readEnergyPj: 6, networkEnergyPj: 2 }),
    level('dram', { readBandwidth: dramBw, writeBandwidth: dramBw, readEnergyPj: 200 }),
  ]);

const opArb = fc
  .record({ K: fc.integer({ min: 1, max: 12 }), C: fc.integer({ min: 1, max: 12 }), P: fc.integer({ min: 1, max: 8 }), R: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }) })
  .map((b): MacOp => convOp({ K: b.K, C: b.C, P: b.P, Q: b.P, R: b.R, S: b.R }, { stride: b.stride }));

describe('invariants of the best mapping', () => {
  it('the conformance kit accepts a tiled dataflow', () => {
    expect(() => checkDataflow(testWs, hw(4096, 4))).not.toThrow();
  });

  it('cycles ≥ MACs / PEs and MACs are conserved', () => {
    fc.assert(
      fc.property(opArb, (op) => {
        const h = hw(4096, 4);
        const r = bestMapping(op, h, { plugin: testWs, config: {} }, 'latency');
        if (!('mapping' in r)) return;
        expect(r.cost.macs).toBe(op.macs);
        expect(r.cost.cycles * totalMacUnits(h)).toBeGreaterThanOrEqual(op.macs);
      }),
      { numRuns: 40, seed: 1 },
    );
  });

  it('more buffer or more bandwidth never makes the best mapping worse', () => {
    fc.assert(
      fc.property(opArb, fc.integer({ min: 64, max: 2048 }), fc.integer({ min: 1, max: 8 }), (op, glb, bw) => {
        for (const goal of ['latency', 'energy'] as const) {
          const base = bestMapping(op, hw(glb, bw), { plugin: testWs, config: {} }, goal);
          const bigger = bestMapping(op, hw(glb * 2, bw), { plugin: testWs, config: {} }, goal);
          const faster = bestMapping(op, hw(glb, bw * 2), { plugin: testWs, config: {} }, goal);
          if (!('mapping' in base)) continue;
          expect('mapping' in bigger && 'mapping' in faster).toBe(true);
          if (!('mapping' in bigger) || !('mapping' in faster)) continue;
          const metric = (c: { cycles: number; energyPj: number }) => (goal === 'latency' ? c.cycles : c.energyPj);
          expect(metric(bigger.cost)).toBeLessThanOrEqual(metric(base.cost));
          expect(metric(faster.cost)).toBeLessThanOrEqual(metric(base.cost));
        }
      }),
      { numRuns: 25, seed: 2 },
    );
  });
});

describe('a misbehaving plug-in is named', () => {
  const hwm = hw(4096, 4);
  const op = convOp({ K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 });
  it('a dataflow that throws becomes an internal error naming it and the layer', () => {
    const broken = defineDataflow({ name: 'broken', description: 'x', templates: '*', mapspace: () => { throw new Error('oops'); } });
    const ev = new Evaluator(hwm, [{ plugin: broken, config: {} }], 'latency');
    expect(() => ev.evaluateOp(op)).toThrow(/dataflow broken on layer op \(forward\): oops/);
  });
  it('a dataflow whose own cost model returns nonsense breaks an invariant, reported with the op', () => {
    const liar = defineDataflow({
      name: 'liar',
      description: 'x',
      templates: '*',
      mapspace: testWs.mapspace,
      evaluate: (o, h, m, out) => {
        evaluate(o, h, m, out);
        out.cycles = 1; // faster than MACs / PEs allows
        return out;
      },
    });
    const ev = new Evaluator(hwm, [{ plugin: liar, config: {} }], 'latency');
    expect(() => ev.evaluateOp(op)).toThrow(/dataflow liar on layer op \(forward\): invariant broken for op op.*cycles 1 below MACs \/ PEs/);
  });
});

describe('onPluginError: skip', () => {
  it('a throwing dataflow is skipped for the op with a warning, and the others still map it', () => {
    const hwm = hw(4096, 4);
    const op = convOp({ K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 });
    const broken = defineDataflow({ name: 'broken', description: 'x', templates: '*', mapspace: () => { throw new Error('oops'); } });
    const warnings: string[] = [];
    const ev = new Evaluator(hwm, [{ plugin: broken, config: {} }, { plugin: testWs, config: {} }], 'latency', { onPluginError: 'skip', warn: (m) => warnings.push(m) });
    expect(ev.evaluateOp(op).dataflow).toBe('test-ws');
    expect(warnings[0]).toMatch(/dataflow broken on layer op \(forward\): oops \(skipped\)/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestMapping, defineDataflow, evaluate, Evaluator, tiledMapspace, totalMacUnits, withCostModel, type MacOp } from '../src/index.js';
import { checkCost, perSlot, Registry } from '../src/index.js';
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

/** 16-bit words: capacities and bandwidths given in words are × 2 bytes, energies per word ÷ 2. */
const hw = (glbWords: number, dramBw: number) =>
  hardware([
    level('rf', { capacityBytes: 32, doubleBuffered: false, readPjPerByte: perSlot(0.25) }),
    level('glb', { capacityBytes: glbWords * 2, fanoutX: 4, fanoutY: 4, readBytesPerCycle: 32, writeBytesPerCycle: 32, readPjPerByte: perSlot(3), networkPjPerByte: 1 }),
    level('dram', { readBytesPerCycle: dramBw * 2, writeBytesPerCycle: dramBw * 2, readPjPerByte: perSlot(100) }),
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
  it('a template whose cost model returns nonsense breaks an invariant, reported with the template and the op', () => {
    const { cost: _cost, ...base } = hwm;
    const liar = withCostModel({ ...base, template: 'liar' }, () => ({
      mappingDetail: 'loop-nest',
      check: (o, m, out) => evaluate(o, hwm, m, out),
      evaluate: (o, m, out) => {
        evaluate(o, hwm, m, out);
        out.cycles = 1; // faster than MACs / PEs allows
        return out;
      },
    }));
    const ev = new Evaluator(liar, [{ plugin: testWs, config: {} }], 'latency');
    expect(() => ev.evaluateOp(op)).toThrow(/template liar \(architecture "test"\) on layer op \(forward\): invariant broken for op op.*cycles 1 below the busy cycles/);
  });
  it('a template whose cost model throws is named, not the dataflow that drove it', () => {
    const { cost: _cost, ...base } = hwm;
    const thrower = withCostModel({ ...base, template: 'thrower' }, () => ({
      mappingDetail: 'loop-nest',
      check: () => {
        throw new Error('boom');
      },
      evaluate: () => {
        throw new Error('boom');
      },
    }));
    const ev = new Evaluator(thrower, [{ plugin: testWs, config: {} }], 'latency');
    expect(() => ev.evaluateOp(op)).toThrow(/template thrower \(architecture "test"\) on layer op \(forward\): boom/);
  });
  it('a dataflow that still brings its own cost model is refused at registration', () => {
    const stale = { name: 'stale', description: 'x', templates: '*', mapspace: testWs.mapspace, evaluate: () => undefined };
    expect(() => new Registry().use({ name: 'stale-plugin', dataflows: [stale as never] })).toThrow(/dataflows\[0\] \(stale\)\.evaluate: a dataflow only proposes mappings/);
  });
});

describe('checkCost catches costs inconsistent with the hardware', () => {
  const h = hw(4096, 1);
  const op = convOp({ K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 });
  const best = () => {
    const r = bestMapping(op, h, { plugin: testWs, config: {} }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    return r.cost;
  };
  it('a legal cost passes', () => {
    expect(() => checkCost(op, h, best())).not.toThrow();
  });
  it('a level moving more bytes per cycle than its ports allow (time inconsistent with bytes)', () => {
    const c = best();
    c.readBytes[2 * 3 + 1] += c.cycles * 4; // 4 more bytes per cycle than DRAM's 2
    expect(() => checkCost(op, h, c)).toThrow(/level dram moves .* bytes in .* cycles, more than its ports allow/);
  });
  it('DRAM reads removed without an on-chip copy to replace them (compulsory traffic)', () => {
    const c = best();
    c.reads[2 * 3 + 1] = 0;
    expect(() => checkCost(op, h, c)).toThrow(/inputs read from dram 0 times/);
  });
  it('a level filled with more than its parent delivers (conservation)', () => {
    const c = best();
    c.writes[1 * 3 + 0] = c.reads[2 * 3 + 0] * 2; // the glb fills twice what DRAM sent (fanout 1 between them)
    expect(() => checkCost(op, h, c)).toThrow(/glb→dram \[slot 0\]: the child level fills/);
  });
  it('a parent receiving more partial sums than its children drain (conservation)', () => {
    const c = best();
    c.writes[2 * 3 + 2] = c.reads[1 * 3 + 2] + 1;
    expect(() => checkCost(op, h, c)).toThrow(/\[slot 2\]: the parent receives/);
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

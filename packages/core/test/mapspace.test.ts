import { describe, expect, it } from 'vitest';
import { Cost, defineDataflow, evaluate, Evaluator, factorCandidates, divisors, NetworkBuilder, inferenceOps, opResultOf, tiledMapspace, type TiledSpec } from '../src/index.js';
import { collectMappings } from '../src/testkit/index.js';
import { convOp, hardware, level } from './helpers.js';

const spec: TiledSpec = { spatialX: ['C'], spatialY: ['K'], peOrder: ['P', 'Q'], outerOrders: [['K', 'C', 'P', 'Q']] };
const ws = defineDataflow({ name: 'ws', description: 't', templates: '*', mapspace: (op, hw, emit) => tiledMapspace(op, hw, spec, emit) });
const hw = hardware([
  level('rf', { capacityBytes: 16, doubleBuffered: false }),
  level('glb', { capacityBytes: 1024, fanoutX: 4, fanoutY: 4 }),
  level('dram'),
]);

describe('factor candidates', () => {
  it('divisors and thinned candidates keep 1 and n', () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
    const c = factorCandidates(720, 5);
    expect(c[0]).toBe(1);
    expect(c[c.length - 1]).toBe(720);
    expect(c.length).toBeLessThanOrEqual(5);
    for (const f of c) expect(720 % f).toBe(0);
  });
});

describe('tiled mapspace', () => {
  it('every mapping covers the bounds, unrolls C on x and K on y, and the rf tiles fit', () => {
    const op = convOp({ K: 6, C: 10, P: 5, Q: 5, R: 3, S: 3 });
    const all = collectMappings(ws, op, hw);
    expect(all.length).toBeGreaterThan(10);
    const cost = new Cost(3);
    let legal = 0;
    for (const m of all) {
      expect(m.spatialX[1 * 8 + 3]).toBeGreaterThan(1); // C on x
      expect(m.spatialY[1 * 8 + 2]).toBeGreaterThan(1); // K on y
      evaluate(op, hw, m, cost);
      if (cost.legal) legal++;
      else expect(cost.explain(hw)).not.toMatch(/rf/); // capacity pruning already removed rf overflows
    }
    expect(legal).toBeGreaterThan(0);
  });

  it('the evaluator memoises identical shapes and reports the same result', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [1, 8, 6, 6]);
    const c1 = b.conv('c1', x, { outChannels: 8, kernel: 3, padding: 1 });
    b.conv('c2', c1, { outChannels: 8, kernel: 3, padding: 1 });
    const ops = inferenceOps(b.build());
    const ev = new Evaluator(hw, [{ plugin: ws, config: {} }], 'latency');
    const r1 = opResultOf(ev.evaluateOp(ops[0]), hw);
    const n = ev.mappingsEvaluated;
    const r2 = opResultOf(ev.evaluateOp(ops[1]), hw);
    expect(ev.mappingsEvaluated).toBe(n);
    expect(r2.name).toBe('c2');
    expect(r2.cycles).toBe(r1.cycles);
    expect(r2.energyPj.total).toBe(r1.energyPj.total);
  });

  it('a memo hit reports the tensor roles of the op asked, not of the op that filled the memo', () => {
    // Same shape, other tensors (as a backward-data op beside a forward one): a shared memo entry must not leak roles.
    const fwd = convOp({ K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 });
    const bwd = { ...fwd, name: 'bwd', phase: 'backward-data' as const, operands: [
      { ...fwd.operands[0], tensor: 'weights' as const },
      { ...fwd.operands[1], tensor: 'grad-outputs' as const },
      { ...fwd.operands[2], tensor: 'grad-inputs' as const },
    ] as const };
    expect(bwd.key).toBe(fwd.key);
    const ev = new Evaluator(hw, [{ plugin: ws, config: {} }], 'latency');
    const a = opResultOf(ev.evaluateOp(fwd), hw);
    const b = opResultOf(ev.evaluateOp(bwd), hw);
    expect(Object.keys(a.accesses.dram).sort()).toEqual(['inputs', 'outputs', 'weights']);
    expect(Object.keys(b.accesses.dram).sort()).toEqual(['grad-inputs', 'grad-outputs', 'weights']);
    expect(b.phase).toBe('backward-data');
    expect(b.cycles).toBe(a.cycles);
  });

  it('on hardware whose cost model reads only the stationary operand, one candidate is emitted', () => {
    const op = convOp({ K: 6, C: 10, P: 5, Q: 5, R: 3, S: 3 });
    const stationaryOnly = { ...hw, cost: { ...hw.cost, mappingDetail: 'stationary-operand' as const } };
    expect(collectMappings(ws, op, stationaryOnly)).toHaveLength(1);
  });
});

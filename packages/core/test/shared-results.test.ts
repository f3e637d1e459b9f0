import { describe, expect, it } from 'vitest';
import { defineDataflow, Evaluator, inferenceOps, NetworkBuilder, scheduleNetwork, tiledMapspace } from '../src/index.js';
import { hardware, level } from './helpers.js';

// Memory of long networks (issue 16: a 100 k-layer network took 2 GB): ops of one shape share their nest view, and an
// op the schedule leaves alone keeps the evaluator's memoised cost instead of a copy of its own.
describe('ops of one shape share what does not depend on their names', () => {
  const ws = defineDataflow({
    name: 'ws',
    description: 't',
    templates: '*',
    mapspace: (op, h, emit) => tiledMapspace(op, h, { spatialX: ['C'], spatialY: ['K'], peOrder: ['P', 'Q'], outerOrders: [['K', 'C', 'P', 'Q', 'R', 'S']], maxCandidates: 4 }, emit),
  });
  const net = () => {
    const b = new NetworkBuilder('chain', 'int16');
    let x = b.input('x', [1, 8, 12, 12]);
    for (let i = 0; i < 50; i++) x = b.conv(`c${i}`, x, { outChannels: 8, kernel: 3, padding: 1 });
    return b.build();
  };
  const h = (glbBytes: number) =>
    hardware([
      level('rf', { capacityBytes: 64, doubleBuffered: false }),
      level('glb', { capacityBytes: glbBytes, fanoutX: 4, fanoutY: 4, readBytesPerCycle: 16, writeBytesPerCycle: 16 }),
      level('dram', { readBytesPerCycle: 4, writeBytesPerCycle: 4 }),
    ]);

  it('50 identical convs: one nest view; with nothing kept on chip, one cost object for all 50', () => {
    const n = net();
    const ops = inferenceOps(n);
    expect(new Set(ops.map((o) => (o.kind === 'mac' ? o.nest : undefined))).size).toBe(1);
    // A 4 KB buffer cannot keep a 2.3 KB tensor beside the op's tiles: the schedule changes nothing.
    const hw = h(4096);
    const ev = new Evaluator(hw, [{ plugin: ws, config: {} }], 'latency');
    const s = scheduleNetwork(n, ops, ops.map((o) => ev.evaluateOp(o)), hw, { policy: 'on-chip-handoff' });
    expect(s.placement.onChip.size).toBe(0);
    expect(new Set(s.results.map((r) => r.cost)).size).toBe(1);
  });

  it('an op whose tensors are kept on chip gets its own copy; the shared cost is left as it was', () => {
    const n = net();
    const ops = inferenceOps(n);
    const hw = h(1 << 20);
    const ev = new Evaluator(hw, [{ plugin: ws, config: {} }], 'latency');
    const priced = ops.map((o) => ev.evaluateOp(o));
    const before = priced[0].cost.dramBytes;
    const s = scheduleNetwork(n, ops, priced, hw, { policy: 'on-chip-handoff' });
    expect(s.placement.onChip.size).toBeGreaterThan(0);
    expect(s.results[1].cost).not.toBe(priced[1].cost);
    expect(s.results[1].cost.dramBytes).toBeLessThan(before);
    expect(priced[0].cost.dramBytes).toBe(before);
  });
});

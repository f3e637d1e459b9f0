import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Evaluator,
  NetworkBuilder,
  inferenceOps,
  networkEdges,
  onChipCapacityBytes,
  planPlacement,
  scheduleEdges,
  scheduleNetwork,
  withEdges,
  type OpEdges,
  type VectorOp,
} from '../src/index.js';
import { hardware, level } from './helpers.js';

const use = (tensor: string, elements = 50, bytes = 2) => ({ tensor, role: 'outputs', elements, bytes });
const chain = (spec: Array<[string[], string[]]>): OpEdges[] =>
  spec.map(([r, w]) => ({ reads: r.map((t) => ({ ...use(t), role: 'inputs' })), writes: w.map((t) => use(t)) }));

describe('on-chip hand-off placement', () => {
  // t0 feeds op1 and, as a residual branch, op3 (100 B each tensor).
  const residual = chain([[[], ['t0']], [['t0'], ['t1']], [['t1'], ['t2']], [['t2', 't0'], ['t3']], [['t3'], []]]);

  it('keeps the short hand-offs and spills the residual branch when the buffer holds two tensors', () => {
    const p = planPlacement(residual, 200, 'on-chip-handoff');
    expect([...p.onChip].sort()).toEqual(['t1', 't2', 't3']);
    expect([...p.onChipLiveBytes]).toEqual([0, 100, 200, 200, 100]);
  });

  it('keeps the residual branch too when three fit', () => {
    const p = planPlacement(residual, 300, 'on-chip-handoff');
    expect([...p.onChip].sort()).toEqual(['t0', 't1', 't2', 't3']);
    expect(p.peakOnChipBytes).toBe(300);
  });

  it('layer-by-layer keeps nothing; a buffer smaller than any tensor keeps nothing', () => {
    expect(planPlacement(residual, 1e9, 'layer-by-layer').onChip.size).toBe(0);
    expect(planPlacement(residual, 99, 'on-chip-handoff').onChip.size).toBe(0);
  });

  it('property: the live set never exceeds the buffer; kept tensors cover their whole interval', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 })), { maxLength: 12 }), fc.integer({ min: 0, max: 300 }), (ts, cap) => {
        const edges: Array<{ reads: ReturnType<typeof use>[]; writes: ReturnType<typeof use>[] }> = Array.from({ length: 14 }, () => ({ reads: [], writes: [] }));
        ts.forEach(([at, len, n], i) => {
          edges[at].writes.push(use(`t${i}`, n));
          edges[at + len].reads.push(use(`t${i}`, n));
        });
        const p = planPlacement(edges, cap, 'on-chip-handoff');
        for (const v of p.onChipLiveBytes) expect(v).toBeLessThanOrEqual(cap);
        const expected = new Float64Array(14);
        for (const t of p.intervals) if (p.onChip.has(t.tensor)) for (let i = t.producer; i <= t.lastConsumer; i++) expected[i] += t.bytes;
        expect([...p.onChipLiveBytes]).toEqual([...expected]);
      }),
    );
  });
});

describe('scheduleNetwork adjusts DRAM traffic, energy and time', () => {
  // DRAM: one shared port of 1 word/cycle, 10 pJ per word; the buffer holds 1000 words.
  const hw = hardware(
    [level('glb', { capacityWords: 1000, fanoutX: 4, fanoutY: 4 }), level('dram', { readBandwidth: 1, writeBandwidth: 1, sharedPort: true, readEnergyPj: 10, writeEnergyPj: 10 })],
    { vectorOpsPerCycle: 100 },
  );
  const b = new NetworkBuilder('two-relus', 'int16');
  const x = b.input('x', [1, 1, 10, 10]);
  const r1 = b.relu('r1', x);
  b.relu('r2', r1);
  const net = b.build();
  const ops = inferenceOps(net);
  const ev = new Evaluator(hw, [{ plugin: { kind: 'dataflow', name: 'none', description: '', templates: '*', mapspace: () => undefined }, config: {} }], 'energy');
  const results = ops.map((o) => ev.evaluateOp(o));

  it('hand-worked: r1 handed off saves its 100-element write and read (400 B, 2000 pJ, 200 cycles)', () => {
    // Each op moved 200 words over the shared port: 200 cycles; after the hand-off 100.
    expect(results.map((r) => r.cycles)).toEqual([200, 200]);
    expect(onChipCapacityBytes(hw)).toBe(2000);
    const s = scheduleNetwork(net, ops, results, hw, { policy: 'on-chip-handoff' });
    expect(s.tensors).toEqual([{ tensor: 'r1', bytes: 200, producer: 'r1', consumers: ['r2'], onChip: true }]);
    expect([s.baselineDramBytes, s.dramBytes, s.savedDramBytes, s.savedEnergyPj, s.savedCycles]).toEqual([800, 400, 400, 2000, 200]);
    expect(s.results.map((r) => r.cycles)).toEqual([100, 100]);
    expect(s.results[0].accesses.dram).toEqual({ inputs: { reads: 100, writes: 0 } });
    expect(s.results[1].energyPj.dram).toBe(1000);
    expect(results[0].cycles).toBe(200); // inputs untouched
  });

  it('layer-by-layer is the baseline; a reserve that leaves too little room spills', () => {
    expect(scheduleNetwork(net, ops, results, hw, { policy: 'layer-by-layer' }).savedDramBytes).toBe(0);
    expect(scheduleNetwork(net, ops, results, hw, { policy: 'on-chip-handoff', reserveBytes: 1801 }).savedDramBytes).toBe(0);
  });

  it('attached edges win over the inferred forward edges', () => {
    const edged = [withEdges(ops[0] as VectorOp, { reads: [], writes: [{ tensor: 'other', role: 'outputs', elements: 100, bytes: 2 }] }), ops[1]];
    expect(networkEdges(net, edged)[0].writes[0].tensor).toBe('other');
    expect(scheduleEdges(edged, networkEdges(net, edged), results, hw, { policy: 'on-chip-handoff' }).savedDramBytes).toBe(0);
  });
});

describe('onChipCapacityBytes: the activation part of the global buffer', () => {
  const dram = level('dram');
  it('shared level: all of it, times its instances', () => {
    // 100 16-bit words; two instances when the level above fans out to two.
    expect(onChipCapacityBytes(hardware([level('glb', { capacityWords: 100, fanoutX: 4 }), dram]))).toBe(200);
    expect(onChipCapacityBytes(hardware([level('glb', { capacityWords: 100 }), level('dram', { fanoutX: 2 })]))).toBe(400);
  });
  it('partitions: inputs + outputs (TPU-like), or a pool listed under both counted once (Eyeriss-like)', () => {
    expect(onChipCapacityBytes(hardware([level('sram', { capacityWords: 600, slotCapacityWords: [100, 200, 300] }), dram]))).toBe(1000);
    expect(onChipCapacityBytes(hardware([level('glb', { capacityWords: 400, slotCapacityWords: [100, 300, 300] }), dram]))).toBe(600);
    expect(onChipCapacityBytes(hardware([level('wbuf', { capacityWords: 100, holds: [true, false, false] }), dram]))).toBe(0);
  });
});

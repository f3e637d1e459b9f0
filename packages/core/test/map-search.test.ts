import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BeamStep, bestMapping, checkCost, defineDataflow, defineTiledDataflow, emptyMapping, Evaluator, rank, type MapSearch, type TiledSpec } from '../src/index.js';
import { z } from 'zod';
import { collectMappings } from '../src/testkit/index.js';
import { convOp, hardware, level } from './helpers.js';

const spec: TiledSpec = {
  spatialX: ['C'],
  spatialY: ['K'],
  peOrder: ['P', 'Q'],
  outerOrders: [['K', 'C', 'P', 'Q', 'R', 'S']],
  maxCandidates: 3,
};
const tiled = defineTiledDataflow({ name: 'tiled', description: 't', templates: '*', configSchema: z.object({}), spec: () => spec });
const choice = { plugin: tiled, config: {} };
const exhaustive: MapSearch = { mode: 'exhaustive', budget: Infinity };
const beam: MapSearch = { mode: 'beam', budget: Infinity };

/** Three tiled levels: a per-PE weight register (one operand, as ZigZag's Eyeriss-like), a PE buffer, the array's buffer, DRAM. */
function deep(rfBytes: number, spadBytes: number, glbBytes: number) {
  return hardware([
    level('rf_w', { capacityBytes: rfBytes, holds: [true, false, false], doubleBuffered: false }),
    level('spad', { capacityBytes: spadBytes, doubleBuffered: false }),
    level('glb', { capacityBytes: glbBytes, fanoutX: 4, fanoutY: 4 }),
    level('dram'),
  ]);
}

describe('beam step', () => {
  it('keeps the best `width` candidates by rank, drops duplicates and illegal ones', () => {
    const s = new BeamStep(2, 4);
    s.reset(2);
    s.offer(Int32Array.of(1, 1), 5);
    s.offer(Int32Array.of(2, 1), 3);
    s.offer(Int32Array.of(2, 1), 1); // a duplicate: not kept twice
    s.offer(Int32Array.of(3, 1), Infinity); // illegal
    s.offer(Int32Array.of(4, 1), 4); // beats the worst (5)
    s.offer(Int32Array.of(5, 1), 9); // worse than both
    const kept = [...Array(s.size).keys()].map((i) => [s.temporal[i * 2], s.rank[i]]).sort((a, b) => a[1] - b[1]);
    expect(kept).toEqual([
      [2, 3],
      [4, 4],
    ]);
  });

  it('an unranked emit (a caller that prices nothing) ranks every candidate equal', () => {
    const s = new BeamStep(1, 2);
    s.reset(2);
    s.offer(Int32Array.of(7), undefined);
    s.offer(Int32Array.of(8), undefined);
    s.offer(Int32Array.of(9), undefined);
    expect([...s.temporal.subarray(0, s.size)]).toEqual([7, 8]);
  });
});

describe('spatial packings', () => {
  it('divisorPacking adds the packing without a padded fold: 1,000 filters on 32 columns as 25 × 40, not 32 × 32 (hand-worked)', () => {
    const hw = hardware([level('rf', { capacityBytes: 64, doubleBuffered: false }), level('glb', { fanoutX: 32, fanoutY: 1 }), level('dram')]);
    const op = convOp({ K: 1000, C: 4 });
    const columnsOf = (divisorPacking: boolean) => {
      const df = defineTiledDataflow({ name: 'k', description: 't', templates: '*', configSchema: z.object({}), spec: () => ({ spatialX: ['K'], spatialY: [], peOrder: [], outerOrders: [['K', 'C']], maxCandidates: 2, divisorPacking }) });
      return new Set(collectMappings(df, op, hw).map((m) => m.spatialX[1 * 8 + 2]));
    };
    expect([...columnsOf(false)].sort((a, b) => a - b)).toEqual([32]); // greedy and even: ⌈1000 / 32⌉ = 32 folds of 32
    expect([...columnsOf(true)].sort((a, b) => a - b)).toEqual([25, 32]);
  });
});

describe('mapper modes', () => {
  it('rank follows the goal: latency ties on cycles break by energy, far below one cycle', () => {
    const a = { cycles: 100, energyPj: 500, macs: 50 } as Parameters<typeof rank>[1];
    const b = { cycles: 100, energyPj: 400, macs: 50 } as Parameters<typeof rank>[1];
    expect(rank('latency', b)).toBeLessThan(rank('latency', a));
    expect(rank('latency', a) - 100).toBeLessThan(1e-6);
    expect(rank('energy', a)).toBe(500);
    expect(rank('edp', a)).toBe(50_000);
  });

  it('auto is exhaustive on two tiled levels (every built-in architecture): the same candidates, the same result', () => {
    const hw = hardware([level('rf', { capacityBytes: 64, doubleBuffered: false }), level('glb', { capacityBytes: 4096, fanoutX: 4, fanoutY: 4 }), level('dram')]);
    const op = convOp({ K: 16, C: 12, P: 8, Q: 8, R: 3, S: 3 });
    const e = bestMapping(op, hw, choice, 'latency', exhaustive);
    const a = bestMapping(op, hw, choice, 'latency');
    if (!('mapping' in a) || !('mapping' in e)) throw new Error('no mapping');
    expect(a.evaluated).toBe(e.evaluated);
    expect(a.cost.cycles).toBe(e.cost.cycles);
    expect(a.cost.energyPj).toBe(e.cost.energyPj);
    expect([...a.mapping.temporal]).toEqual([...e.mapping.temporal]);
  });

  it('auto is beam on deeper hierarchies: far fewer candidates, the same best on a hand-sized layer', () => {
    const hw = deep(32, 512, 8192);
    const op = convOp({ K: 12, C: 8, P: 6, Q: 6, R: 3, S: 3 });
    const e = bestMapping(op, hw, choice, 'energy', exhaustive);
    const b = bestMapping(op, hw, choice, 'energy', beam);
    const a = bestMapping(op, hw, choice, 'energy');
    if (!('mapping' in a) || !('mapping' in b) || !('mapping' in e)) throw new Error('no mapping');
    expect(a.evaluated).toBe(b.evaluated);
    expect(b.evaluated * 10).toBeLessThan(e.evaluated);
    expect(b.cost.energyPj / e.cost.energyPj).toBeLessThan(1.02);
    checkCost(op, hw, b.cost);
  });

  it('property: beam never beats exhaustive (it walks a subset of the same mapspace) and its pick is legal and checked', () => {
    fc.assert(
      fc.property(
        fc.record({
          K: fc.integer({ min: 1, max: 12 }),
          C: fc.integer({ min: 1, max: 12 }),
          P: fc.integer({ min: 1, max: 6 }),
          R: fc.constantFrom(1, 3),
          rf: fc.constantFrom(8, 32, 128),
          spad: fc.constantFrom(256, 1024),
          glb: fc.constantFrom(2048, 16384),
          goal: fc.constantFrom('latency' as const, 'energy' as const, 'edp' as const),
        }),
        (s) => {
          const hw = deep(s.rf, s.spad, s.glb);
          const op = convOp({ K: s.K, C: s.C, P: s.P, Q: s.P, R: s.R, S: s.R });
          const e = bestMapping(op, hw, choice, s.goal, exhaustive);
          const b = bestMapping(op, hw, choice, s.goal, beam);
          expect('mapping' in b).toBe('mapping' in e);
          if (!('mapping' in b) || !('mapping' in e)) return;
          expect(rank(s.goal, b.cost)).toBeGreaterThanOrEqual(rank(s.goal, e.cost) * (1 - 1e-12));
          expect(b.cost.legal).toBe(true);
          checkCost(op, hw, b.cost);
        },
      ),
      { numRuns: 25, seed: 18 },
    );
  });

  it('a budget ends the search with the best so far: at most that many candidates priced, a legal answer from the first', () => {
    const hw = deep(32, 512, 8192);
    const op = convOp({ K: 12, C: 8, P: 6, Q: 6, R: 3, S: 3 });
    for (const mode of ['exhaustive', 'beam'] as const) {
      const one = bestMapping(op, hw, choice, 'latency', { mode, budget: 1 });
      expect(one.evaluated).toBe(1);
      const some = bestMapping(op, hw, choice, 'latency', { mode, budget: 200 });
      expect(some.evaluated).toBe(200);
      if (!('mapping' in some)) throw new Error(`${mode}: no mapping within 200 candidates`);
      const all = bestMapping(op, hw, choice, 'latency', { mode, budget: Infinity });
      if (!('mapping' in all)) throw new Error('no mapping');
      // More budget never makes the answer worse (the walk is deterministic and keeps the best so far).
      expect(all.cost.cycles).toBeLessThanOrEqual(some.cost.cycles);
    }
  });

  it('the budget stops an outside mapspace that ignores `search` (core ends it, whatever the plug-in does)', () => {
    const hw = deep(32, 512, 8192);
    const op = convOp({ K: 4, C: 4, P: 4, Q: 4 });
    let emitted = 0;
    const endless = defineDataflow({
      name: 'endless',
      description: 'proposes the same mapping for ever',
      templates: '*',
      mapspace(o, h, emit) {
        const m = emptyMapping(h.levels.length, o.dims.length);
        h.levels.forEach((lv, l) => lv.holds.forEach((held, t) => (m.keep[l * 3 + t] = held ? 1 : 0)));
        for (let d = 0; d < o.bounds.length; d++) m.temporal[(h.levels.length - 1) * o.bounds.length + d] = o.bounds[d];
        for (;;) {
          emitted++;
          emit(m);
        }
      },
    });
    const ev = new Evaluator(hw, [{ plugin: endless, config: {} }], 'latency', { mapper: { mode: 'auto', budget: 1000 } });
    ev.evaluateOp(op);
    expect(ev.mappingsEvaluated).toBe(1000);
    expect(emitted).toBe(1001);
  });
});

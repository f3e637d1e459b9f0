import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cost, evaluate, type HardwareModel, type MacOp, type Mapping } from '../src/index.js';
import { convOp, hardware, level, mapping } from './helpers.js';
import { simulate } from './reference-sim.js';

// The engine keeps per-evaluation tables in module scratch (`checkMapping` records the tiles, the children's union
// of adjacent levels; `nestAccesses` the loop walk of every child and the group extents of a bypassed span). These
// tests show that nothing of one evaluation leaks into the next: the same (op, hardware, mapping) gives the same
// cost whatever was evaluated before, and two ops or two hierarchies differing in a single field give their own.

function costOf(op: MacOp, hw: HardwareModel, m: Mapping): Cost {
  return evaluate(op, hw, m, new Cost(hw.levels.length)).clone();
}

function same(a: Cost, b: Cost): void {
  expect(Array.from(a.reads)).toEqual(Array.from(b.reads));
  expect(Array.from(a.writes)).toEqual(Array.from(b.writes));
  expect(Array.from(a.footprintBytes)).toEqual(Array.from(b.footprintBytes));
  expect(a.cycles).toBe(b.cycles);
  expect(a.energyPj).toBe(b.energyPj);
}

describe('engine scratch: no value of an earlier evaluation is reused', () => {
  const deep = hardware([level('rf'), level('mid'), level('glb', { fanoutX: 4, fanoutY: 4 }), level('l3', { fanoutX: 2 }), level('dram')]);
  const shallow = hardware([level('rf'), level('glb', { fanoutX: 4, fanoutY: 4 }), level('dram')]);
  const op = convOp({ K: 8, C: 4, P: 12, R: 3 });
  // Every operand bypasses `mid` (group extents over a span of levels); the outputs bypass `glb` too, and `l3`'s
  // spatial K makes their span (rf to l3) differ from the others' (rf to glb), which share the same child.
  const bypassing = mapping(5, [
    { t: { R: 3, P: 2 } },
    { t: { P: 3 }, keep: [false, false, false] },
    { t: { C: 2 }, x: { K: 4 }, y: { C: 2 }, keep: [true, true, false] },
    { x: { K: 2 } },
    { t: { P: 2 } },
  ]);
  const adjacent = mapping(3, [{ t: { R: 3, P: 3 } }, { t: { P: 2 }, x: { K: 4 }, y: { C: 4 } }, { t: { K: 2, P: 2 }, order: 'PK' }]);

  it('a mapping evaluated after a deeper one with bypass, and the reverse, equals itself evaluated first', () => {
    const a1 = costOf(op, shallow, adjacent);
    const b1 = costOf(op, deep, bypassing);
    const a2 = costOf(op, shallow, adjacent);
    const b2 = costOf(op, deep, bypassing);
    same(a1, a2);
    same(b1, b2);
    // And each is the simulator's count (not merely stable).
    expect(Array.from(a1.reads)).toEqual(simulate(op, shallow, adjacent).reads);
    expect(Array.from(b1.reads)).toEqual(simulate(op, deep, bypassing).reads);
    expect(Array.from(b1.writes)).toEqual(simulate(op, deep, bypassing).writes);
  });

  it('two ops differing only in the stride, and two hierarchies differing only in one fanout, get their own costs', () => {
    const strided = convOp({ K: 8, C: 4, P: 12, R: 3 }, { stride: 2 });
    const plain = costOf(op, shallow, adjacent);
    const withStride = costOf(strided, shallow, adjacent);
    expect(Array.from(withStride.reads)).toEqual(simulate(strided, shallow, adjacent).reads);
    expect(withStride.reads[1 * 3 + 1]).not.toBe(plain.reads[1 * 3 + 1]);
    same(costOf(op, shallow, adjacent), plain);
    // The same mapping on a glb whose fanout no longer fits it: illegal there, still legal on the original.
    const narrow = hardware([level('rf'), level('glb', { fanoutX: 2, fanoutY: 4 }), level('dram')]);
    expect(costOf(op, narrow, adjacent).legal).toBe(false);
    same(costOf(op, shallow, adjacent), plain);
  });

  it('random interleavings of mappings of different depths and keep patterns equal each mapping alone', () => {
    const D = 8;
    const P = 4;
    const R = 6;
    const scenario = fc.array(
      fc.record({
        levels: fc.integer({ min: 3, max: 6 }),
        p: fc.integer({ min: 4, max: 40 }),
        split: fc.integer({ min: 1, max: 4 }),
        r: fc.integer({ min: 1, max: 3 }),
        keep: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
        outerFirst: fc.boolean(),
      }),
      { minLength: 2, maxLength: 5 },
    );
    fc.assert(
      fc.property(scenario, (cases) => {
        const built = cases.map((s) => {
          const L = s.levels;
          const o = convOp({ K: 2, P: s.p, R: s.r });
          const hw = hardware(Array.from({ length: L }, (_, i) => level(i === L - 1 ? 'dram' : `l${i}`)));
          const m = mapping(L, [{ t: { R: s.r } }]);
          let left = s.p;
          for (let l = 0; l < L - 1; l++) {
            const f = Math.min(left, s.split);
            m.temporal[l * D + P] = f;
            left = Math.ceil(left / f);
          }
          m.temporal[(L - 1) * D + P] = left;
          m.temporal[(L - 1) * D + 2] = 2;
          m.temporal[0 * D + R] = s.r;
          if (s.outerFirst) for (let i = 0; i < D; i++) m.order[(L - 1) * D + i] = [4, 0, 1, 2, 3, 5, 6, 7][i];
          for (let l = 0; l < L - 1; l++) for (let t = 0; t < 3; t++) m.keep[l * 3 + t] = s.keep[l * 3 + t] ? 1 : 0;
          return { o, hw, m };
        });
        const alone = built.map(({ o, hw, m }) => costOf(o, hw, m));
        // Evaluated again in reverse order, each after a different predecessor.
        for (let i = built.length - 1; i >= 0; i--) same(costOf(built[i].o, built[i].hw, built[i].m), alone[i]);
        for (let i = 0; i < built.length; i++) expect(Array.from(alone[i].reads)).toEqual(simulate(built[i].o, built[i].hw, built[i].m).reads);
      }),
      { numRuns: 30, seed: 20261130 },
    );
  });
});

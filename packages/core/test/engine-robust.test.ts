import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cost, emptyMapping, evaluate } from '../src/index.js';
import { convOp, hardware, level, mapping } from './helpers.js';
import { simulate } from './reference-sim.js';

const D = 8;
const P = 4;
const R = 6;

describe('engine robustness: scratch sized from the op and the hierarchy', () => {
  it('the bypass case that overflowed a fixed 4096-entry scratch: long tiles interleaved by a bypassed level', () => {
    // 1-D conv. The rf keeps tiles of thousands of rows; `mid` bypasses the inputs but loops P twice, so the glb's
    // union of child tiles is counted offset by offset. The old engine gave 23,570 / 7,940 / 1,616 glb input reads.
    const cases: Array<[pTile: number, r: number, stride: number, glbInputReads: number]> = [
      [4098, 3, 1, 8198], // (8196 − 1) + 3 rows
      [4098, 1, 2, 8196], // every other row of a 16,391-row input: 8,196 distinct
      [4500, 2, 1, 9001],
    ];
    for (const [pTile, r, stride, expected] of cases) {
      const op = convOp({ P: pTile * 2, R: r }, { stride });
      const hw = hardware([level('rf'), level('mid'), level('glb'), level('dram')]);
      const m = mapping(4, [{ t: { P: pTile, R: r } }, { t: { P: 2 }, keep: [true, false, true] }, {}, {}]);
      const c = evaluate(op, hw, m, new Cost(4));
      expect(c.legal).toBe(true);
      expect(c.reads[2 * 3 + 1]).toBe(expected);
      const sim = simulate(op, hw, m);
      expect(Array.from(c.reads)).toEqual(sim.reads);
      expect(Array.from(c.writes)).toEqual(sim.writes);
    }
  });

  it('more than 16 levels: finite, and equal to the simulator', () => {
    const L = 20;
    const op = convOp({ K: 2, C: 2, P: 3, R: 2 });
    const hw = hardware(Array.from({ length: L }, (_, i) => level(i === L - 1 ? 'dram' : `l${i}`)));
    const spec = Array.from({ length: L }, () => ({}) as { t?: Record<string, number>; keep?: [boolean, boolean, boolean] });
    spec[3] = { t: { R: 2 } };
    spec[7] = { t: { C: 2 }, keep: [false, true, true] };
    spec[12] = { t: { P: 3 } };
    spec[18] = { t: { K: 2 }, keep: [true, false, false] };
    const m = mapping(L, spec);
    const c = evaluate(op, hw, m, new Cost(L));
    expect(c.legal).toBe(true);
    for (const v of [c.cycles, c.energyPj, ...c.reads, ...c.writes]) expect(Number.isFinite(v)).toBe(true);
    const sim = simulate(op, hw, m);
    expect(Array.from(c.reads)).toEqual(sim.reads);
    expect(Array.from(c.writes)).toEqual(sim.writes);
    expect(c.computeCycles).toBe(sim.computeCycles);
  });

  it('random deep hierarchies with bypass and large extents equal the simulator', () => {
    // A long 1-D (or thin 2-D) convolution split over 4–7 levels, each level keeping or bypassing each operand, so
    // that the window unions of the bypass path run far past the old fixed scratch.
    const scenario = fc.record({
      levels: fc.integer({ min: 4, max: 7 }),
      p: fc.integer({ min: 600, max: 9000 }),
      // One level takes a large factor, so that the child tiles of the bypass path run past 4,096 rows.
      bigLevel: fc.integer({ min: 0, max: 5 }),
      bigFactor: fc.integer({ min: 100, max: 5000 }),
      r: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 2 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      splits: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 7, maxLength: 7 }),
      keep: fc.array(fc.boolean(), { minLength: 21, maxLength: 21 }),
      orderSeed: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const L = s.levels;
        const op = convOp({ K: s.k, P: s.p, R: s.r }, { stride: s.stride, dilation: s.dilation });
        const hw = hardware(Array.from({ length: L }, (_, i) => level(i === L - 1 ? 'dram' : `l${i}`)));
        const m = emptyMapping(L);
        // P split over the levels: each takes a factor, the top takes the rest (padding allowed); R and K inside.
        let left = s.p;
        for (let l = 0; l < L - 1; l++) {
          const f = Math.min(left, l === s.bigLevel ? s.bigFactor : s.splits[l]);
          m.temporal[l * D + P] = f;
          left = Math.ceil(left / f);
        }
        m.temporal[(L - 1) * D + P] = left;
        m.temporal[0 * D + R] = s.r;
        m.temporal[(L - 1) * D + 2] = s.k;
        for (let l = 0; l < L; l++) {
          // Either P outermost or R/K outermost at the level (orders matter for reuse).
          if (s.orderSeed[l % 7]) for (let i = 0; i < D; i++) m.order[l * D + i] = [0, 1, 3, 5, 7, 2, 6, 4][i];
        }
        for (let l = 0; l < L - 1; l++) for (let t = 0; t < 3; t++) m.keep[l * 3 + t] = s.keep[(l * 3 + t) % 21] ? 1 : 0;
        const c = evaluate(op, hw, m, new Cost(L));
        expect(c.legal).toBe(true);
        const sim = simulate(op, hw, m);
        expect(Array.from(c.reads)).toEqual(sim.reads);
        expect(Array.from(c.writes)).toEqual(sim.writes);
        expect(c.computeCycles).toBe(sim.computeCycles);
      }),
      { numRuns: 25, seed: 20261129 },
    );
  });
});

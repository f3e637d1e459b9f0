import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyMapping, operandSize } from '../src/index.js';
import { convOp, hardware, level } from './helpers.js';
import { engineAndSim } from './reference-sim.js';

const D = 8;

/** A random tiny op, a random 3-level hardware with fanouts, and a random (possibly padded) mapping. */
const scenario = fc
  .record({
    bounds: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 8, maxLength: 8 }),
    stride: fc.integer({ min: 1, max: 2 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    backwardWeight: fc.boolean(),
    fan0: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 1 })),
    fan1: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    // Per dim: which level/axis gets the split factor, and the split itself.
    split: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 })), { minLength: 8, maxLength: 8 }),
    orders: fc.array(fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }), { minLength: 3, maxLength: 3 }),
    keep: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .filter((s) => s.bounds.reduce((a, b) => a * b, 1) <= 64);

describe('analytic engine equals the loop-nest simulator', () => {
  it('on random tiny ops and mappings (reads and writes per level and operand, compute cycles)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const b = s.bounds;
        // Keep the element count small: zero out some dims.
        const op = convOp(
          { N: b[0], G: 1, K: b[2], C: b[3], P: b[4], Q: Math.min(b[5], 2), R: b[6], S: Math.min(b[7], 2) },
          { stride: s.stride, dilation: s.dilation, backwardWeight: s.backwardWeight },
        );
        const hw = hardware([
          level('rf', { fanoutX: s.fan0[0], fanoutY: s.fan0[1] }),
          level('glb', { fanoutX: s.fan1[0], fanoutY: s.fan1[1] }),
          level('dram'),
        ]);
        const m = emptyMapping(3);
        const spX = [1, 1, 1];
        const spY = [1, 1, 1];
        for (let d = 0; d < D; d++) {
          const bound = op.bounds[d];
          const [where, where2, extra] = s.split[d];
          // A spatial factor where the fanout allows, a temporal split, the rest at DRAM (padding allowed).
          let left = bound;
          const target = where % 3;
          const lvl = hw.levels[target];
          if (left > 1 && where < 3) {
            const f = Math.min(left, 2);
            if (where2 % 2 === 0 && spX[target] * f <= lvl.fanoutX) {
              m.spatialX[target * D + d] = f;
              spX[target] *= f;
              left = Math.ceil(left / f);
            } else if (spY[target] * f <= lvl.fanoutY) {
              m.spatialY[target * D + d] = f;
              spY[target] *= f;
              left = Math.ceil(left / f);
            }
          }
          const tl = where2 % 3;
          if (left > 1 && tl < 2) {
            const f = Math.min(left, 1 + extra);
            m.temporal[tl * D + d] = f;
            left = Math.ceil(left / f);
          }
        }
        const { cost, sim } = engineAndSim(op, hw, m, s);
        expect(cost.legal).toBe(true);
        expect(Array.from(cost.reads)).toEqual(sim.reads);
        expect(Array.from(cost.writes)).toEqual(sim.writes);
        expect(cost.computeCycles).toBe(sim.computeCycles);
        // Compulsory traffic: the backing store supplies every input element and receives every output.
        for (let t = 0; t < 2; t++) expect(cost.reads[2 * 3 + t]).toBeGreaterThanOrEqual(operandSize(op, t));
        expect(cost.writes[2 * 3 + 2]).toBeGreaterThanOrEqual(operandSize(op, 2));
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cost, einsumOp, emptyMapping, evaluate, operandSize } from '../src/index.js';
import { hardware, level } from './helpers.js';
import { engineAndSim, simulate } from './reference-sim.js';

const b2 = (tensor: string, axes: string) => ({ tensor, axes, bytes: 2 });
const DIMS = ['b', 'h', 'i', 'j', 'k', 'l'];
const D = DIMS.length;
/** rf with a row of 2 PEs, a 2×2 glb, DRAM: the hierarchy of the einsum property test. */
const hw = hardware([level('rf', { fanoutX: 2 }), level('glb', { fanoutX: 2, fanoutY: 2 }), level('dram')]);

function op6(bounds: readonly number[], forms: readonly [string, string, string]) {
  return einsumOp({
    name: 'e',
    layer: 'e',
    layerKind: 'einsum',
    phase: 'backward-data',
    dims: DIMS.map((d, i) => [d, bounds[i]] as [string, number]),
    operands: [b2('w', forms[0]), b2('x', forms[1]), b2('y', forms[2])],
  });
}

describe('an output indexed by a window: the engine counts the read-back of overlapping partial sums', () => {
  it('hand-worked: two PEs (j) accumulate y[j + l] over two steps of l, nothing kept on chip', () => {
    // y[b,h,i+k,j+l] += w[h,k,l] · x[b,k,i,j,l] with b = h = i = k = 1, j = l = 2.
    const op = op6([1, 1, 1, 2, 1, 2], ['h k l', 'b k i j l', 'b h i*1+k j*1+l']);
    const m = emptyMapping(3, D);
    m.spatialX[3] = 2; // j across the rf's two PEs
    m.temporal[5] = 2; // l over time at the rf
    m.keep.fill(0, 0, 6); // rf and glb keep nothing
    const cost = evaluate(op, hw, m, new Cost(3));
    expect(cost.legal).toBe(true);
    // Step l = 0 writes y0, y1 (first touches); step l = 1 writes y1, y2 and must first read y1 back from DRAM:
    // 4 writes, 1 read-back of the 3 output elements.
    expect(operandSize(op, 2)).toBe(3);
    expect(cost.writes[2 * 3 + 2]).toBe(4);
    expect(cost.reads[2 * 3 + 2]).toBe(1);
    const sim = simulate(op, hw, m);
    expect(Array.from(cost.reads)).toEqual(sim.reads);
    expect(Array.from(cost.writes)).toEqual(sim.writes);
  });

  it('hand-worked: a tile kept at the glb revisited after the kernel loop moves outside it', () => {
    // 1-D backward-data y[j, i + l] += w[h, j, l] · x[b, h, i] with i = 2 (kept at glb), l = 3 at DRAM: each of the 3
    // glb tiles (rows l..l+1) is drained to DRAM; the next tile overlaps one row already written, which is read back.
    const op = op6([1, 1, 2, 1, 1, 3], ['h j l', 'b h i', 'b j i*1+l*1']);
    const m = emptyMapping(3, D);
    m.temporal[1 * D + 2] = 2; // i at the glb
    m.temporal[2 * D + 5] = 3; // l at DRAM
    m.keep.fill(0, 0, 6);
    m.keep[1 * 3 + 2] = 1; // only the output tile stays at the glb
    const cost = evaluate(op, hw, m, new Cost(3));
    expect(cost.legal).toBe(true);
    // DRAM: 3 tiles of 2 rows written (6), rows 1..3 read back once each except the first tile (2 reads).
    expect(cost.writes[2 * 3 + 2]).toBe(6);
    expect(cost.reads[2 * 3 + 2]).toBe(2);
    // glb: the MACs write 6 times; the 2 read-backs refill the glb from DRAM.
    expect(cost.writes[1 * 3 + 2]).toBe(6 + 2);
    const sim = simulate(op, hw, m);
    expect(Array.from(cost.reads)).toEqual(sim.reads);
    expect(Array.from(cost.writes)).toEqual(sim.writes);
  });

  it('random ops with a window on the output and random mappings equal the loop-nest simulator', () => {
    const scenario = fc.record({
      bounds: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: D, maxLength: D }),
      strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      // Per dim: level (0–2) and axis (x/y/temporal) of its split, and how much of it stays temporal inside.
      split: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: D, maxLength: D }),
      orders: fc.array(fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: D, maxLength: D }), { minLength: 3, maxLength: 3 }),
      keep: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      shape: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const [s0, s1] = s.strides;
        // Three families: a 2-D scatter (two output windows), a 1-D backward-data with stride and dilation, and a
        // window on both an input and the output.
        const forms = (
          [
            ['h k l', 'b k i j l', `b h i*${s0}+k j*${s1}+l`],
            ['h j l', 'b h i k', `b j k i*${s0}+l*${s1}`],
            ['h k', `b h i*${s1}+k l`, `b j i*${s0}+k l`],
          ] as const
        )[s.shape];
        const op = op6(s.bounds, forms);
        const m = emptyMapping(3, D);
        const usedX = [1, 1, 1];
        const usedY = [1, 1, 1];
        for (let dim = 0; dim < D; dim++) {
          const bound = op.bounds[dim];
          const [lv, axis, inner] = s.split[dim];
          let left = bound;
          if (left > 1 && lv < 2 && axis === 0 && usedX[lv] * 2 <= hw.levels[lv].fanoutX) {
            m.spatialX[lv * D + dim] = 2;
            usedX[lv] *= 2;
            left = Math.ceil(left / 2);
          } else if (left > 1 && lv < 2 && axis === 1 && usedY[lv] * 2 <= hw.levels[lv].fanoutY) {
            m.spatialY[lv * D + dim] = 2;
            usedY[lv] *= 2;
            left = Math.ceil(left / 2);
          }
          // A temporal part below the spatial one's level (or at the rf), so that one dim spans several levels.
          const tl = Math.min(inner, 1);
          if (left > 1 && inner < 2) {
            const f = Math.min(left, 2);
            m.temporal[tl * D + dim] = f;
            left = Math.ceil(left / f);
          }
        }
        const { cost, sim } = engineAndSim(op, hw, m, s);
        expect(cost.legal).toBe(true);
        expect(Array.from(cost.reads)).toEqual(sim.reads);
        expect(Array.from(cost.writes)).toEqual(sim.writes);
        expect(cost.computeCycles).toBe(sim.computeCycles);
        // Compulsory traffic: DRAM receives every output element at least once.
        expect(cost.writes[2 * 3 + 2]).toBeGreaterThanOrEqual(operandSize(op, 2));
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });
});

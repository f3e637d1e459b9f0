import { bestMapping, Cost, macOp, type Operand } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowStationary, rsMapspace, rsSchema } from '../src/index.js';
import { smallSpatial } from './hw.js';

const dense = (tensor: Operand['tensor'], projection: Operand['projection']): Operand => ({ tensor, projection, bytes: 2, density: 1 });
const OPS = [dense('weights', 'filter'), dense('inputs', 'window'), dense('outputs', 'output')] as const;
const config = rsSchema.parse({ maxCandidates: 3 });

const shape = fc.record({
  N: fc.integer({ min: 1, max: 2 }),
  K: fc.integer({ min: 1, max: 8 }),
  C: fc.integer({ min: 1, max: 6 }),
  P: fc.integer({ min: 1, max: 9 }),
  Q: fc.integer({ min: 1, max: 9 }),
  R: fc.integer({ min: 1, max: 5 }),
  S: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 2 }),
  rows: fc.integer({ min: 2, max: 6 }),
  cols: fc.integer({ min: 1, max: 6 }),
});

describe('row-stationary mapspace (properties)', () => {
  it('every emitted mapping covers the op, fits the spads and the array, and the best one is legal', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const op = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: s, strideH: s.stride, strideW: s.stride, operands: OPS });
        const hw = smallSpatial(s.rows, s.cols);
        const cost = new Cost(3);
        let legal = 0;
        rsMapspace(op, hw, (m) => {
          hw.cost.evaluate(op, m, cost);
          if (!cost.legal) return;
          legal++;
          // The ifmap spad holds q channels of one S-wide window; the psum spad p outputs.
          expect(m.temporal[3] * m.temporal[7]).toBeLessThanOrEqual(12);
          expect(m.temporal[2]).toBeLessThanOrEqual(24);
          expect(cost.macs).toBe(op.macs);
        }, config);
        if (s.S <= 12) expect(legal).toBeGreaterThan(0);
        const best = bestMapping(op, hw, { plugin: rowStationary, config }, 'edp');
        return s.S > 12 || ('cost' in best && best.cost.legal && best.cost.utilization <= 1 + 1e-12);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

import { bestMapping, macOp, type MacOp, type Operand } from '@trim-dse/core';
import { rowStationary, rsSchema } from '@trim-dse/dataflow-rs';
import { buildSpatial, eyerissSpec, spatialSchema } from '@trim-dse/hw-spatial';
import { describe, expect, it } from 'vitest';

const dense = (tensor: Operand['tensor'], projection: Operand['projection']): Operand => ({ tensor, projection, bytes: 2, density: 1 });

function conv(bounds: Parameters<typeof macOp>[0]['bounds']): MacOp {
  return macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds, operands: [dense('weights', 'filter'), dense('inputs', 'window'), dense('outputs', 'output')] });
}

describe('row stationary priced by the spatial template (hand-worked 3 × 1 set)', () => {
  // One 3×3 filter, one channel, one output row of 5: PE r holds filter row r and convolves ifmap row r.
  const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, array: { rows: 3, cols: 1 }, noc: { mode: 'multicast', chargePer: 'send' } }), 'eyeriss-3x1');

  it('adds the psums sent up and the PE-to-PE hops of the column reduction to the NoC', () => {
    const r = bestMapping(conv({ R: 3, S: 3, P: 1, Q: 5 }), hw, { plugin: rowStationary, config: rsSchema.parse({}) }, 'energy');
    if (!('cost' in r)) throw new Error(r.reason);
    const c = r.cost;
    // 5 output columns × 3 taps, the 3 PEs in parallel, plus the Eyeriss PE's own cycles: each PE loads its 3-tap
    // filter row into its one-port filter spad (3), and its one adder adds the 10 psums arriving from the PE below
    // (5 outputs × 2 hops, spread over 3 PEs): ⌈3 + 10/3⌉ = 7.
    expect(c.computeCycles).toBe(15 + 7);
    expect(c.overheadCycles).toBe(7);
    expect(c.writes[0 * 3 + 1]).toBe(21); // each PE: a 3-wide window, then 1 new value per slide (3 + 4)
    expect(c.writes[1 * 3 + 2]).toBe(5); // 5 finished psums leave the column once
    // Every buffer read sent down once, the 5 psums up, and 5 × (3 − 1) PE-to-PE hops, all at 3.2 pJ per word.
    const glbReads = c.reads[3] + c.reads[4] + c.reads[5];
    expect(c.networkEnergyPj).toBeCloseTo(3.2 * (glbReads + 5 + 10), 9);
  });
});

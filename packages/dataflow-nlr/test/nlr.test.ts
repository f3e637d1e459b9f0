import { bestMapping, macOp, type Operand } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import nlrPlugin, { nlrSchema, noLocalReuse } from '../src/index.js';
import { smallArray } from './hw.js';

const dense = (tensor: Operand['tensor'], projection: Operand['projection']): Operand => ({ tensor, projection, bytes: 2, density: 1 });

describe('no local reuse on a 2 × 2 array (hand-worked)', () => {
  // 1×1 conv, K = C = 2, 2×2 outputs: K across the 2 columns, C down the 2 rows, 4 cycles of P × Q.
  const op = macOp({
    name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward',
    bounds: { K: 2, C: 2, P: 2, Q: 2 },
    operands: [dense('weights', 'filter'), dense('inputs', 'window'), dense('outputs', 'output')],
  });

  it('reads every operand from the buffer every cycle and keeps nothing in the PEs', () => {
    const r = bestMapping(op, smallArray(2, 2), { plugin: noLocalReuse, config: nlrSchema.parse({}) }, 'energy');
    if (!('cost' in r)) throw new Error(r.reason);
    const c = r.cost;
    expect(c.macs).toBe(16);
    expect(c.computeCycles).toBe(4);
    for (let t = 0; t < 3; t++) expect(c.reads[t] + c.writes[t]).toBe(0); // no rf traffic
    expect(c.reads[3]).toBe(16); // 4 distinct weights per cycle, unicast
    expect(c.reads[4]).toBe(8); // 2 inputs per cycle, each multicast along its row
    expect(c.writes[5]).toBe(8); // 2 outputs per cycle after the 2-way reduction down the columns
    expect(c.reads[5]).toBe(8); // … read once more to drain them to DRAM
    expect(c.writes[8]).toBe(8);
    expect(c.reads[8]).toBe(0); // C is fully spatial: no partial sum ever comes back
  });

  it('works without register files at all', () => {
    const r = bestMapping(op, smallArray(2, 2, [0, 0, 0]), { plugin: noLocalReuse, config: nlrSchema.parse({}) }, 'energy');
    expect('cost' in r && r.cost.legal).toBe(true);
  });
});

describe('plug-in', () => {
  it('registers nlr for the spatial, generic, timeloop and zigzag templates', () => {
    expect(nlrPlugin.name).toBe('@trim-dse/dataflow-nlr');
    expect(nlrPlugin.dataflows?.map((d) => d.name)).toEqual(['nlr']);
    expect(noLocalReuse.templates).toEqual(['spatial', 'generic', 'timeloop', 'zigzag']);
  });
});

import { bestMapping, defineTiledDataflow, macOp, type Operand } from '@trim-dse/core';
import { checkDataflow, checkPlugin, engineTestModel, memoryLevel, sampleOps } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import plugin, { freeDataflow, freeSchema, freeSpecs } from '../src/index.js';

const dense = (tensor: Operand['tensor'], projection: Operand['projection']): Operand => ({ tensor, projection, bytes: 2, density: 1 });

/**
 * A ZigZag tpu_like-style PE: a weight register (holds weights only) and an output register (outputs only) in each
 * PE, a 2 × 2 array under a buffer that holds inputs and outputs, DRAM. Reads and writes cost 1 pJ per byte at the
 * registers, 10 at the buffer, 100 at DRAM.
 */
function registersPerOperand() {
  return engineTestModel({
    template: 'zigzag',
    levels: [
      memoryLevel({ name: 'w_reg', capacityBytes: 64, holds: [true, false, false], doubleBuffered: false }),
      memoryLevel({ name: 'o_reg', capacityBytes: 4, holds: [false, false, true], doubleBuffered: false }),
      memoryLevel({ name: 'buf', capacityBytes: 4096, holds: [false, true, true], fanoutX: 2, fanoutY: 2, readPjPerByte: [10, 10, 10], writePjPerByte: [10, 10, 10] }),
      memoryLevel({ name: 'dram', readPjPerByte: [100, 100, 100], writePjPerByte: [100, 100, 100] }),
    ],
    arrayLevel: 2,
  });
}

// 1×1 conv, K 2 across, C 8 with 2 down: 4 reduction steps in time; 2 × 2 outputs.
const op = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { K: 2, C: 8, P: 2, Q: 2 }, operands: [dense('weights', 'filter'), dense('inputs', 'window'), dense('outputs', 'output')] });

/** The same placement with the PE restricted to the weight, as ws restricts it (plug-ins do not import each other). */
const weightOnly = defineTiledDataflow({
  name: 'weight-only',
  description: 'K across, C down; the PE keeps only the weight',
  templates: '*',
  configSchema: z.object({}),
  spec: () => ({ spatialX: ['K'], spatialY: ['C'], peOrder: ['K', 'C', 'R', 'S', 'N', 'P', 'Q'], peDims: ['N', 'P', 'Q'], peKeep: [true, false, false], outerOrders: [['N', 'K', 'P', 'Q', 'C', 'R', 'S']] }),
});

describe('free temporal mapping', () => {
  it('registers for the zigzag template and passes the conformance kit', () => {
    checkPlugin(plugin);
    expect(freeDataflow.templates).toEqual(['zigzag']);
    checkDataflow(freeDataflow, registersPerOperand(), { ops: [op, ...sampleOps()], config: freeSchema.parse({}) });
  });

  it('nine walks: three array placements × three loop orders, the same order at every level', () => {
    const specs = freeSpecs(freeSchema.parse({}));
    expect(specs).toHaveLength(9);
    for (const s of specs) {
      expect(s.peKeep).toBeUndefined();
      expect(s.peDims).toBeUndefined();
      expect(s.outerOrders).toEqual([s.peOrder]);
    }
  });

  it('partial sums accumulate in the output register (hand-worked): the buffer sees each output once, not once per reduction step', () => {
    const hw = registersPerOperand();
    const free = bestMapping(op, hw, { plugin: freeDataflow, config: freeSchema.parse({}) }, 'energy');
    const ws = bestMapping(op, hw, { plugin: weightOnly, config: {} }, 'energy');
    if (!('cost' in free) || !('cost' in ws)) throw new Error('no mapping');
    // Outputs are slot 2: level 2 (the buffer) = index 8. 8 outputs written once each with free; with the PE keeping
    // only weights, each of the 4 reduction steps writes its partial sums to the buffer and reads 3 rounds back.
    expect(free.cost.writes[2 * 3 + 2]).toBe(8);
    expect(free.cost.reads[2 * 3 + 2]).toBe(8); // drained once to DRAM
    expect(ws.cost.writes[2 * 3 + 2]).toBe(32);
    expect(ws.cost.reads[2 * 3 + 2]).toBe(8 + 24);
    expect(free.cost.energyPj).toBeLessThan(ws.cost.energyPj);
  });
});

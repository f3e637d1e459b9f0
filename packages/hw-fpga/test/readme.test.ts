import { bestMapping, corePlugin, Evaluator, inferenceOps, Registry, resolveArchitecture, type DataflowPlugin, type MacOp } from '@trim-dse/core';
import dataflowFpga, { fpgaDataflow } from '@trim-dse/dataflow-fpga';
import { describe, expect, it } from 'vitest';
import fpga, { alexnetConvs } from '../src/index.js';

const registry = new Registry().use(corePlugin).use(fpga).use(dataflowFpga);
const ops = inferenceOps(alexnetConvs());

describe('README examples', () => {
  it('the paper’s engine: 2,005,892 cycles and its resources', () => {
    const { model } = resolveArchitecture(registry, 'zhang-fpga15-vc707', ['Tm=64', 'Tn=7']);
    const ev = new Evaluator(model, registry.dataflowsFor('fpga').map((plugin) => ({ plugin, config: { loopOrders: 'all' } })), 'latency');
    expect(ops.reduce((a, op) => a + ev.evaluateOp(op).cycles, 0)).toBe(2005892);
    expect(model.meta.resources).toMatchObject({ macUnits: 448, dsp: 2240, bram: 1528, lut: 154400, ff: 254000 });
  });
  it('dataflow-fpga: CONV2 = 2 · ⌈128/64⌉·⌈48/7⌉·27·27·25 = 510,300 cycles', () => {
    const hw = resolveArchitecture(registry, 'zhang-fpga15-vc707').model;
    const conv2 = ops[1] as MacOp;
    const r = bestMapping(conv2, hw, { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'all' } }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(510300);
  });
});

import { corePlugin, Evaluator, inferenceOps, Registry, resolveArchitecture } from '@trim-dse/core';
import dataflowFpga from '@trim-dse/dataflow-fpga';
import { describe, expect, it } from 'vitest';
import fpga, { alexnetConvs, DEVICES, planPipeline } from '../src/index.js';

const small = { M: 4, N: 2, R: 4, C: 4, K: 3, S: 1, groups: 1 };

describe('planPipeline (layer-pipelined resource split)', () => {
  it('hand-worked: 4 MACs of budget (20 fp32 DSPs): 1×1 (1152) → 2×1 (576) → 2×2 (288); 4×2 would need 40 DSPs', () => {
    const plan = planPipeline([{ name: 'a', shape: small }], DEVICES.vc707, 'fp32', 20 / 2800);
    expect(plan.stages).toEqual([{ layer: 'a', Tm: 2, Tn: 2, cycles: 288 }]);
    expect(plan.dsp).toBe(20);
  });
  it('the slowest stage sets the interval; the DSPs stay under the limit', () => {
    const layers = [
      { name: 'a', shape: small },
      { name: 'b', shape: { ...small, M: 16 } },
    ];
    const plan = planPipeline(layers, DEVICES.vc707, 'fp32', 100 / 2800);
    expect(plan.dsp).toBeLessThanOrEqual(100);
    expect(plan.intervalCycles).toBe(Math.max(...plan.stages.map((s) => s.cycles)));
    expect(plan.latencyCycles).toBe(plan.stages.reduce((a, s) => a + s.cycles, 0));
    // b has 4× the MACs of a: it gets the larger engine.
    expect(plan.stages[1].Tm * plan.stages[1].Tn).toBeGreaterThan(plan.stages[0].Tm * plan.stages[0].Tn);
  });
  it('AlexNet CONV1–5 on the VC707 (fp32): five stages, built by the template, each op on its own engine', () => {
    const shapes = [
      { name: 'conv1', shape: { M: 96, N: 3, R: 55, C: 55, K: 11, S: 4, groups: 1 } },
      { name: 'conv2', shape: { M: 128, N: 48, R: 27, C: 27, K: 5, S: 1, groups: 2 } },
      { name: 'conv3', shape: { M: 384, N: 256, R: 13, C: 13, K: 3, S: 1, groups: 1 } },
      { name: 'conv4', shape: { M: 192, N: 192, R: 13, C: 13, K: 3, S: 1, groups: 2 } },
      { name: 'conv5', shape: { M: 128, N: 192, R: 13, C: 13, K: 3, S: 1, groups: 2 } },
    ];
    const plan = planPipeline(shapes, DEVICES.vc707, 'fp32');
    expect(plan.dsp).toBeLessThanOrEqual(2240);
    const registry = new Registry().use(corePlugin).use(fpga).use(dataflowFpga);
    const stages = plan.stages.map(({ layer, Tm, Tn }) => ({ layer, Tm, Tn }));
    const { model } = resolveArchitecture(registry, 'zhang-fpga15-vc707', ['organisation=layer-pipelined', `stages=${JSON.stringify(stages)}`]);
    const ev = new Evaluator(model, registry.dataflowsFor('fpga').map((plugin) => ({ plugin, config: { loopOrders: 'all' } })), 'latency');
    const results = inferenceOps(alexnetConvs()).map((op) => ev.evaluateOp(op));
    expect(results.length).toBe(5);
    results.forEach((r, i) => expect(r.computeCycles).toBeGreaterThanOrEqual(plan.stages[i].cycles));
    const interval = Math.max(...results.map((r) => r.cycles));
    const throughputGflops = (2 * 665784864 * 100e6) / interval / 1e9;
    // A pipeline streams images: its throughput beats the single engine's 61.62 GFLOPS.
    expect(throughputGflops).toBeGreaterThan(61.62);
  });
});

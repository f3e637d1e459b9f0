import { C, corePlugin, evaluateRequest, G, K, loadNetwork, P, phaseOps, Q, R, Registry, type MacOp } from '@trim-dse/core';
import dataflowFpga from '@trim-dse/dataflow-fpga';
import fpga, { DEVICES, planPipeline } from '@trim-dse/hw-fpga';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

const registry = new Registry().use(corePlugin).use(workloads).use(fpga).use(dataflowFpga);

describe('layer-pipelined AlexNet CONV1–5 on the VC707 (fp32)', () => {
  it('planPipeline splits the DSPs; the template builds the stages and runs each layer on its own engine', async () => {
    const net = await loadNetwork(registry, 'alexnet', 1, 'fp32', 'conv');
    const ops = phaseOps(registry, 'inference', net, 1) as MacOp[];
    const shapes = ops.map((op) => ({
      name: op.layer,
      shape: { M: op.bounds[K], N: op.bounds[C], R: op.bounds[P], C: op.bounds[Q], K: op.bounds[R], S: op.strideH, groups: op.bounds[G] },
    }));
    const plan = planPipeline(shapes, DEVICES.vc707, 'fp32');
    expect(plan.dsp).toBeLessThanOrEqual(2240);
    const stages = plan.stages.map(({ layer, Tm, Tn }) => ({ layer, Tm, Tn }));
    const r = await evaluateRequest(registry, {
      arch: 'zhang-fpga15-vc707',
      sets: ['organisation=layer-pipelined', `stages=${JSON.stringify(stages)}`],
      workload: 'alexnet',
      only: 'conv',
    });
    expect(r.layers.length).toBe(5);
    r.layers.forEach((l, i) => expect(l.computeCycles).toBeGreaterThanOrEqual(plan.stages[i].cycles));
    const interval = Math.max(...r.layers.map((l) => l.cycles));
    // A pipeline streams images: its throughput beats the single engine's measured 61.62 GFLOPS.
    expect((2 * r.totals.macs * 100e6) / interval / 1e9).toBeGreaterThan(61.62);
  });
  it('a layer the pipeline has no stage for cannot be mapped, and the error says why', async () => {
    const stages = [{ layer: 'CONV1', Tm: 16, Tn: 3 }];
    await expect(
      evaluateRequest(registry, { arch: 'zhang-fpga15-vc707', sets: ['organisation=layer-pipelined', `stages=${JSON.stringify(stages)}`], workload: 'alexnet', only: 'conv' }),
    ).rejects.toThrow(/layer CONV2 .*no stage/);
  });
});

import { bestMapping, corePlugin, loadNetwork, phaseOps, Registry, evaluateRequest, resolveArchitecture, type DataflowPlugin, type MacOp } from '@trim-dse/core';
import dataflowFpga, { fpgaDataflow } from '@trim-dse/dataflow-fpga';
import fpga from '@trim-dse/hw-fpga';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

// The examples of the hw-fpga and dataflow-fpga READMEs (they need both plug-ins and the zoo).
const registry = new Registry().use(corePlugin).use(workloads).use(fpga).use(dataflowFpga);

describe('hw-fpga README', () => {
  it('trim eval --arch zhang-fpga15-vc707 --workload alexnet --only conv: 20.06 ms, 66.4 GFLOPS, its resources', async () => {
    const r = await evaluateRequest(registry, { arch: 'zhang-fpga15-vc707', workload: 'alexnet', only: 'conv' });
    expect(r.totals.cycles).toBe(2005892);
    expect(r.totals.seconds * 1e3).toBeCloseTo(20.06, 2);
    expect((2 * r.totals.macs) / r.totals.seconds / 1e9).toBeCloseTo(66.38, 2);
    expect(r.hardware.resources).toMatchObject({ macUnits: 448, dsp: 2240, bram: 1528, lut: 154400, ff: 254000 });
  });
  it('--set Tn=8 needs 2560 DSPs where the VC707 allows 2240', () => {
    expect(() => resolveArchitecture(registry, 'zhang-fpga15-vc707', ['Tn=8'])).toThrow(/needs 2560 DSP slices \(dsp\) but vc707 allows 2240/);
  });
  it('--precision int8 on the fp32 design: same cycles; 1 byte per element, and larger CONV1 tiles in the same banks', async () => {
    const fp32 = await evaluateRequest(registry, { arch: 'zhang-fpga15-vc707', workload: 'alexnet', only: 'conv' });
    const int8 = await evaluateRequest(registry, { arch: 'zhang-fpga15-vc707', workload: 'alexnet', only: 'conv', precision: 'int8' });
    // Compute bound either way (12.8 GB/s = 128 B per 100 MHz cycle).
    expect(int8.totals.cycles).toBe(fp32.totals.cycles);
    // CONV2–5 keep their tiles: a quarter of the bytes. CONV1's 1-byte windows fit 55-row tiles where fp32 fits 11
    // rows, so fewer overlapping rows are fetched twice: 742,838 B instead of 3,123,896 / 4 = 780,974.
    for (let i = 1; i < 5; i++) expect(int8.layers[i].dramBytes).toBe(fp32.layers[i].dramBytes / 4);
    expect(fp32.layers[0].dramBytes).toBe(3123896);
    expect(int8.layers[0].dramBytes).toBe(742838);
  });
});

describe('dataflow-fpga README', () => {
  it('CONV2 = 2 groups · ⌈128/64⌉·⌈48/7⌉·27·27·25 = 510,300 cycles', async () => {
    const hw = resolveArchitecture(registry, 'zhang-fpga15-vc707').model;
    const net = await loadNetwork(registry, 'alexnet', 1, hw.precision, 'conv');
    const conv2 = phaseOps(registry, 'inference', net, 1)[1] as MacOp;
    const r = bestMapping(conv2, hw, { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'all' } }, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(510300);
  });
});

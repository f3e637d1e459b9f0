import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@trim-dse/cli';
import { evaluateRequest, inlineBackend, prepareExplore, runExplore, spaceFromFileData } from '@trim-dse/core';
import { BRAM_TOLERANCE, DSP_TOLERANCE, fpgaValidation, LOGIC_TOLERANCE, THROUGHPUT_TOLERANCE } from '@trim-dse/hw-fpga';
import { describe, expect, it } from 'vitest';

// The reference data lives in the repository (validation/, with its provenance).
const DIR = fileURLToPath(new URL('../../../validation/fpga', import.meta.url));
const CASES = ['lu-fccm17-vgg16-zcu102', 'ma-fpga17-vgg16-arria10', 'qiu-fpga16-vgg16-zc706', 'wang-fpt17-vgg16-de5net', 'zhang-fpga15-alexnet-vc707'];

/** Two-group AlexNet CONV1–5: 665,784,864 MACs; GFLOPS = 2 × MACs ÷ seconds at 100 MHz. */
const MACS = 665784864;
const gflops = (cycles: number) => (2 * MACS) / (cycles / 100e6) / 1e9;

describe('validation: published FPGA designs, each paper’s engine and the searched best of its family', () => {
  it('has the five designs’ reference files, each with its source', () => {
    for (const c of CASES) {
      const f = `${DIR}/${c}.json`;
      expect(existsSync(f), f).toBe(true);
      expect(JSON.parse(readFileSync(f, 'utf8')).source).toMatch(/FPGA 20|FCCM 2017|FPT 2017/);
    }
  });

  it('runs through the one pipeline: each paper’s engine as trim eval, the searched design as trim explore', async () => {
    const registry = await createRegistry();
    const rows = await fpgaValidation.run(DIR, { registry });
    const label = (c: string, what: string) => rows.filter((r) => r.case.startsWith(`${c}, ${what}`));
    // The paper's engine: throughput (and DSP, BRAM where the paper reports them); then the searched row.
    expect(rows.map((r) => r.metric)).toEqual([
      'throughputGOPS', 'throughputGOPS',
      'throughputGOPS', 'dsp', 'bram', 'throughputGOPS',
      'throughputGOPS',
      'latencyMs', 'dsp', 'latencyMs',
      'throughputGFLOPS', 'dsp', 'bram', 'lut', 'ff', 'throughputGFLOPS',
    ]);
    for (const r of rows) {
      const tolerance = { dsp: DSP_TOLERANCE, bram: BRAM_TOLERANCE, lut: LOGIC_TOLERANCE, ff: LOGIC_TOLERANCE }[r.metric] ?? THROUGHPUT_TOLERANCE;
      expect(r.tolerance).toBe(tolerance);
      expect(r.source?.citation.length).toBeGreaterThan(20);
    }
    // Zhang et al. FPGA'15: unchanged by the engine families (2,005,892 and 1,925,707 cycles, as before issue 13).
    const zhang = label('zhang-fpga15-alexnet-vc707', "the paper's engine");
    expect(zhang[0].case).toMatch(/trim eval --arch zhang-fpga15-vc707: unrolled Tm=64, Tn=7/);
    expect(zhang[0].ours).toBe(gflops(2005892));
    // DSP, BRAM18, and the LUT / FF estimates: shell 20,000 LUT + 30,000 FF, and 300 LUT + 500 FF per fp32 MAC × 448.
    expect(zhang.slice(1).map((r) => [r.metric, r.ours, r.reference])).toEqual([
      ['dsp', 2240, 2240],
      ['bram', 1528, 1024],
      ['lut', 20000 + 448 * 300, 186251],
      ['ff', 30000 + 448 * 500, 205704],
    ]);
    const searched = label('zhang-fpga15-alexnet-vc707', 'searched best')[0];
    expect(searched.case).toMatch(/trim explore --space fpga-vc707 --only conv: best of 90 feasible points, Tm=128, Tn=3, 1920 DSP, 1420 BRAM/);
    expect(searched.ours).toBe(gflops(1925707));
    // Ma et al. FPGA'17: 64 × 7 × 7 with input reuse, VGG-16 whole network; 1518 DSPs (3036 int16 multipliers + 100 in logic).
    const ma = label('ma-fpga17-vgg16-arria10', "the paper's engine");
    expect(ma[0].case).toMatch(/unrolled-reuse Tm=64, Tn=1/);
    // 619.05 GOPS before fusion (−4.1 % of the paper's 645.25); the engine's ReLU and pooling run on its output path
    // (--fusion, the default), as Ma et al.'s modules do: 653.61 (+1.3 %).
    expect(ma[0].ours).toBeCloseTo(653.61, 1);
    expect(ma[1].ours).toBe(1518);
    // Lu et al. FCCM'17: a Winograd engine whose size is inferred (a derived row), CONV layers of the whole run.
    const lu = label('lu-fccm17-vgg16-zcu102', "the paper's engine")[0];
    expect(lu.case).toMatch(/F\(4×4, 3×3\): 2304 multipliers for 9216 MAC lanes, engine size inferred/);
    expect(lu.source?.kind).toBe('derived');
    // 2975.0 before fusion (−2.3 % of 3044.7): ReLU and pooling now run on the engine's output path instead of as
    // separate passes over DRAM, and the whole run is shorter: 3316.5 (+8.9 %).
    expect(lu.ours).toBeCloseTo(3316.5, 0);
    // Qiu et al. FPGA'16: no own-engine row (its PE count is not in the reference data), the searched convolver array.
    expect(label('qiu-fpga16-vgg16-zc706', "the paper's engine")).toEqual([]);
    expect(label('qiu-fpga16-vgg16-zc706', 'searched best')[0].case).toMatch(/--set engine=convolver .*Tm=16, Tn=5, 720 DSP/);
    // Wang et al. FPT'17 (PipeCNN): Tm = CU_NUM = 28, Tn = VEC_SIZE = 16, int8 on the DE5-Net: 448 multipliers, two
    // per Stratix V DSP block = 224 (the paper's 247 include its other kernels). VGG-16 at batch 1: 39,740,782 cycles
    // at 198 MHz = 200.71 ms per image against the measured 254 ms (−21 %, outside the 15 %: reported, not tuned).
    const wang = label('wang-fpt17-vgg16-de5net', "the paper's engine");
    expect(wang[0].case).toMatch(/trim eval --arch wang-fpt17-de5net: unrolled Tm=28, Tn=16/);
    expect(wang[0].ours).toBeCloseTo(39740782 / 198e3, 6);
    expect(wang[0].reference).toBe(254);
    expect(wang[1]).toMatchObject({ metric: 'dsp', ours: 224, reference: 247 });
    // Within 15 % on throughput: every paper's own engine but PipeCNN's, whose miss is the row above.
    for (const r of rows.filter((x) => x.case.includes("the paper's engine") && x.metric.startsWith('throughput'))) {
      expect(Math.abs(r.ours - r.reference) / r.reference, r.case).toBeLessThanOrEqual(r.tolerance);
    }
  });
});

describe('the paper’s engine: trim eval and a one-point trim explore agree exactly', () => {
  it('zhang-fpga15-vc707, alexnet --only conv: 2,005,892 cycles, 17,829,296 DRAM bytes (4-byte fp32 tensors)', async () => {
    const registry = await createRegistry();
    const ev = await evaluateRequest(registry, { arch: 'zhang-fpga15-vc707', workload: 'alexnet', only: 'conv' });
    expect(ev.precision).toBe('fp32');
    expect(ev.totals.cycles).toBe(2005892);
    expect(ev.totals.dramBytes).toBe(17829296);
    const space = spaceFromFileData({ template: 'fpga', base: 'zhang-fpga15-vc707', parameters: { Tm: [64] } }, 'one point', 'one-point');
    const prepared = prepareExplore(registry, { space, workload: 'alexnet', only: 'conv', goal: 'latency', search: 'exhaustive', seed: 1 });
    const backend = await inlineBackend(registry, prepared.job);
    const { summary } = await runExplore({ prepared, backend });
    await backend.close();
    expect(summary.best?.totals).toEqual(ev.totals);
    expect(summary.best?.resources).toMatchObject({ dsp: 2240, bram: 1528 });
  });
});

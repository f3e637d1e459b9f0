import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@trim-dse/cli';
import { evaluateRequest, inlineBackend, prepareExplore, runExplore, spaceFromFileData } from '@trim-dse/core';
import { fpgaValidation } from '@trim-dse/hw-fpga';
import { describe, expect, it } from 'vitest';

// The reference data lives in the repository (validation/, with its provenance).
const DIR = fileURLToPath(new URL('../../../validation/fpga', import.meta.url));

/** Two-group AlexNet CONV1–5: 665,784,864 MACs; GFLOPS = 2 × MACs ÷ seconds at 100 MHz. */
const MACS = 665784864;
const gflops = (cycles: number) => (2 * MACS) / (cycles / 100e6) / 1e9;

describe.runIf(existsSync(DIR))('validation: Zhang et al. FPGA 2015 (AlexNet CONV1–5, fp32, VC707, 100 MHz, 61.62 GFLOPS)', () => {
  it('runs through the one pipeline: the searched design as trim explore, the paper’s 64 × 7 as trim eval', async () => {
    const registry = await createRegistry();
    const rows = await fpgaValidation.run(DIR, { registry });
    expect(rows.length).toBe(2);
    // Before the template owned its cost (dataflow-fpga re-typing ops to 4-byte words): Tm=128, Tn=3 in 1,925,707
    // cycles (69.15 GFLOPS, +12.2 %); the 64 × 7 engine in 2,005,892 cycles (66.38 GFLOPS, +7.7 %). Unchanged: the
    // pipeline loads the tensors in the design's fp32, so every op moves the same 4-byte words as before.
    expect(rows[0].case).toMatch(/trim explore --space fpga-vc707: best of 90 feasible points, Tm=128, Tn=3, 1920 DSP, 1420 BRAM/);
    expect(rows[0].ours).toBe(gflops(1925707));
    expect(rows[1].case).toMatch(/trim eval --arch zhang-fpga15-vc707: the paper's engine, Tm=64, Tn=7/);
    expect(rows[1].ours).toBe(gflops(2005892));
    for (const r of rows) expect(Math.abs(r.ours - r.reference) / r.reference).toBeLessThanOrEqual(r.tolerance);
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

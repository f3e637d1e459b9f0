import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { corePlugin, inferenceOps, Registry } from '@trim-dse/core';
import dataflowFpga from '@trim-dse/dataflow-fpga';
import { describe, expect, it } from 'vitest';
import fpga, { alexnetConvs, fpgaValidation } from '../src/index.js';

// The reference data sits beside the repository (../shared/validation), wherever it is cloned.
const SHARED_VALIDATION = fileURLToPath(new URL('../../../../shared/validation', import.meta.url));

const DIR = `${SHARED_VALIDATION}/fpga`;
const registry = new Registry().use(corePlugin).use(fpga).use(dataflowFpga);

describe('two-group AlexNet CONV1–5', () => {
  it('665.8 M MACs (1.33 GFLOP)', () => {
    const macs = inferenceOps(alexnetConvs()).reduce((a, op) => a + (op.kind === 'mac' ? op.macs : 0), 0);
    expect(macs).toBe(665784864);
  });
});

describe.runIf(existsSync(DIR))('validation: Zhang et al. FPGA 2015 (AlexNet, fp32, VC707, 100 MHz, 61.62 GFLOPS)', () => {
  it('detects the folder', () => {
    expect(fpgaValidation.detect(DIR)).toBe(true);
    expect(fpgaValidation.detect(`${SHARED_VALIDATION}/timeloop`)).toBe(false);
  });
  it('the best Tm × Tn design and the paper’s 64 × 7 engine are within 15 %', async () => {
    const rows = await fpgaValidation.run(DIR, { registry });
    expect(rows.length).toBe(2);
    for (const r of rows) {
      console.log(`${r.case}: ${r.ours.toFixed(2)} vs ${r.reference} ${r.unit} (${(((r.ours - r.reference) / r.reference) * 100).toFixed(1)} %)`);
      expect(Math.abs(r.ours - r.reference) / r.reference).toBeLessThanOrEqual(r.tolerance);
    }
    expect(rows[0].case).toMatch(/Tm=\d+, Tn=\d+/);
    expect(rows[1].case).toMatch(/Tm=64, Tn=7/);
  });
});

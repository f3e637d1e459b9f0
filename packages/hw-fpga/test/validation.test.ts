import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fpgaValidation } from '../src/index.js';

// The reference data lives in the repository (validation/, with its provenance). The suite's run needs
// a dataflow, the zoo and a search: it is tested in tests/integration (fpga-validation.test.ts).
const VALIDATION = fileURLToPath(new URL('../../../validation', import.meta.url));
const DIR = `${VALIDATION}/fpga`;

describe('validation folder detection', () => {
  it('detects the Zhang et al. case folder, not another suite’s', () => {
    expect(fpgaValidation.detect(DIR)).toBe(true);
    expect(fpgaValidation.detect(`${VALIDATION}/timeloop`)).toBe(false);
  });
});

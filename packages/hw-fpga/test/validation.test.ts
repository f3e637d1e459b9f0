import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fpgaValidation } from '../src/index.js';

// The reference data sits beside the repository (../shared/validation), wherever it is cloned. The suite's run needs
// a dataflow, the zoo and a search: it is tested in tests/integration (fpga-validation.test.ts).
const SHARED_VALIDATION = fileURLToPath(new URL('../../../../shared/validation', import.meta.url));
const DIR = `${SHARED_VALIDATION}/fpga`;

describe.runIf(existsSync(DIR))('validation folder detection', () => {
  it('detects the Zhang et al. case folder, not another suite’s', () => {
    expect(fpgaValidation.detect(DIR)).toBe(true);
    expect(fpgaValidation.detect(`${SHARED_VALIDATION}/timeloop`)).toBe(false);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readReport, scaleSimSuite } from '../src/index.js';

// The reference data lives in the repository (validation/, with its provenance). The suite itself
// runs through `trim eval`'s pipeline, which needs a workload source: it is run end to end in tests/integration.
const VALIDATION = fileURLToPath(new URL('../../../validation', import.meta.url));
const REFS = `${VALIDATION}/scalesim`;

describe('SCALE-Sim v2 reference runs', () => {
  it('detects the folder of cases and each case, not an unrelated folder', () => {
    expect(scaleSimSuite.detect(REFS)).toBe(true);
    expect(scaleSimSuite.detect(`${REFS}/a_32x32_ws_alexnet`)).toBe(true);
    expect(scaleSimSuite.detect(`${VALIDATION}/eyeriss`)).toBe(false);
    expect(scaleSimSuite.detect(`${REFS}/nonexistent`)).toBe(false);
  });
  it('reads SCALE-Sim’s reports as numbers, trailing commas dropped (the GEMM test case: 3551 cycles on ws)', () => {
    const [row] = readReport(`${REFS}/a_32x32_ws_gemm_test_mnk/COMPUTE_REPORT.csv`);
    expect(row.slice(0, 2)).toEqual([0, 3551]);
    const [detail] = readReport(`${REFS}/a_32x32_ws_gemm_test_mnk/DETAILED_ACCESS_REPORT.csv`);
    expect([detail[3], detail[6], detail[9], detail[12], detail[15], detail[18]]).toEqual([65536, 16384, 65536, 65536, 16384, 65567]);
  });
});

import { fileURLToPath } from 'node:url';
import { corePlugin, Registry } from '@trim-dse/core';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { scaleSimSuite } from '../src/index.js';

// The reference data sits beside the repository (../shared/validation), wherever it is cloned.
const SHARED_VALIDATION = fileURLToPath(new URL('../../../../shared/validation', import.meta.url));

const REFS = `${SHARED_VALIDATION}/scalesim`;

describe.skipIf(!existsSync(REFS))('SCALE-Sim v2 reference runs', () => {
  const registry = new Registry().use(corePlugin).use(plugin);
  it('detects the folder of cases and each case, not an unrelated folder', () => {
    expect(scaleSimSuite.detect(REFS)).toBe(true);
    expect(scaleSimSuite.detect(`${REFS}/a_32x32_ws_alexnet`)).toBe(true);
    expect(scaleSimSuite.detect(`${SHARED_VALIDATION}/eyeriss`)).toBe(false);
  });
  it('every layer of every case is within tolerance (cycles 1 %, accesses 5 %) — in fact exact', async () => {
    const rows = await scaleSimSuite.run(REFS, { registry });
    // 99 layers (AlexNet 5, ResNet-18 21, GEMM 1, transformer 6; × 3 dataflows), 7 metrics each.
    expect(rows.length).toBe(99 * 7);
    let worst = 0;
    for (const r of rows) {
      const err = Math.abs(r.ours - r.reference) / Math.max(1, Math.abs(r.reference));
      expect(err, `${r.case} ${r.metric}: ${r.ours} vs ${r.reference}`).toBeLessThanOrEqual(r.tolerance);
      worst = Math.max(worst, err);
    }
    expect(worst).toBe(0);
  });
});

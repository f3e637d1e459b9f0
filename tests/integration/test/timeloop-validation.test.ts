import { fileURLToPath } from 'node:url';
import { corePlugin, Registry } from '@trim-dse/core';
import timeloop, { timeloopRuns, timeloopSuite } from '@trim-dse/timeloop';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

// The reference data lives in the repository (validation/timeloop, with its provenance).
const DIR = fileURLToPath(new URL('../../../validation/timeloop', import.meta.url));
const registry = () => new Registry().use(corePlugin).use(workloads).use(timeloop);

describe('the timeloop validation suite (Timeloop v3.0.3 + Accelergy fixed-mapping runs)', () => {
  it('reproduces all nine runs: cycles, utilisation and every per-instance count exactly, pJ/MAC within 0.5 %', async () => {
    expect(timeloopRuns(DIR)).toHaveLength(9);
    const rows = await timeloopSuite.run(DIR, { registry: registry() });
    const cases = new Set(rows.map((r) => r.case));
    expect(cases.size).toBe(9);
    for (const c of cases) {
      const metrics = rows.filter((r) => r.case === c).map((r) => r.metric);
      expect(metrics).toEqual(expect.arrayContaining(['cycles', 'utilization', 'energy per MAC']));
      expect(metrics.filter((m) => m.endsWith('/instance')).length).toBeGreaterThanOrEqual(9);
    }
    const off = rows.filter((r) => (r.reference === 0 ? r.ours !== 0 : Math.abs((r.ours - r.reference) / r.reference) > r.tolerance));
    expect(off).toEqual([]);
    // Counts and cycles exact; only energy per MAC has a tolerance (0.5 %), utilisation half its printed digit.
    for (const r of rows) {
      if (r.metric === 'energy per MAC') expect(r.tolerance).toBe(0.005);
      else if (r.metric !== 'utilization') expect(r.tolerance).toBe(0);
      expect(r.source?.kind).toBe('simulator');
      expect(r.source?.citation).toMatch(/Timeloop v3\.0\.3 .*Accelergy/);
    }
    // The largest energy error, for the record: every run within 0.01 fJ/MAC of Timeloop's printed figure.
    for (const r of rows.filter((x) => x.metric === 'energy per MAC')) expect(Math.abs(r.ours - r.reference)).toBeLessThan(1e-5);
  });
});

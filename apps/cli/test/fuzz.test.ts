import { describe, expect, it } from 'vitest';
import { allSurfaces, fuzzSurface } from './fuzz/runner.js';

// Bounded here so `pnpm test` stays fast; `pnpm fuzz` runs ≥ 10,000 inputs per surface.
const RUNS = 40;

describe('fuzzing every input surface (bounded)', async () => {
  const surfaces = await allSurfaces();
  for (const s of surfaces) {
    it(`${s.name}: exit 0 with clean numbers or exit 1 with one line`, async () => {
      const r = await fuzzSurface(s, RUNS, 20261124);
      expect(r.firstFailure ?? '').toBe('');
      expect(r.inputs).toBe(RUNS);
    }, 120_000);
  }
});

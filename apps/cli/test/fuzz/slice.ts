import { describe, expect, it } from 'vitest';
import { FUZZ_PLAN } from './plan.js';
import { allSurfaces, fuzzSurface } from './runner.js';

/**
 * A seeded 1 % slice of the ≥ 10⁶-input plan (`pnpm fuzz plan`), so that `pnpm test` keeps every class of input
 * covered; its own seed, so these are not the first inputs of the long run. Split over two test files (`part` 0 and
 * 1) so that vitest runs the halves side by side.
 */
const SLICE = 0.01;
const SEED = 20261124;
/** The second half, balanced by measured time (each half about 35 s on one core). */
const PART_TWO = new Set(['SCALE-Sim cfg', 'Timeloop problem YAML', '--set values', 'ONNX bytes', 'special files', 'report tampered results', 'prototype keys', 'every template, training']);

export function fuzzSlice(part: 0 | 1): void {
  describe(`fuzzing every input surface (1 % of pnpm fuzz plan, part ${part + 1} of 2)`, async () => {
    const surfaces = await allSurfaces();
    if (part === 0) {
      it('every surface is in the plan', () => {
        expect(surfaces.map((s) => s.name).sort()).toEqual(Object.keys(FUZZ_PLAN).sort());
      });
    }
    surfaces.forEach((s) => {
      if (PART_TWO.has(s.name) !== (part === 1)) return;
      const runs = Math.max(1, Math.round((FUZZ_PLAN[s.name] ?? 0) * SLICE));
      it(`${s.name}: ${runs} inputs, exit 0 with clean numbers or exit 1 with one line`, async () => {
        const r = await fuzzSurface(s, runs, SEED);
        expect(r.firstFailure ?? '').toBe('');
        expect(r.inputs).toBe(runs);
      }, 240_000);
    });
  });
}

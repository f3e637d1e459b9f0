/**
 * `pnpm fuzz [runs] [seed] [surface]`: ≥ 10,000 generated inputs per input surface through the real CLI entry point (in
 * process), each checked against the contract: exit 0 with finite, non-negative numbers, or exit 1 with one line
 * naming the problem; never an internal error, a stack trace, NaN or Infinity. Prints one JSON line per surface.
 */
import { allSurfaces, fuzzSurface } from '../apps/cli/test/fuzz/runner.js';

const runs = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const only = process.argv[4];
let failed = 0;
for (const s of await allSurfaces()) {
  if (only && s.name !== only) continue;
  const t0 = performance.now();
  const r = await fuzzSurface(s, runs, seed);
  failed += r.failures;
  process.stdout.write(`${JSON.stringify({ ...r, seconds: Math.round((performance.now() - t0) / 100) / 10 })}\n`);
}
process.exitCode = failed > 0 ? 1 : 0;

/**
 * `pnpm fuzz [runs|plan.json] [seed] [surface]`: generated inputs for every input surface through the real CLI entry
 * point (in process), each checked against the contract: exit 0 with finite, non-negative numbers, or exit 1 with one
 * line naming the problem; never an internal error, a stack trace, NaN or Infinity; no fixture replaced, no temporary
 * file or lock left, no key added to Object.prototype. `runs` inputs per surface (default 10,000), or a plan file
 * `{ "<surface>": runs, … }`, or `plan` for the ≥ 10⁶-input plan (apps/cli/test/fuzz/plan.ts). The surfaces advance together, a hundredth of each at a time, and after every round one
 * JSON line gives the counts so far (so a run stopped early still reports what it did); the last line adds the
 * slowest input and the peak RSS.
 */
import { readFileSync } from 'node:fs';
import { FUZZ_PLAN } from '../apps/cli/test/fuzz/plan.js';
import { allSurfaces, emptyReport, fuzzSurface, type SurfaceReport } from '../apps/cli/test/fuzz/runner.js';

const arg = process.argv[2] ?? '10000';
const seed = Number(process.argv[3] ?? 1);
const only = process.argv[4];
const surfaces = (await allSurfaces()).filter((s) => !only || s.name === only);
const plan: Record<string, number> = /^\d+$/.test(arg)
  ? Object.fromEntries(surfaces.map((s) => [s.name, Number(arg)]))
  : arg === 'plan'
    ? { ...FUZZ_PLAN }
    : (JSON.parse(readFileSync(arg, 'utf8')) as Record<string, number>);
for (const name of Object.keys(plan)) if (!surfaces.some((s) => s.name === name)) throw new Error(`no fuzz surface "${name}"`);
const chosen = surfaces.filter((s) => plan[s.name] > 0);
const reports = new Map<string, SurfaceReport>(chosen.map((s) => [s.name, emptyReport(s)]));
const ROUNDS = 100;
const t0 = performance.now();

function totals() {
  const all = [...reports.values()];
  const slowest = all.reduce((a, b) => (b.slowestMs > a.slowestMs ? b : a), all[0]);
  return {
    inputs: all.reduce((n, r) => n + r.inputs, 0),
    exit0: all.reduce((n, r) => n + r.exit0, 0),
    exit1: all.reduce((n, r) => n + r.exit1, 0),
    failures: all.reduce((n, r) => n + r.failures, 0),
    seconds: Math.round((performance.now() - t0) / 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    slowestMs: slowest.slowestMs,
    slowest: `${slowest.surface}: ${slowest.slowestInput ?? ''}`,
  };
}

for (let round = 0; round < ROUNDS; round++) {
  for (const s of chosen) {
    const total = plan[s.name];
    const runs = Math.floor((total * (round + 1)) / ROUNDS) - Math.floor((total * round) / ROUNDS);
    // Round r draws chunks from r·1000 on, so the rounds never repeat an input (a surface's slice is < 1000·1000).
    if (runs > 0) await fuzzSurface(s, runs, seed, reports.get(s.name), round === 0 ? 0 : round * 1000);
  }
  const t = totals();
  const failing = Object.fromEntries([...reports.values()].filter((r) => r.failures > 0).map((r) => [r.surface, `${r.failures}: ${(r.firstFailure ?? '').slice(0, 300)}`]));
  process.stdout.write(`${JSON.stringify({ round: round + 1, ...t, slowest: undefined, ...(t.failures > 0 ? { failing } : {}) })}\n`);
}
for (const r of reports.values()) process.stdout.write(`${JSON.stringify(r)}\n`);
process.stdout.write(`${JSON.stringify({ total: totals() })}\n`);
process.exitCode = totals().failures > 0 ? 1 : 0;

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runCaptured } from '../../src/capture.js';
import { createRegistry } from '../../src/builtins.js';
import { violation } from './check.js';
import { surfaces, type FuzzInput, type Surface } from './surfaces.js';

export interface SurfaceReport {
  surface: string;
  inputs: number;
  exit0: number;
  exit1: number;
  failures: number;
  slowestMs: number;
  firstFailure?: string;
}

async function runOne(input: FuzzInput): Promise<{ problem: string | null; code: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trim-fuzz-'));
  try {
    for (const [name, content] of Object.entries(input.files)) writeFileSync(join(dir, name), content);
    const argv = input.argv.map((a) => a.replaceAll('$DIR', dir));
    const t0 = performance.now();
    const r = await runCaptured(argv);
    const ms = performance.now() - t0;
    const problem = violation(r);
    return { problem: problem ? `${problem}\n  argv: ${JSON.stringify(input.argv)}\n  files: ${JSON.stringify(Object.fromEntries(Object.entries(input.files).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 400) : `<${v.length} bytes>`])))}` : null, code: r.code, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function allSurfaces(): Promise<Surface[]> {
  const registry = await createRegistry();
  const archs = registry.architectures.entries().map((e) => ({ name: e.name, template: e.value.template, spec: e.value.spec }));
  return surfaces(archs);
}

/** Runs `runs` generated inputs of one surface with a fixed seed; every input is checked against the contract. */
export async function fuzzSurface(surface: Surface, runs: number, seed: number): Promise<SurfaceReport> {
  const report: SurfaceReport = { surface: surface.name, inputs: 0, exit0: 0, exit1: 0, failures: 0, slowestMs: 0 };
  const samples = fc.sample(surface.arbitrary, { numRuns: runs, seed });
  for (const input of samples) {
    const r = await runOne(input);
    report.inputs++;
    if (r.code === 0) report.exit0++;
    if (r.code === 1) report.exit1++;
    report.slowestMs = Math.max(report.slowestMs, Math.round(r.ms));
    if (r.problem) {
      report.failures++;
      report.firstFailure ??= r.problem;
    }
  }
  return report;
}

import { appendFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ResultsLock } from '@trim-dse/core';
import { runCaptured } from '../../src/capture.js';
import { createRegistry } from '../../src/builtins.js';
import { violation } from './check.js';
import { hardeningSurfaces, specialFixtures } from './hardening-surfaces.js';
import { surfaces, type FuzzInput, type Surface } from './surfaces.js';

export interface SurfaceReport {
  surface: string;
  inputs: number;
  exit0: number;
  exit1: number;
  failures: number;
  slowestMs: number;
  slowestInput?: string;
  firstFailure?: string;
}

/** Keys on Object.prototype before any run: an input that adds one polluted every object of the process. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

function describeInput(input: FuzzInput): string {
  const files = Object.fromEntries(Object.entries(input.files).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 400) : `<${v.length} bytes>`]));
  return `argv: ${JSON.stringify(input.argv)}\n  files: ${JSON.stringify(files)}`;
}

async function runOne(input: FuzzInput, fixtures: string): Promise<{ problem: string | null; code: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trim-fuzz-'));
  const lock = input.lockedOut ? ResultsLock.acquire(join(dir, input.lockedOut)) : undefined;
  try {
    for (const [name, content] of Object.entries(input.files)) writeFileSync(join(dir, name), content);
    for (const [name, target] of Object.entries(input.links ?? {})) symlinkSync(target, join(dir, name));
    const argv = input.argv.map((a) => a.replaceAll('$DIR', dir).replaceAll('$FIX', fixtures));
    const t0 = performance.now();
    const r = await runCaptured(argv);
    const ms = performance.now() - t0;
    // A long run logs its slow inputs as it goes (a run stopped early still tells which they were).
    if (ms > 20_000 && process.env.TRIM_FUZZ_SLOW_LOG) appendFileSync(process.env.TRIM_FUZZ_SLOW_LOG, `${JSON.stringify({ ms: Math.round(ms), code: r.code, input: describeInput(input).slice(0, 800) })}\n`);
    let problem = violation(r);
    if (!problem && Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTOTYPE_KEYS) problem = 'Object.prototype gained a key (prototype pollution)';
    if (!problem && ({} as Record<string, unknown>).areaMm2 !== undefined) problem = 'Object.prototype.areaMm2 is set (prototype pollution)';
    problem ??= input.check?.(dir, r) ?? null;
    return { problem: problem ? `${problem}\n  ${describeInput(input)}` : null, code: r.code, ms };
  } finally {
    lock?.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

let fixtureDir: string | undefined;

export async function allSurfaces(): Promise<Surface[]> {
  const registry = await createRegistry({ config: null });
  const archs = registry.architectures.entries().map((e) => ({ name: e.name, template: e.value.template, spec: e.value.spec }));
  fixtureDir ??= specialFixtures();
  return [...surfaces(archs), ...(await hardeningSurfaces(archs, fixtureDir))];
}

/** Inputs are drawn in chunks of at most this many (each chunk its own seed), so a run of 10⁶ never holds them all. */
const CHUNK = 1000;

export function emptyReport(surface: Surface): SurfaceReport {
  return { surface: surface.name, inputs: 0, exit0: 0, exit1: 0, failures: 0, slowestMs: 0 };
}

/**
 * Runs `runs` generated inputs of one surface, drawn with `seed` (chunk `firstChunk` on: a long run proceeds in slices
 * that never repeat an input), checking every one against the contract; counts add up in `report`.
 */
export async function fuzzSurface(surface: Surface, runs: number, seed: number, report = emptyReport(surface), firstChunk = 0): Promise<SurfaceReport> {
  fixtureDir ??= specialFixtures();
  for (let done = 0, chunk = firstChunk; done < runs; chunk++) {
    const n = Math.min(CHUNK, runs - done);
    const samples = fc.sample(surface.arbitrary, { numRuns: n, seed: chunk === 0 ? seed : seed * 1_000_003 + chunk });
    for (const input of samples) {
      const r = await runOne(input, fixtureDir);
      report.inputs++;
      if (r.code === 0) report.exit0++;
      if (r.code === 1) report.exit1++;
      if (r.ms > report.slowestMs) {
        report.slowestMs = Math.round(r.ms);
        report.slowestInput = describeInput(input).slice(0, 600);
      }
      if (r.problem) {
        report.failures++;
        report.firstFailure ??= r.problem;
      }
    }
    done += n;
  }
  return report;
}

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRng,
  createBackend,
  defineSearch,
  exploreFixture,
  inlineBackend,
  prepareExplore,
  TrimUserError,
  mergeResultsFiles,
  readResultsFile,
  runExplore,
  writeFileSafely,
} from '../../src/index.js';
import { fixtureRegistry, prepareFixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-explore-'));
const read = (p: string) => readFileSync(p, 'utf8');

async function runTo(out: string, opts: { workers?: number; shard?: { index: number; count: number }; budget?: number } = {}) {
  const prepared = prepareFixture(opts.budget ? { budget: opts.budget } : {});
  const backend = await createBackend({
    workers: opts.workers ?? 1,
    registry: fixtureRegistry(),
    registryModule: exploreFixture.fixtureRegistryModule,
    job: prepared.job,
  });
  try {
    return await runExplore({ prepared, backend, out, ...(opts.shard ? { shard: opts.shard } : {}) });
  } finally {
    await backend.close();
  }
}

let single = '';
describe('explore runs', () => {
  afterAll(() => {
    /* temp dir left for inspection on failure; the OS cleans it */
  });

  it('writes one line per point in index order, with a header', async () => {
    const out = join(dir, 'single.jsonl');
    const res = await runTo(out);
    single = read(out);
    const lines = single.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 192);
    expect(JSON.parse(lines[0]).schema).toBe('trim.explore.run/v2');
    const idx = lines.slice(1).map((l) => JSON.parse(l).index as number);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(res.summary.evaluated).toBe(192);
    expect(res.summary.feasible).toBe(144);
    expect(res.records.find((r) => r.status === 'infeasible')?.reason).toMatch(/capacityWords/);
    expect(res.summary.best).not.toBeNull();
    expect(res.summary.pareto.length).toBeGreaterThan(0);
  });

  it('gives the same bytes with 2 worker threads', async () => {
    const out = join(dir, 'two-workers.jsonl');
    await runTo(out, { workers: 2 });
    expect(read(out)).toBe(single);
  });

  it('shards merge into the bytes of the single run', async () => {
    const a = join(dir, 'shard1.jsonl');
    const b = join(dir, 'shard2.jsonl');
    await runTo(a, { shard: { index: 0, count: 2 } });
    await runTo(b, { shard: { index: 1, count: 2 }, workers: 2 });
    expect(read(a)).not.toBe(single);
    const merged = mergeResultsFiles([b, a]);
    expect(merged.text).toBe(single);
  });

  const script = join(import.meta.dirname, 'run-fixture.ts');
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const node = (out: string, resume: string) =>
    spawn(process.execPath, ['--import', tsx, '--conditions=@trim-dse/source', script, out, resume, '15'], { stdio: ['ignore', 'pipe', 'inherit'] });

  /** Starts (or resumes) the fixture run and kills it with SIGKILL once the file passes `bytes`. */
  async function killAt(out: string, resume: boolean, bytes: number): Promise<void> {
    const child = node(out, resume ? '1' : '0');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(out) && statSync(out).size > bytes) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it was killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
  }

  async function finish(out: string): Promise<{ resumed: number; evaluated: number }> {
    const resumed = node(out, '1');
    let stdout = '';
    resumed.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise((r) => resumed.on('exit', r));
    expect(code).toBe(0);
    return JSON.parse(stdout) as { resumed: number; evaluated: number };
  }

  it('resumes a run killed with SIGKILL halfway to the same final bytes, without re-evaluating', async () => {
    const out = join(dir, 'killed.jsonl');
    await killAt(out, false, single.length / 3);
    const partial = readResultsFile(out);
    expect(partial.records.length).toBeGreaterThan(10);
    expect(partial.records.length).toBeLessThan(192);
    // Simulate a torn last line too.
    writeFileSafely(out, `${read(out).slice(0, partial.completeBytes)}{"index":99,"hard`);
    const done = await finish(out);
    expect(read(out)).toBe(single);
    // Every point on disk was reused, only the rest was evaluated.
    expect(done).toEqual({ resumed: partial.records.length, evaluated: 192 - partial.records.length });
  });

  it('survives SIGKILL at several random points in a row (kill, resume, kill, resume …) with the same final bytes', async () => {
    const out = join(dir, 'killed-repeatedly.jsonl');
    // Seeded "random" kill points, increasing through the run (fractions of the final file size).
    const rng = createRng(20261124);
    const points = [0.1 + 0.15 * rng.next(), 0.3 + 0.15 * rng.next(), 0.5 + 0.15 * rng.next()];
    for (let i = 0; i < points.length; i++) {
      await killAt(out, i > 0, single.length * points[i]);
      const partial = readResultsFile(out);
      expect(partial.records.length).toBeLessThan(192);
    }
    const done = await finish(out);
    expect(done.resumed + done.evaluated).toBe(192);
    expect(read(out)).toBe(single);
  });

  it('refuses to resume or merge files of a different run', async () => {
    const other = join(dir, 'other-seed.jsonl');
    const p = prepareFixture({ seed: 8, budget: 2 });
    await runExplore({ prepared: p, backend: await inlineBackend(fixtureRegistry(), p.job), out: other });
    const q = prepareFixture({ budget: 2 });
    await expect(runExplore({ prepared: q, backend: await inlineBackend(fixtureRegistry(), q.job), out: other, resume: true })).rejects.toThrow(/different run/);
    expect(() => mergeResultsFiles([join(dir, 'single.jsonl'), other])).toThrow(TrimUserError);
  });

  it('refuses to shard a search that adapts to results', async () => {
    const adaptive = defineSearch({ name: 'adaptive', description: 'test', create: () => ({ ask: () => [], tell() {} }) });
    const registry = exploreFixture.createRegistry({ searches: [adaptive] });
    const p = prepareExplore(registry, { space: exploreFixture.fixtureSpace(), workload: 'tiny-cnn', search: 'adaptive', seed: 1 });
    await expect(runExplore({ prepared: p, backend: await inlineBackend(registry, p.job), shard: { index: 0, count: 2 } })).rejects.toThrow(/--shard/);
  });
});

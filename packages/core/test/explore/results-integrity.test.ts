import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  inlineBackend,
  mergeResultsFiles,
  readResultsFile,
  recordSum,
  ResultsLock,
  runExplore,
  TrimUserError,
  workloadFileHashes,
} from '../../src/index.js';
import { fixtureRegistry, prepareFixture } from './helpers.js';

// Results files that cannot lie (issue 16): a run id in the header, a run id and a checksum on every record; merge
// and resume refuse foreign, edited and out-of-range lines with their line number, and merge an incomplete union only
// when asked. The fixture run: 24 points (budget), sharded 3 ways.
const dir = mkdtempSync(join(tmpdir(), 'trim-results-'));
const read = (p: string) => readFileSync(p, 'utf8');
const BUDGET = 24;

async function runTo(out: string, o: { shard?: { index: number; count: number }; resume?: boolean; seed?: number } = {}) {
  const prepared = prepareFixture({ budget: BUDGET, ...(o.seed ? { seed: o.seed } : {}) });
  return runExplore({ prepared, backend: await inlineBackend(fixtureRegistry(), prepared.job), out, ...(o.shard ? { shard: o.shard } : {}), ...(o.resume ? { resume: true } : {}) });
}
const shardFile = (i: number, count = 3) => join(dir, `s${i}of${count}.jsonl`);
const message = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrimUserError);
    return (e as Error).message;
  }
  throw new Error('expected a user error');
};

/** A record line edited as a forger would: a field changed and the checksum recomputed (the checksum is no signature). */
function forge(line: string, edit: (r: Record<string, unknown>) => void): string {
  const { run, sum: _sum, ...record } = JSON.parse(line) as Record<string, unknown>;
  edit(record);
  return canonicalJson({ ...record, run, sum: recordSum(run as string, canonicalJson(record)) });
}
const withLine = (text: string, n: number, f: (l: string) => string) => text.split('\n').map((l, i) => (i === n - 1 ? f(l) : l)).join('\n');

let whole = '';
beforeAll(async () => {
  await runTo(join(dir, 'whole.jsonl'));
  whole = read(join(dir, 'whole.jsonl'));
  for (let i = 0; i < 3; i++) await runTo(shardFile(i), { shard: { index: i, count: 3 } });
  await runTo(shardFile(0, 2), { shard: { index: 0, count: 2 } });
  await runTo(shardFile(1, 2), { shard: { index: 1, count: 2 } });
});

describe('the header and every record carry the run id; records a checksum', () => {
  it('header: run id, shard, shard count, workload file hashes, evaluated once finished', () => {
    const h = JSON.parse(whole.split('\n')[0]) as Record<string, unknown>;
    expect(h).toMatchObject({ schema: 'trim.explore.run/v2', shard: 1, shards: 1, workloadFiles: {}, evaluated: BUDGET, runId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const s2 = JSON.parse(read(shardFile(1)).split('\n')[0]) as Record<string, unknown>;
    expect([s2.shard, s2.shards]).toEqual([2, 3]);
    // The shards of a run share its id; another shard count is another run.
    expect(s2.runId).toBe(JSON.parse(read(shardFile(0)).split('\n')[0]).runId);
    expect(s2.runId).not.toBe(h.runId);
    const r = JSON.parse(whole.split('\n')[1]) as Record<string, unknown>;
    expect(r.run).toBe(h.runId);
    expect(r.sum).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a workload file is part of the run id through its content hash', () => {
    const f = join(dir, 'net.csv');
    writeFileSync(f, 'a');
    const a = workloadFileHashes([{ workload: f, batch: 1, phase: 'inference', weight: 1 }]);
    writeFileSync(f, 'b');
    expect(workloadFileHashes([{ workload: f, batch: 1, phase: 'inference', weight: 1 }])[f]).not.toBe(a[f]);
    expect(workloadFileHashes([{ workload: 'tiny-cnn', batch: 1, phase: 'inference', weight: 1 }])).toEqual({});
  });
});

describe('merge', () => {
  it('the shards in any order give the whole run byte for byte', () => {
    expect(mergeResultsFiles([shardFile(2), shardFile(0), shardFile(1)]).text).toBe(whole);
  });

  it('a missing shard is refused, naming it and the missing indices; --allow-partial merges and lists them', async () => {
    expect(await message(() => mergeResultsFiles([shardFile(0), shardFile(2)]))).toMatch(/^trim merge: the union is incomplete: shard 2\/3 missing; 8 of the run's 24 points missing/);
    const partial = mergeResultsFiles([shardFile(0), shardFile(2)], { allowPartial: true });
    expect(partial.missing[0]).toBe('shard 2/3 missing');
    expect(partial.records).toHaveLength(16);
    // An unfinished merge has no `evaluated`: merging or resuming it later cannot mistake it for a whole run.
    expect(JSON.parse(partial.text.split('\n')[0]).evaluated).toBeUndefined();
  });

  it('mixed shard counts, one shard twice, a whole run with a shard are refused', async () => {
    expect(await message(() => mergeResultsFiles([shardFile(0), shardFile(1, 2)]))).toMatch(/comes from a different run than .* \(shard count \(2 vs 3\) differ\)/);
    expect(await message(() => mergeResultsFiles([shardFile(0), shardFile(0), shardFile(1), shardFile(2)]))).toMatch(/are both shard 1\/3/);
    expect(await message(() => mergeResultsFiles([join(dir, 'whole.jsonl'), shardFile(0)]))).toMatch(/different run .*shard count \(3 vs 1\) differ/);
  });

  it('a tampered line is refused with its line number: an edit, a forged score, a foreign line, an index out of range', async () => {
    const t = join(dir, 'tampered.jsonl');
    const text = read(shardFile(1));
    writeFileSync(t, text.replace(/"score":([0-9.e-]+)/, '"score":1e300'));
    expect(await message(() => mergeResultsFiles([shardFile(0), t, shardFile(2)]))).toMatch(/tampered\.jsonl:\d+: it was modified \(its checksum does not match\)$/);
    writeFileSync(t, withLine(text, 3, (l) => forge(l, (r) => (r.score = -1))));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:3: it holds a number that no run writes \(score = -1\)$/);
    writeFileSync(t, withLine(text, 3, (l) => forge(l, (r) => (r.score = (r.score as number) / 2))));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:3: its score .* is not the goal of its totals/);
    writeFileSync(t, withLine(text, 2, (l) => forge(l, (r) => (r.index = 10 ** 6))));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:2: its index 1000000 is outside the space's \d+ points$/);
    writeFileSync(t, withLine(text, 2, () => read(shardFile(0)).split('\n')[1]));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:2: its index 0 is not a point of shard 2\/3$/);
    writeFileSync(t, withLine(text, 2, (l) => l.replace(/^\{/, '{"__proto__":{"areaMm2":1},')));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:2: not a JSON record \(the key "__proto__" is not allowed\)$/);
    expect(({} as Record<string, unknown>).areaMm2).toBeUndefined();
    // 1e999 parses as Infinity: refused as read (found by pnpm fuzz: it used to reach canonicalJson, exit 2).
    writeFileSync(t, text.replace(/"score":([0-9.e-]+)/, '"score":1e999'));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:\d+: not a JSON record \(the key "score" holds a number beyond doubles\)$/);
    writeFileSync(t, text.replace(/"seed":\d+/, '"seed":1e999'));
    expect(await message(() => mergeResultsFiles([t]))).toMatch(/tampered\.jsonl:1: not a trim\.explore\.run\/v2 header/);
  });

  it('a finished shard cut short (a torn or removed line) is refused: its header counts its records', async () => {
    const t = join(dir, 'cut.jsonl');
    const lines = read(shardFile(1)).split('\n');
    writeFileSync(t, `${lines.slice(0, -2).join('\n')}\n${lines.at(-2)!.slice(0, 30)}`);
    expect(await message(() => mergeResultsFiles([shardFile(0), t, shardFile(2)]))).toMatch(/cut\.jsonl:1: the finished run wrote 8 points but the file holds 7/);
  });
});

describe('--resume', () => {
  it('a 0-byte or header-only file is a fresh start (a requeued Slurm task)', async () => {
    const out = join(dir, 'requeued.jsonl');
    writeFileSync(out, '');
    await runTo(out, { resume: true });
    expect(read(out)).toBe(whole);
    writeFileSync(out, whole.slice(0, whole.indexOf('\n') + 1));
    const r = await runTo(out, { resume: true });
    expect(r.resumed).toBe(0);
    expect(read(out)).toBe(whole);
  });

  it('another shard, another run, a foreign line are refused with what differs or the line number', async () => {
    const out = join(dir, 'resume-shard.jsonl');
    writeFileSync(out, read(shardFile(0)));
    expect(await message(() => runTo(out, { resume: true, shard: { index: 1, count: 3 } }))).toMatch(/^--resume: .* holds shard 1\/3, this run is shard 2\/3$/);
    expect(await message(() => runTo(out, { resume: true, seed: 99 }))).toMatch(/^--resume: .* was written by a different run \(seed, shard count \(3 vs 1\) differ\)$/);
    const other = join(dir, 'other.jsonl');
    await runTo(other, { seed: 99 });
    writeFileSync(out, `${whole.split('\n').slice(0, 5).join('\n')}\n${read(other).split('\n')[7]}\n`);
    expect(await message(() => runTo(out, { resume: true }))).toMatch(/resume-shard\.jsonl:6: it belongs to another run/);
  });

  it('a run killed mid-way resumes to the whole run (its unfinished header has no `evaluated`)', async () => {
    const out = join(dir, 'killed.jsonl');
    const lines = whole.split('\n');
    const header = JSON.parse(lines[0]) as Record<string, unknown>;
    delete header.evaluated;
    writeFileSync(out, `${canonicalJson(header)}\n${lines.slice(1, 9).join('\n')}\n${lines[9].slice(0, 20)}`);
    const r = await runTo(out, { resume: true });
    expect(r.resumed).toBe(8);
    expect(read(out)).toBe(whole);
  });
});

describe('an exclusive lock on --out', () => {
  it('a second run on a results file being written is refused before it writes anything', async () => {
    const out = join(dir, 'locked.jsonl');
    writeFileSync(out, 'untouched');
    const lock = ResultsLock.acquire(out);
    try {
      expect(await message(() => runTo(out))).toMatch(/locked\.jsonl is being written by another trim explore \(pid \d+ on .*\): two runs cannot share a results file$/);
      expect(read(out)).toBe('untouched');
    } finally {
      lock.release();
    }
    await runTo(out);
    expect(read(out)).toBe(whole);
  });

  it('the lock of a run that died (no such process on this machine) is taken over', async () => {
    const out = join(dir, 'stale.jsonl');
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: 2 ** 30, host: hostname(), since: 0 }));
    await runTo(out);
    expect(read(out)).toBe(whole);
    expect(() => readFileSync(`${out}.lock`)).toThrow();
  });

  it('readResultsFile reads what the runs wrote', () => {
    expect(readResultsFile(join(dir, 'whole.jsonl')).records).toHaveLength(BUDGET);
  });
});

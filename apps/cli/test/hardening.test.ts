import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';
import { oneLine } from '../src/main.js';

// Issue 16's "done when" cases through the CLI, in a temp folder (no real device is ever a target except /dev/null
// and /dev/full, which are refused before anything is opened for writing).
const dir = mkdtempSync(join(tmpdir(), 'trim-hardening-'));
const TINY = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 10, 10, 3, 3, 4, 8, 1,\n';
writeFileSync(join(dir, 'tiny.csv'), TINY);
writeFileSync(join(dir, 'space.yaml'), 'template: systolic\nbase: systolic-8x8\nparameters:\n  rows: [4, 8]\n  cols: [4, 8]\n');
const evalArgs = ['eval', '--workload', join(dir, 'tiny.csv'), '--arch', 'systolic-8x8', '--format', 'json'];
const exploreArgs = ['explore', '--space', join(dir, 'space.yaml'), '--workload', join(dir, 'tiny.csv'), '--quiet'];

async function oneLineOf(args: string[]): Promise<string> {
  const r = await runCaptured(args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('outputs: exit 1 before any work, or written through a link; nothing replaced', () => {
  it('--out /dev/null and /dev/full: refused (a device), and /dev/null is still a character device', async () => {
    for (const args of [evalArgs, exploreArgs]) {
      expect(await oneLineOf([...args, '--out', '/dev/null'])).toBe('trim: --out /dev/null: is a character device, not a regular file: TRIM writes only regular files');
      expect(await oneLineOf([...args, '--out', '/dev/full'])).toBe('trim: --out /dev/full: is a character device, not a regular file: TRIM writes only regular files');
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a folder, a read-only file (even as root), a missing folder: refused naming the path', async () => {
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'ro.json'), 'keep');
    chmodSync(join(dir, 'ro.json'), 0o444);
    expect(await oneLineOf([...exploreArgs, '--out', join(dir, 'folder')])).toMatch(/folder: is a folder, not a regular file/);
    expect(await oneLineOf([...evalArgs, '--out', join(dir, 'ro.json')])).toMatch(/ro\.json: the file is read-only, so TRIM will not replace it$/);
    expect(await oneLineOf(['merge', join(dir, 'x.jsonl'), '--out', join(dir, 'no', 'x.jsonl')])).toMatch(/the folder .*\/no does not exist/);
    expect(readFileSync(join(dir, 'ro.json'), 'utf8')).toBe('keep');
  });

  it('a symlink is written through (it stays a link); no temporary file is left', async () => {
    writeFileSync(join(dir, 'target.json'), 'old');
    symlinkSync('target.json', join(dir, 'link.json'));
    const r = await runCaptured([...exploreArgs, '--out', join(dir, 'link.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.json'), 'utf8')).toMatch(/^\{"base"/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.endsWith('.lock'))).toEqual([]);
  });
});

describe('output hygiene', () => {
  it('an error line shows control characters (C0, C1, bidirectional overrides) as escapes, never runs them', async () => {
    expect(oneLine('a\u001b[31mb\u009b2Jc\u202ed\ne')).toBe('a\\x1b[31mb\\x9b2Jc\\u202ed e');
    expect(await oneLineOf(['eval', '--workload', join(dir, 'tiny.csv'), '--only', '\u001b]0;pwned\u0007'])).toMatch(/^trim: --only \\x1b\]0;pwned\\x07: /);
  });
});

describe('inputs and flags', () => {
  it('a FIFO as an input is refused at once (it would block forever)', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    expect(await oneLineOf(['eval', '--workload', join(dir, 'pipe.csv'), '--arch', 'systolic-8x8'])).toMatch(/pipe\.csv: is a FIFO \(named pipe\), not a regular file$/);
  });

  it('--batch Infinity and non-integers are refused; --workers above the CPU count runs that many, with a warning', async () => {
    expect(await oneLineOf([...evalArgs, '--batch', 'Infinity'])).toBe('trim: --batch "Infinity": expected a positive integer');
    expect(await oneLineOf([...evalArgs, '--batch', '1e3'])).toBe('trim: --batch "1e3": expected a positive integer');
    expect(await oneLineOf(['validate', '--suite', ''])).toBe('trim: --suite "": expected a folder of reference data');
    // A swept string shows quoted: the user's text, not a broken number (found by pnpm fuzz).
    writeFileSync(join(dir, 'nan.yaml'), 'template: systolic\nbase: systolic-8x8\nparameters:\n  sram.ifmapKB: ["NaN"]\n');
    expect(await oneLineOf(['explore', '--space', join(dir, 'nan.yaml'), '--workload', join(dir, 'tiny.csv'), '--quiet'])).toMatch(/point 0 \(sram\.ifmapKB="NaN"\) is not a valid systolic spec/);
    // The warning waits for the run: an input error before it stays the only line (found by pnpm fuzz).
    expect(await oneLineOf(['explore', '--space', 'nope', '--workers', '100000', '--workload', join(dir, 'tiny.csv')])).toMatch(/^trim: unknown design space "nope"/);
    const cpus = availableParallelism();
    const r = await runCaptured([...exploreArgs, '--workers', '100000', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`trim: warning: --workers 100000: this machine has ${cpus} CPU${cpus === 1 ? '' : 's'}, so ${cpus} worker${cpus === 1 ? '' : 's'} will run\n`);
  });

  it('merge of a missing shard exits 1 naming it', async () => {
    const s = (i: number) => join(dir, `shard${i}.jsonl`);
    for (const i of [1, 2, 3]) expect((await runCaptured([...exploreArgs, '--shard', `${i}/3`, '--out', s(i)])).code).toBe(0);
    expect(await oneLineOf(['merge', s(1), s(3)])).toMatch(/^trim: trim merge: the union is incomplete: shard 2\/3 missing; 1 of the run's 4 points missing \(indices 1\)$/);
    const partial = await runCaptured(['merge', s(1), s(3), '--allow-partial', '--format', 'json']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toBe("trim: warning: shard 2/3 missing\ntrim: warning: 1 of the run's 4 points missing (indices 1)\n");
  });
});

/** Every number of a document finite and non-negative, or the first that is not. */
function badNumber(v: unknown, path = '$'): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? undefined : `${path} = ${v}`;
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const b = badNumber(x, `${path}.${k}`);
      if (b) return b;
    }
  }
  return undefined;
}

describe('regressions of issue 16 fixed by issue 12 (one evaluation path)', () => {
  const clean = async (args: string[]) => {
    const r = await runCaptured([...args, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(badNumber(JSON.parse(r.stdout))).toBeUndefined();
  };
  it('zhang-fpga15-vc707, int8, inter-layer hand-off on: no negative DRAM bytes or energy', async () => {
    await clean(['eval', '--arch', 'zhang-fpga15-vc707', '--workload', 'alexnet', '--precision', 'int8', '--interlayer', 'on']);
  });
  it('a 1×1 systolic array, and the schema minimum SRAM (1 byte) with 16-bit words: exit 0, clean numbers', async () => {
    await clean(['eval', '--arch', 'systolic-8x8', '--set', 'rows=1', '--set', 'cols=1', '--workload', 'alexnet', '--only', 'conv']);
    const arch = join(dir, 'min-sram.yaml');
    writeFileSync(arch, 'template: systolic\nname: min-sram\nrows: 8\ncols: 8\nwordBits: 16\nsram: { ifmapKB: 0.0009765625, filterKB: 0.0009765625, ofmapKB: 0.0009765625 }\n');
    await clean(['eval', '--arch', arch, '--workload', 'alexnet', '--only', 'conv']);
  });
});

describe('a reader that closes the pipe early', () => {
  it('`trim eval … | head -c 100` ends quietly: no stack trace on stderr', () => {
    const bin = join(import.meta.dirname, '..', 'src', 'bin.ts');
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" --conditions=@trim-dse/source --import tsx "${bin}" eval --arch tpu-v1 --workload resnet18 --format json --quiet | head -c 100 > /dev/null`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

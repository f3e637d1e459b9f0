import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputFile, checkOutputFolder, readInputBytes, readInputText, TrimUserError, writeFileSafely } from '../src/index.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'trim-safe-'));
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrimUserError);
    return (e as Error).message;
  }
  throw new Error('expected a user error');
};
const core = new URL('../', import.meta.url).pathname;
const safeFileModule = JSON.stringify(new URL('../src/safe-file.ts', import.meta.url).href);

describe('writeFileSafely: whole or not at all, never through what the target is', () => {
  it('replaces a regular file whole, keeps its mode, leaves no temporary file', () => {
    const dir = fresh();
    const f = join(dir, 'out.json');
    writeFileSync(f, 'old');
    chmodSync(f, 0o640);
    const big = 'x'.repeat(5_000_000);
    writeFileSafely(f, big);
    expect(readFileSync(f, 'utf8')).toBe(big);
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('writes through a symlink (the link stays a link) and through a dangling one (its target is created)', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'real.txt'), 'old');
    symlinkSync('real.txt', join(dir, 'link.txt'));
    writeFileSafely(join(dir, 'link.txt'), 'new');
    expect(lstatSync(join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.txt'), 'utf8')).toBe('new');
    symlinkSync('later.txt', join(dir, 'dangling.txt'));
    writeFileSafely(join(dir, 'dangling.txt'), 'made');
    expect(lstatSync(join(dir, 'dangling.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'later.txt'), 'utf8')).toBe('made');
    expect(readdirSync(dir).sort()).toEqual(['dangling.txt', 'later.txt', 'link.txt', 'real.txt']);
  });

  it('refuses devices, FIFOs, folders, links to them and read-only files (even as root), before writing', () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    mkdirSync(join(dir, 'folder'));
    symlinkSync('fifo', join(dir, 'to-fifo'));
    writeFileSync(join(dir, 'ro.txt'), 'keep');
    chmodSync(join(dir, 'ro.txt'), 0o444);
    expect(messageOf(() => writeFileSafely('/dev/null', 'x'))).toBe('--out /dev/null: is a character device, not a regular file: TRIM writes only regular files');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(messageOf(() => checkOutputFile('/dev/full'))).toMatch(/^--out \/dev\/full: is a character device/);
    expect(messageOf(() => writeFileSafely(join(dir, 'fifo'), 'x'))).toMatch(/fifo: is a FIFO \(named pipe\), not a regular file/);
    expect(messageOf(() => writeFileSafely(join(dir, 'to-fifo'), 'x', '--html'))).toMatch(/^--html .*to-fifo: is a FIFO \(named pipe\) \(.*\/fifo\), not a regular file/);
    expect(messageOf(() => writeFileSafely(join(dir, 'folder'), 'x'))).toMatch(/folder: is a folder, not a regular file/);
    expect(messageOf(() => writeFileSafely(join(dir, 'ro.txt'), 'x'))).toMatch(/ro\.txt: the file is read-only, so TRIM will not replace it$/);
    expect(readFileSync(join(dir, 'ro.txt'), 'utf8')).toBe('keep');
    expect(messageOf(() => writeFileSafely(join(dir, 'no', 'such', 'x.json'), 'x'))).toMatch(/x\.json: the folder .*\/no\/such does not exist/);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'folder', 'ro.txt', 'to-fifo']);
  });

  it('a write that fails part-way (the file-size limit: EFBIG) is a user error; the old file and no temporary file remain', () => {
    const dir = fresh();
    const f = join(dir, 'out.json');
    writeFileSync(f, 'old');
    const script = `const { writeFileSafely } = await import(${safeFileModule});
      try { writeFileSafely(${JSON.stringify(f)}, 'y'.repeat(100_000)); } catch (e) { console.log(e.message); }`;
    // bash's `ulimit -f 1`: at most 1 block of 512 bytes per file (Node ignores SIGXFSZ, so the write returns EFBIG).
    const r = spawnSync('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" --import tsx --input-type=module -e "$0"`, script], { cwd: core, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`--out ${f}: cannot write this file: the file is larger than this process may write (EFBIG); nothing was written`);
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a writer killed with SIGKILL mid-write leaves the old file or a complete new one, never a torn one', async () => {
    const dir = fresh();
    const f = join(dir, 'out.json');
    writeFileSync(f, '{"complete":true}');
    const script = `const { writeFileSafely } = await import(${safeFileModule});
      for (let i = 0; ; i++) writeFileSafely(${JSON.stringify(f)}, 'y'.repeat(20_000_000) + (i % 10));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: core, stdio: 'ignore' });
    // Kill while a temporary file is being written (the moment a torn result could appear).
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (readdirSync(dir).some((n) => n.includes('.tmp-'))) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve();
        }
      }, 1);
    });
    await new Promise((r) => child.on('exit', r));
    const text = readFileSync(f, 'utf8');
    expect(text === '{"complete":true}' || text.length === 20_000_001).toBe(true);
  }, 60_000);
});

describe('checkOutputFolder', () => {
  it('accepts a folder or one to create under a writable one; refuses a file and a FIFO', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), '');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(() => checkOutputFolder(dir)).not.toThrow();
    expect(() => checkOutputFolder(join(dir, 'a', 'b'))).not.toThrow();
    expect(messageOf(() => checkOutputFolder(join(dir, 'file')))).toMatch(/file: is a regular file, not a folder/);
    expect(messageOf(() => checkOutputFolder(join(dir, 'fifo', 'x')))).toMatch(/fifo\/x: cannot use this folder: a part of the path is not a folder \(ENOTDIR\)$/);
    expect(messageOf(() => checkOutputFolder(join(dir, 'fifo')))).toMatch(/fifo: is a FIFO \(named pipe\), not a folder$/);
  });
});

describe('readInputBytes: regular files within a size limit, checked before they are opened', () => {
  it('refuses a FIFO without blocking, a folder, a device, a missing file; never echoes the content', () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(messageOf(() => readInputText(join(dir, 'fifo')))).toMatch(/fifo: is a FIFO \(named pipe\), not a regular file$/);
    expect(messageOf(() => readInputText(dir, { label: '--space x' }))).toBe('--space x: is a folder, not a regular file');
    expect(messageOf(() => readInputText('/dev/zero'))).toBe('/dev/zero: is a character device, not a regular file');
    expect(messageOf(() => readInputText(join(dir, 'missing.yaml')))).toMatch(/missing\.yaml: cannot read it: no such file or folder \(ENOENT\)$/);
  });

  it('refuses a file above its limit by its size, and reads one at the limit whole', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'big'), Buffer.alloc(2048, 0x61));
    expect(messageOf(() => readInputBytes(join(dir, 'big'), { maxBytes: 2047 }))).toMatch(/big: is 2048 bytes, above the 2047 bytes limit for this kind of file$/);
    expect(readInputBytes(join(dir, 'big'), { maxBytes: 2048 }).length).toBe(2048);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/index.js';

describe('results are never half-written', () => {
  it('writeFileAtomic replaces a file whole and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-atomic-'));
    const f = join(dir, 'out.json');
    writeFileSync(f, 'old');
    const big = 'x'.repeat(5_000_000);
    writeFileAtomic(f, big);
    expect(readFileSync(f, 'utf8')).toBe(big);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a writer killed with SIGKILL mid-write leaves the old file or a complete new one, never a torn one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-atomic-'));
    const f = join(dir, 'out.json');
    writeFileSync(f, '{"complete":true}');
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(new URL('../src/explore/results-file.ts', import.meta.url).href)});
      for (let i = 0; ; i++) writeFileAtomic(${JSON.stringify(f)}, 'y'.repeat(20_000_000) + (i % 10));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../', import.meta.url).pathname, stdio: 'ignore' });
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

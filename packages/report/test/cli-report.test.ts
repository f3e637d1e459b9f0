import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmp, writeEval, writeResults } from './fixtures.js';

const bin = fileURLToPath(new URL('../../../apps/cli/src/bin.ts', import.meta.url));

function trim(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@trim-dse/source', '--import', 'tsx', bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('trim report (CLI)', () => {
  it('writes the HTML report, prints summaries without --html, and fails in one line on bad input', () => {
    const dir = tmp();
    const results = writeResults(dir);
    const evalFile = writeEval(dir);
    const out = join(dir, 'r.html');
    const ok = trim(['report', results, evalFile, '--html', out]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^wrote .*r\.html \(13 plots, \d+ KB\)\n$/);
    expect(readFileSync(out, 'utf8')).toContain('<svg');

    const text = trim(['report', results]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('best #2: levels.glb.capacityWords=65536 levels.glb.fanout.x=16');

    const bad = trim(['report', join(dir, 'missing.jsonl'), '--html', join(dir, 'x.html')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });
});

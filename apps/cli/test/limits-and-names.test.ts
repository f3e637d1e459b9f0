import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-explore-limits-'));
writeFileSync(join(dir, 'tiny.csv'), 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 10, 10, 3, 3, 4, 8, 1,\n');
// 6 parameters of 40 values: 40⁶ ≈ 4.1·10⁹ points, over the 10⁹ a run evaluates.
const values = `[${Array.from({ length: 40 }, (_, i) => i + 1).join(', ')}]`;
writeFileSync(
  join(dir, 'huge.yaml'),
  `template: systolic\nbase: systolic-8x8\nparameters:\n${['rows', 'cols', 'a', 'b', 'c', 'd'].map((p) => `  ${p}: ${values}\n`).join('')}`,
);

describe('explore refuses a run that would not end', () => {
  it('an exhaustive search over 4·10⁹ points exits 1 before any work, naming --budget', async () => {
    const r = await runCaptured(['explore', '--space', join(dir, 'huge.yaml'), '--workload', join(dir, 'tiny.csv'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^trim: .*4\.10e\+9 points.*at most 1e\+9.*--budget/);
  });
});

describe('names from files are quoted where they are echoed', () => {
  it('an architecture named NaN (found by `pnpm fuzz plan`): the message quotes it, so no bare NaN is printed', async () => {
    const arch = (await runCaptured(['show', 'arch', 'generic-16x16'])).stdout.replace(/^name: generic-16x16$/m, 'name: NaN').replace('capacityWords: 64', 'capacityWords: unbounded');
    writeFileSync(join(dir, 'nan.yaml'), arch);
    const r = await runCaptured(['eval', '--arch', join(dir, 'nan.yaml'), '--workload', join(dir, 'tiny.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trim: architecture "NaN": field levels.0.capacityWords: only the last level (the backing store) may be unbounded\n');
  });
});

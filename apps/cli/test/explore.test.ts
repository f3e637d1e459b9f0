import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs `trim` from source in a folder outside the repository (tsx by absolute URL), with the folder's config named
// (a config found in the folder is loaded only when named or trusted: config-trust.test.ts).
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
function trim(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@trim-dse/source', '--import', tsx, bin, '--config', 'trim.config.yaml', ...args], { encoding: 'utf8', cwd });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// A config loading core's exploration fixture (tiny CNN, a dataflow for any template), so that this test does not
// depend on the zoo or on the built-in dataflows.
const coreSrc = fileURLToPath(new URL('../../../packages/core/src/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trim-cli-explore-'));
writeFileSync(join(dir, 'fixture-plugin.ts'), `import { exploreFixture } from ${JSON.stringify(coreSrc)};\nexport default exploreFixture.exploreFixturePlugin;\n`);
writeFileSync(join(dir, 'trim.config.yaml'), 'plugins:\n  - ./fixture-plugin.ts\n');
writeFileSync(
  join(dir, 'space.yaml'),
  [
    'name: tiny-sweep',
    'template: generic',
    'base: generic-16x16',
    'parameters:',
    '  levels.glb.fanout.x: { from: 4, to: 16, factor: 2 }',
    '  levels.glb.capacityWords: [1, 8192]',
    'dataflows: [fixture-ws]',
    'workloads:',
    '  - { workload: tiny-cnn, weight: 0.7 }',
    '  - { workload: tiny-cnn, weight: 0.3, batch: 2 }',
    'goal: edp',
  ].join('\n'),
);

describe('trim explore / trim merge', () => {
  it('explores a space file on 2 workers; shards merge into the same bytes', () => {
    const full = trim(['explore', '--space', 'space.yaml', '--workers', '2', '--out', 'full.jsonl', '--format', 'json'], dir);
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    const doc = JSON.parse(full.stdout) as { schema: string; evaluated: number; feasible: number; best: { hardware: Record<string, number> }; pareto: unknown[] };
    expect(doc.schema).toBe('trim.explore/v1');
    expect(doc.evaluated).toBe(6);
    expect(doc.feasible).toBe(3);
    expect(doc.best.hardware['levels.glb.capacityWords']).toBe(8192);
    const s1 = trim(['explore', '--space', 'space.yaml', '--shard', '1/2', '--out', 's1.jsonl', '--quiet'], dir);
    const s2 = trim(['explore', '--space', 'space.yaml', '--shard', '2/2', '--out', 's2.jsonl', '--quiet'], dir);
    expect(s1.code + s2.code).toBe(0);
    const merged = trim(['merge', 's2.jsonl', 's1.jsonl', '--out', 'merged.jsonl', '--format', 'json'], dir);
    expect(merged.code).toBe(0);
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'full.jsonl'), 'utf8'));
    expect(JSON.parse(merged.stdout)).toEqual(doc);
  });

  it('a bad space file exits 1 with one line naming the field', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'template: generic\nbase: generic-16x16\nparameters:\n  x: { from: 4, to: 1, step: 1 }\n');
    const r = trim(['explore', '--space', 'bad.yaml', '--workload', 'tiny-cnn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/parameters\.x/);
  });
});

describe('design-space files', () => {
  it('base: takes an architecture file (relative to the space file), as --arch does', () => {
    writeFileSync(join(dir, 'mine.yaml'), trim(['show', 'arch', 'generic-16x16'], dir).stdout);
    writeFileSync(join(dir, 'file-base.yaml'), ['template: generic', 'base: ./mine.yaml', 'parameters:', '  levels.glb.fanout.x: [8, 16]', 'dataflows: [fixture-ws]', 'workloads: [{ workload: tiny-cnn }]'].join('\n'));
    const r = trim(['explore', '--space', 'file-base.yaml', '--format', 'json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { feasible: number }).feasible).toBe(2);
  });

  it('an invalid base, or a point the template’s schema refuses, stops before the run with exit 1 and the reason', () => {
    writeFileSync(join(dir, 'bad-base.yaml'), ['template: generic', 'base: { clockMHz: 100 }', 'parameters: { clockMHz: [100, 200] }', 'workloads: [{ workload: tiny-cnn }]'].join('\n'));
    const base = trim(['explore', '--space', 'bad-base.yaml', '--quiet'], dir);
    expect(base.code).toBe(1);
    expect(base.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^trim: space bad-base: base: field macEnergyPj: missing/)]);
    writeFileSync(join(dir, 'bad-point.yaml'), ['template: generic', 'base: generic-16x16', 'parameters: { clockMHz: [100, -5] }', 'workloads: [{ workload: tiny-cnn }]'].join('\n'));
    const point = trim(['explore', '--space', 'bad-point.yaml', '--quiet'], dir);
    expect(point.code).toBe(1);
    expect(point.stderr).toMatch(/^trim: space bad-point: point 1 \(clockMHz=-5\) is not a valid generic spec: field clockMHz: Too small/);
  });

  it('the training flags reach the workloads (and are refused where nothing trains)', () => {
    const args = ['explore', '--space', 'space.yaml', '--workload', 'tiny-cnn', '--format', 'json', '--quiet', '--budget', '1', '--search', 'random'];
    const sgd = trim([...args, '--phase', 'training'], dir);
    const adam = trim([...args, '--phase', 'training', '--optimizer', 'adam'], dir);
    expect(sgd.code + adam.code).toBe(0);
    const energy = (s: string) => (JSON.parse(s) as { best: { totals: { energyPj: number } } }).best.totals.energyPj;
    // Adam reads and writes two state tensors per weight that SGD has not: more energy for the same point.
    expect(energy(adam.stdout)).toBeGreaterThan(energy(sgd.stdout));
    const refused = trim([...args, '--optimizer', 'adam'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('trim: --optimizer applies only to training workloads: add --phase training\n');
  });
});

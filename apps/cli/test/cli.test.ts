import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trim } from './run-cli.js';

describe('trim CLI', () => {
  it('--help is instant and lists the commands', () => {
    const r = trim(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/eval/);
    expect(r.stdout).toMatch(/validate/);
  });

  it('eval --format json prints trim.eval/v1 with AlexNet CONV1–5 MACs', () => {
    const r = trim(['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schema: string; totals: { macs: number; cycles: number; energyPj: number }; layers: Array<{ name: string; phase: string }> };
    expect(doc.schema).toBe('trim.eval/v1');
    expect(doc.totals.macs).toBe(665784864);
    expect(doc.layers.map((l) => l.name)).toEqual(['CONV1', 'CONV2', 'CONV3', 'CONV4', 'CONV5']);
    expect(doc.layers.every((l) => l.phase === 'forward')).toBe(true);
    expect(doc.totals.cycles).toBeGreaterThan(0);
    expect(Number.isFinite(doc.totals.energyPj)).toBe(true);
  });

  it('the whole AlexNet (with FC6–8) has 724,406,816 MACs', () => {
    const r = trim(['eval', '--workload', 'alexnet', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { totals: { macs: number } }).totals.macs).toBe(724406816);
  });

  it('an unknown workload exits 1 with one line naming it', () => {
    const r = trim(['eval', '--workload', 'nosuchnet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown workload "nosuchnet"/);
  });

  it('a malformed architecture file exits 1 naming the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-'));
    const f = join(dir, 'arch.yaml');
    writeFileSync(f, 'clockMHz: [1, 2\nlevels: {');
    const r = trim(['eval', '--workload', 'alexnet', '--arch', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/arch\.yaml:\d+:\d+: malformed YAML/);
    expect(r.stderr).not.toMatch(/\bat \S+:\d+:\d+\)/); // no stack trace
  });

  it('an impossible architecture names the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-'));
    const f = join(dir, 'arch.yaml');
    writeFileSync(f, 'clockMHz: -5\nmacEnergyPj: 1\nlevels:\n  - { name: rf, capacityWords: 8, readEnergyPj: 1 }\n  - { name: dram, capacityWords: unbounded, readEnergyPj: 100 }\n');
    const r = trim(['eval', '--workload', 'alexnet', '--arch', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/field clockMHz/);
  });

  it('--set overrides a field; a bad --set names it', () => {
    const ok = trim(['eval', '--workload', 'alexnet', '--only', 'conv', '--set', 'levels.dram.bandwidthWordsPerCycle=4', '--format', 'json']);
    expect(ok.code).toBe(0);
    const bad = trim(['eval', '--workload', 'alexnet', '--set', 'clockMHz=fast']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/clockMHz/);
    // A width outside its few values says which it takes (one line, exit 1).
    for (const [field, allowed] of [['psumBits', '8, 16, 24 or 32'], ['wordBits', '4, 8, 16 or 32']]) {
      const w = trim(['eval', '--workload', 'alexnet', '--only', 'conv', '--set', `${field}=12`]);
      expect(w.code).toBe(1);
      expect(w.stderr.trim()).toBe(`trim: architecture generic-16x16: field ${field}: expected ${allowed} (bits)`);
    }
  });

  it('a malformed trim.config.yaml exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-'));
    writeFileSync(join(dir, 'trim.config.yaml'), 'plugins: 5\n');
    const r = trim(['--config', join(dir, 'trim.config.yaml'), 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plugins/);
  });

  it('same inputs give the same bytes', () => {
    const a = trim(['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json']);
    const b = trim(['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('issue done-criteria through the CLI', () => {
  it('Eyeriss, AlexNet CONV1–5, batch 4, RS with the measured sparsity: fps within 15 %, DRAM within 20 %', () => {
    const zf = new URL('../../../validation/eyeriss/alexnet-conv-batch4.json', import.meta.url).pathname;
    const r = trim(['eval', '--arch', 'eyeriss', '--workload', 'alexnet', '--only', 'conv', '--dataflow', 'rs', '--batch', '4', '--zero-fractions', zf, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { totals: { seconds: number; dramBytes: number } };
    const fps = 4 / d.totals.seconds;
    expect(Math.abs(fps - 34.7) / 34.7).toBeLessThan(0.15);
    expect(Math.abs(d.totals.dramBytes / 1e6 - 15.4) / 15.4).toBeLessThan(0.2);
  });
});

describe('numeric safety', () => {
  it('an LLM-size GEMM prints exact integer MACs and DRAM bytes beyond 2⁵³', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-'));
    const csv = join(dir, 'llm.csv');
    // M = 999 × 65,535 tokens, N = 65,539 outputs, K = 65,537 inputs.
    writeFileSync(csv, 'Layer, M, N, K,\nllm, 65469465, 65539, 65537,\n');
    const r = trim(['eval', '--workload', csv, '--format', 'json']);
    expect(r.code).toBe(0);
    const exact = (65469465n * 65539n * 65537n).toString();
    expect(r.stdout).toContain(`"macs": ${exact},`);
    const dram = /"dramBytes": (\d+)/.exec(r.stdout)![1];
    expect(BigInt(dram)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(r.stdout).not.toMatch(/NaN|Infinity|null/);
  });
});

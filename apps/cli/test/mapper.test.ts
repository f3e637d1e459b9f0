import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, trim } from './run-cli.js';

// ZigZag's Eyeriss-like accelerator: 7 memory levels (per-PE registers for each operand, the array's output buffer,
// a weight and an activation SRAM, DRAM), 6 of them tiled: exhaustive search does not finish on it.
const deep = join(repo, 'validation/zigzag/inputs/hardware/eyeriss_like.yaml');
const evalJson = (args: string[]) => {
  const r = trim(['eval', ...args, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
const totals = (out: string) => (JSON.parse(out) as { totals: { cycles: number; energyPj: number } }).totals;

describe('--mapper and --mapper-budget', () => {
  it('a 6-level hierarchy: auto walks it with the beam (the same output as --mapper beam); a budget ends each search early', () => {
    const auto = evalJson(['--arch', deep, '--workload', 'alexnet', '--only', 'conv']);
    expect(evalJson(['--arch', deep, '--workload', 'alexnet', '--only', 'conv', '--mapper', 'beam'])).toBe(auto);
    const cut = evalJson(['--arch', deep, '--workload', 'alexnet', '--only', 'conv', '--mapper-budget', '100']);
    // 100 candidates per layer and dataflow are the first steps of the same walk: another (here worse) answer.
    expect(totals(cut).cycles).toBeGreaterThan(totals(auto).cycles);
  });

  it('every built-in architecture has two tiled levels: auto is the exhaustive search there, byte for byte', () => {
    const auto = evalJson(['--arch', 'generic-16x16', '--workload', 'alexnet', '--only', 'conv']);
    expect(evalJson(['--arch', 'generic-16x16', '--workload', 'alexnet', '--only', 'conv', '--mapper', 'exhaustive'])).toBe(auto);
  });

  it('bad values: exit 1 and one line naming the flag', () => {
    for (const bad of ['0', '1.5']) {
      const r = trim(['eval', '--workload', 'alexnet', '--mapper-budget', bad]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--mapper-budget/);
    }
    const r = trim(['eval', '--workload', 'alexnet', '--mapper', 'greedy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--mapper.*auto, exhaustive, beam/);
  });

  it('explore: the mapper is part of the run (its header), so a resume with another mapper is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-mapper-'));
    const out = join(dir, 'run.jsonl');
    const args = ['explore', '--space', 'systolic-sweep', '--workload', 'alexnet', '--only', 'conv', '--search', 'random', '--budget', '2', '--out', out, '--quiet'];
    const first = trim([...args, '--mapper', 'beam', '--mapper-budget', '500']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const header = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as { mapper?: unknown };
    expect(header.mapper).toEqual({ mode: 'beam', budget: 500 });
    const again = trim([...args, '--resume']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/mapper \(--mapper, --mapper-budget\)/);
  });
});

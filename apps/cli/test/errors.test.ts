import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-errors-'));
const oneLine = async (args: string[]) => {
  const r = await runCaptured(args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
};

describe('errors name what is valid', () => {
  it('an unknown option: did you mean, and the options of the command', async () => {
    const line = await oneLine(['eval', '--workload', 'alexnet', '--formt', 'json']);
    expect(line).toMatch(/^trim: unknown option '--formt' \(did you mean --format\?\); options of trim eval: --workload, --arch, --dataflow, /);
    expect(line).toContain('--summary, --breakdown, --format, --out');
  });

  it('an unknown command lists the commands; a bad choice lists the choices', async () => {
    expect(await oneLine(['evl'])).toBe("trim: unknown command 'evl' (did you mean eval?); commands: eval, show, list, validate, trust, explore, merge, report");
    expect(await oneLine(['eval', '--workload', 'alexnet', '--format', 'xml'])).toBe(
      "trim: option '--format <fmt>' argument 'xml' is invalid. Allowed choices are table, json, csv, scalesim.",
    );
  });

  it('--only with a kind the workload lacks lists its kinds', async () => {
    expect(await oneLine(['eval', '--workload', 'alexnet', '--only', 'cnv'])).toBe(
      'trim: --only cnv: workload alexnet has no layers of that kind (did you mean "conv"?); its kinds: conv2d, eltwise, norm, pool, linear, conv, fc, gemm, mac',
    );
  });

  it('unknown names suggest the closest: architecture, workload, dataflow, plug-in option', async () => {
    expect(await oneLine(['eval', '--workload', 'alexnt'])).toMatch(/^trim: unknown workload "alexnt" \(did you mean "alexnet"\?\)/);
    expect(await oneLine(['eval', '--workload', 'alexnet', '--dataflow', 'wss'])).toMatch(/^trim: unknown dataflow "wss" \(did you mean "ws"\?\) \(known: /);
    expect(await oneLine(['--plugin-option', 'rs.maxCandidate=3', 'eval', '--arch', 'eyeriss', '--workload', 'alexnet'])).toBe(
      'trim: --plugin-option rs.maxCandidate=3: dataflow rs has no option "maxCandidate" (did you mean "maxCandidates"?) (options: maxCandidates, replicateY, replicateX)',
    );
  });

  it('an unknown architecture field is named as unknown, with the field meant (not as a missing one)', async () => {
    const f = join(dir, 'typo.yaml');
    writeFileSync(f, 'clockMhz: 200\nmacEnergyPj: 1\nlevels:\n  - { name: rf, capacityWords: 8, readEnergyPj: 1 }\n  - { name: dram, capacityWords: unbounded, readEnergyPj: 100 }\n');
    expect(await oneLine(['eval', '--workload', 'alexnet', '--arch', f])).toBe(`trim: ${f}: field clockMhz: unknown field (did you mean "clockMHz"?)`);
    const g = join(dir, 'optional-typo.yaml');
    writeFileSync(g, 'template: systolic\nrows: 8\ncols: 8\nsram: { ifmapKB: 8, filterKB: 8, ofmapKB: 8 }\nareaMM2: 3\n');
    expect(await oneLine(['eval', '--workload', 'alexnet', '--arch', g])).toBe(`trim: ${g}: field areaMM2: unknown field (did you mean "areaMm2"?)`);
  });

  it('a layer that cannot be mapped names the level and the capacity that forbade every candidate', async () => {
    const f = join(dir, 'small.yaml');
    writeFileSync(f, 'clockMHz: 200\nmacEnergyPj: 1\nlevels:\n  - { name: rf, capacityWords: 4, fanout: { x: 4, y: 4 }, readEnergyPj: 1 }\n  - { name: glb, capacityWords: 64, readEnergyPj: 10 }\n  - { name: dram, capacityWords: unbounded, readEnergyPj: 100 }\n');
    const line = await oneLine(['eval', '--workload', 'alexnet', '--only', 'conv', '--arch', f, '--dataflow', 'ws']);
    // 4 words of 2 bytes, double-buffered: 8 bytes for the tiles.
    expect(line).toMatch(/^trim: layer CONV1 \(forward\) cannot be mapped on \S+: ws: all \d+ candidate mappings illegal: the tiles kept at level rf \(\d+\/\d+\/\d+ bytes of weights\/inputs\/outputs\) exceed its capacity \(8 bytes\)/);
  });
});

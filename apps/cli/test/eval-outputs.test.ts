import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReport } from '@trim-dse/hw-systolic';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-out-'));
const validation = (p: string) => new URL(`../../../validation/${p}`, import.meta.url).pathname;

describe('trim eval states its assumptions', () => {
  it('the header: architecture, template, clock, precision, DRAM GB/s, goal and how each dataflow was chosen', async () => {
    const r = await runCaptured(['eval', '--arch', 'tpu-v1', '--workload', 'alexnet', '--only', 'conv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      'alexnet on tpu-v1 (systolic, 700 MHz) — inference, batch 1, int8, goal latency',
      '  architecture  tpu-v1 (template systolic, clock 700 MHz)',
      "  precision     int8 tensors (the architecture's native word; --precision changes it)",
      '  DRAM          34 GB/s shared by reads and writes, overlapping compute',
      expect.stringMatching(/^ {2}dataflow {6}auto: per op the best dataflow of ws, os, is and mapping by latency \(fewest cycles, then least energy\); chosen: .* \(the default goal; --goal changes it\)$/),
    ]);
    const unbounded = await runCaptured(['eval', '--arch', 'systolic-32x32', '--workload', 'alexnet', '--only', 'conv', '--dataflow', 'os', '--goal', 'energy']);
    expect(unbounded.stdout).toContain('  DRAM          unbounded (no DRAM stalls; set a bandwidth to see them)');
    expect(unbounded.stdout).toContain('  dataflow      os (--dataflow), best mapping per op by energy (least energy, then fewest cycles); ops: os 5\n');
    // Eyeriss's own mapper minimises energy: a run that names no goal says where its goal came from.
    const eyeriss = await runCaptured(['eval', '--arch', 'eyeriss', '--workload', 'alexnet', '--only', 'conv', '--dataflow', 'rs']);
    expect(eyeriss.stdout.split('\n')[0]).toMatch(/, goal energy$/);
    expect(eyeriss.stdout).toContain("ops: rs 5 (the goal is the architecture's own mapper's; --goal changes it)\n");
  });

  it('--summary gives per phase and per layer kind tables; training prints the step’s memory footprint', async () => {
    const args = ['eval', '--arch', 'tpu-v1', '--workload', 'resnet18', '--phase', 'training', '--optimizer', 'adam'];
    const r = await runCaptured([...args, '--summary']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/layer1\.0\.conv1:bwd-data/);
    expect(r.stdout).toMatch(/per phase:\n\nphase\s+ops/);
    expect(r.stdout).toMatch(/per layer kind:\n\nkind\s+ops/);
    expect(r.stdout).toMatch(/memory of one step: weights 11\.15 MiB, weight gradients 11\.15 MiB, optimizer state 22\.29 MiB, activation stash [\d.]+ MiB/);
    const json = JSON.parse((await runCaptured([...args, '--format', 'json', '--summary'])).stdout) as {
      footprint: { weightsBytes: number; weightGradientBytes: number; optimizerStateBytes: number; peakBytes: number; peakLiveBytes: number };
      summary: { phases: Array<{ group: string }> };
    };
    // ResNet-18's 11,688,512 weights (convolutions 11,166,912, fc 512,000, batch-norm scale and shift 9,600; no
    // biases), one byte each at the TPU's int8; Adam keeps two moments per weight.
    expect(json.footprint).toMatchObject({ weightsBytes: 11_688_512, weightGradientBytes: 11_688_512, optimizerStateBytes: 2 * 11_688_512 });
    expect(json.footprint.peakBytes).toBe(3 * 11_688_512 + json.footprint.peakLiveBytes);
    expect(json.summary.phases.map((p) => p.group)).toEqual(['forward', 'backward-data', 'backward-weight', 'update']);
  });

  it('--breakdown: energy per level and accesses per level and operand', async () => {
    const r = await runCaptured(['eval', '--arch', 'eyeriss', '--workload', 'alexnet', '--only', 'conv', '--breakdown']);
    expect(r.stdout).toMatch(/energy by component \(µJ\):\n\nenergy µJ\s+mac\s+rf\s+glb\s+dram\s+noc\s+total/);
    expect(r.stdout).toMatch(/accesses by level and operand \(elements, whole run\):\n\nlevel\s+operand\s+reads\s+writes\n[- ]+\nrf\s+weights/);
  });

  it('--out writes the file (whole) and says so; stdout stays empty of data', async () => {
    const out = join(dir, 'a.csv');
    const r = await runCaptured(['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'csv', '--out', out]);
    expect(r.stdout).toBe(`wrote ${out} (5 ops, csv)\n`);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^layer,kind,phase/);
    const bad = await runCaptured(['eval', '--workload', 'alexnet', '--only', 'conv', '--out', join(dir, 'no', 'such', 'dir', 'x.txt')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^trim: --out .*x\.txt: the folder .*no\/such\/dir does not exist/);
  });

  it('no progress line when stderr is not a terminal', async () => {
    const r = await runCaptured(['eval', '--workload', 'alexnet', '--only', 'conv']);
    expect(r.stderr).toBe('');
  });
});

describe('--format scalesim', () => {
  it('writes SCALE-Sim’s three reports; read back with the scalesim suite’s reader they equal SCALE-Sim’s own', async () => {
    const caseDir = validation('scalesim/a_32x32_os_alexnet');
    const out = join(dir, 'scalesim');
    const r = await runCaptured(['eval', '--arch', join(caseDir, 'config.cfg'), '--workload', join(caseDir, 'topology.csv'), '--dataflow', 'os', '--format', 'scalesim', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['COMPUTE_REPORT.csv', 'DETAILED_ACCESS_REPORT.csv', 'BANDWIDTH_REPORT.csv']) {
      expect(readFileSync(join(out, f), 'utf8').split('\n')[0], f).toBe(readFileSync(join(caseDir, f), 'utf8').split('\n')[0].trimEnd());
    }
    const ours = readReport(join(out, 'COMPUTE_REPORT.csv'));
    const theirs = readReport(join(caseDir, 'COMPUTE_REPORT.csv'));
    expect(ours).toHaveLength(theirs.length);
    ours.forEach((row, i) => {
      // LayerID, Total Cycles, Stall Cycles: equal; Overall Util % and Mapping Efficiency %: to double precision.
      expect(row.slice(0, 3)).toEqual(theirs[i].slice(0, 3));
      expect(row[3]).toBeCloseTo(theirs[i][3], 10);
      expect(row[4]).toBeCloseTo(theirs[i][4], 10);
    });
    const access = readReport(join(out, 'DETAILED_ACCESS_REPORT.csv'));
    const theirAccess = readReport(join(caseDir, 'DETAILED_ACCESS_REPORT.csv'));
    access.forEach((row, i) => {
      for (const col of [3, 6, 9, 12, 15, 18]) expect(row[col], `layer ${i} column ${col}`).toBe(theirAccess[i][col]);
    });
    // SRAM bandwidth is accesses per total cycle in both (SCALE-Sim divides DRAM accesses by its prefetch window).
    const bw = readReport(join(out, 'BANDWIDTH_REPORT.csv'));
    const theirBw = readReport(join(caseDir, 'BANDWIDTH_REPORT.csv'));
    bw.forEach((row, i) => [1, 2, 3].forEach((col) => expect(row[col]).toBeCloseTo(theirBw[i][col], 10)));
  });

  it('needs --out and a systolic architecture', async () => {
    expect((await runCaptured(['eval', '--workload', 'alexnet', '--format', 'scalesim'])).stderr).toMatch(/give the folder with --out/);
    expect((await runCaptured(['eval', '--workload', 'alexnet', '--format', 'scalesim', '--out', join(dir, 'g')])).stderr).toMatch(/generic-16x16 is a generic architecture/);
  });
});

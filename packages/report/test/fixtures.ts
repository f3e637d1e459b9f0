import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genericHardware, RUN_SCHEMA, resultsFileText, runHeader, type PointRecord, type RunHeader } from '@trim-dse/core';
import type { EvalReport } from '../src/index.js';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'trim-report-'));

export const header: RunHeader = runHeader({
  schema: RUN_SCHEMA,
  shards: 1,
  space: 'toy-sweep',
  template: 'generic',
  base: genericHardware.builtins['generic-16x16'],
  parameters: [
    { path: 'levels.glb.fanout.x', values: [8, 16] },
    { path: 'levels.glb.capacityWords', values: [65536, 131072] },
  ],
  dataflows: ['ws'],
  workloads: [{ workload: 'alexnet', batch: 1, phase: 'inference', weight: 1, only: 'conv' }],
  workloadFiles: {},
  goal: 'latency',
  constraints: {},
  search: 'exhaustive',
  seed: 1,
  budget: 4,
  points: 4,
});

const totals = (seconds: number, energyPj: number) => ({ cycles: seconds * 2e8, seconds, energyPj, edp: seconds * energyPj * 1e-12, macs: 1e6, utilization: 0.5, dramBytes: 1000 });

/** Points 0 and 2 are on the front, point 1 is dominated by 0, point 3 failed to map. */
export const records: PointRecord[] = [
  { index: 0, hardware: { 'levels.glb.fanout.x': 8, 'levels.glb.capacityWords': 65536 }, status: 'ok', score: 2, objectives: [2, 2, 1e6], totals: totals(2, 1e6), dataflows: { ws: 5 }, resources: { macUnits: 64 }, mappings: 10 },
  { index: 1, hardware: { 'levels.glb.fanout.x': 8, 'levels.glb.capacityWords': 131072 }, status: 'ok', score: 3, objectives: [3, 3, 2e6], totals: totals(3, 2e6), dataflows: { ws: 5 }, resources: { macUnits: 64 }, mappings: 10 },
  { index: 2, hardware: { 'levels.glb.fanout.x': 16, 'levels.glb.capacityWords': 65536 }, status: 'ok', score: 1, objectives: [1, 1, 3e6], totals: totals(1, 3e6), dataflows: { ws: 5 }, resources: { macUnits: 256 }, mappings: 10 },
  { index: 3, hardware: { 'levels.glb.fanout.x': 16, 'levels.glb.capacityWords': 131072 }, status: 'infeasible', reason: 'no legal mapping', mappings: 0 },
];

export function writeResults(dir: string): string {
  const path = join(dir, 'results.jsonl');
  writeFileSync(path, resultsFileText(header, records));
  return path;
}

const layer = (name: string, phase: string, macs: number, cycles: number, energy: Record<string, number>) => ({
  name,
  layer: name.split(':')[0],
  layerKind: macs > 0 ? 'conv2d' : 'pool',
  phase: phase as 'forward',
  dataflow: macs > 0 ? 'ws' : 'vector',
  macs,
  cycles,
  computeCycles: cycles * 0.8,
  stallCycles: cycles * 0.2,
  utilization: macs > 0 ? macs / (cycles * 256) : 0,
  dramBytes: 100,
  accesses: { rf: {}, glb: {}, dram: {} },
  energyPj: { ...energy, total: Object.values(energy).reduce((a, b) => a + b, 0) },
  energyPjByOperand: {},
});

export const evalDoc: EvalReport & { schema: string } = {
  schema: 'trim.eval/v1',
  workload: 'toy',
  arch: 'generic-16x16',
  template: 'generic',
  clockMHz: 500,
  phase: 'training',
  batch: 2,
  precision: 'int16',
  goal: 'latency',
  totals: { cycles: 5000, seconds: 2.5e-5, energyPj: 9e6, edp: 2.25e-10, macs: 600000, utilization: 0.47, dramBytes: 400 },
  layers: [
    layer('conv1', 'forward', 200000, 1000, { mac: 1e6, rf: 5e5, glb: 2e5, dram: 1e6 }),
    layer('pool1', 'forward', 0, 500, { alu: 1e4, dram: 2e5 }),
    layer('conv1:bwd-data', 'backward-data', 200000, 1500, { mac: 1e6, rf: 6e5, glb: 3e5, dram: 1.2e6 }),
    layer('conv1:bwd-weight', 'backward-weight', 200000, 2000, { mac: 1e6, rf: 7e5, glb: 4e5, dram: 1.5e6 }),
  ],
};

export function writeEval(dir: string): string {
  const path = join(dir, 'eval.json');
  writeFileSync(path, JSON.stringify(evalDoc, null, 2));
  return path;
}

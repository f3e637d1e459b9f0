import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Reference outputs of the real pipeline (see fixtures/README.md), gzipped. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Unpacks a gzipped fixture into `dir` under its name without `.gz`; returns the path. */
export function unpackFixture(name: string, dir: string): string {
  const out = join(dir, basename(name, '.gz'));
  writeFileSync(out, gunzipSync(readFileSync(join(FIXTURES, name))));
  return out;
}

const KINDS = ['conv2d', 'norm', 'eltwise', 'linear', 'pool'] as const;
const DATAFLOWS = ['ws', 'os', 'is'] as const;
const TRAINING = [
  ['forward', ''],
  ['backward-data', ':bwd-data'],
  ['backward-weight', ':bwd-weight'],
] as const;

/**
 * A `trim.eval/v1` training document of `layers` layers (forward, backward-data and, for MAC layers, backward-weight
 * ops), with long layer names and every field the report reads. Numbers are arbitrary but positive and distinct.
 */
export function syntheticEval(layers: number): object {
  const ops: object[] = [];
  for (const [phase, tag] of TRAINING) {
    for (let i = 0; i < layers; i++) {
      const kind = KINDS[i % KINDS.length];
      const mac = kind === 'conv2d' || kind === 'linear';
      if (phase === 'backward-weight' && !mac) continue;
      const cycles = 1000 + ((i * 7919) % 5000);
      const macs = mac ? cycles * 100 : 0;
      const energy = { mac: mac ? macs * 0.5 : 0, alu: mac ? 0 : cycles * 2, rf: cycles * 3, glb: cycles * 5, dram: cycles * 20 };
      ops.push({
        name: `stage${Math.floor(i / 50)}.block${i % 50}.${kind}${tag}`,
        layerKind: kind,
        phase,
        dataflow: mac ? DATAFLOWS[i % DATAFLOWS.length] : 'vector',
        macs,
        cycles,
        computeCycles: cycles * 0.75,
        stallCycles: cycles * 0.25,
        utilization: mac ? macs / (cycles * 168) : 0,
        dramBytes: cycles * 4,
        accesses: { rf: {}, glb: {}, dram: {} },
        energyPj: { ...energy, total: Object.values(energy).reduce((a, b) => a + b, 0) },
      });
    }
  }
  return {
    schema: 'trim.eval/v1',
    workload: `synthetic-${layers}`,
    arch: 'eyeriss',
    template: 'spatial',
    clockMHz: 200,
    phase: 'training',
    batch: 1,
    precision: 'int16',
    goal: 'latency',
    totals: { cycles: 1, seconds: 1, energyPj: 1, edp: 1, macs: 1, utilization: 0.5, dramBytes: 1 },
    layers: ops,
  };
}

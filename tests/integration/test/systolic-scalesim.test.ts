import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '@trim-dse/cli';
import { parseScaleSimConfig, readReport } from '@trim-dse/hw-systolic';
import { describe, expect, it } from 'vitest';

// The reference data lives in the repository (validation/, with its provenance).
const REFS = fileURLToPath(new URL('../../../validation/scalesim', import.meta.url));
const CASES = readdirSync(REFS)
  .sort()
  .filter((d) => existsSync(join(REFS, d, 'COMPUTE_REPORT.csv')));

/** SCALE-Sim's per-layer counts: COMPUTE_REPORT column 1, DETAILED_ACCESS_REPORT columns, and where `trim eval` puts them. */
const METRICS = [
  ['total cycles', 'compute', 1, null],
  ['sram ifmap reads', 'detail', 3, ['sram', 'inputs', 'reads']],
  ['sram filter reads', 'detail', 6, ['sram', 'weights', 'reads']],
  ['sram ofmap writes', 'detail', 9, ['sram', 'outputs', 'writes']],
  ['dram ifmap reads', 'detail', 12, ['dram', 'inputs', 'reads']],
  ['dram filter reads', 'detail', 15, ['dram', 'weights', 'reads']],
  ['dram ofmap writes', 'detail', 18, ['dram', 'outputs', 'writes']],
] as const;

interface EvalLayer {
  name: string;
  cycles: number;
  accesses: Record<string, Record<string, { reads: number; writes: number }>>;
}

async function trim(argv: string[]): Promise<unknown> {
  const r = await runCaptured(argv);
  if (r.code !== 0) throw new Error(`trim ${argv.join(' ')} exited ${r.code}: ${r.stderr} ${String(r.escaped ?? '')}`);
  return JSON.parse(r.stdout);
}

/** `trim eval --arch <case>/config.cfg --workload <case>/topology.csv --dataflow <the cfg's> --format json`'s numbers. */
async function evalCase(c: string): Promise<Map<string, number>> {
  const cfg = join(REFS, c, 'config.cfg');
  const { dataflow } = parseScaleSimConfig(readFileSync(cfg, 'utf8'), cfg);
  const out = (await trim(['eval', '--arch', cfg, '--workload', join(REFS, c, 'topology.csv'), '--dataflow', String(dataflow), '--format', 'json'])) as { layers: EvalLayer[] };
  const ours = new Map<string, number>();
  ours.set('layers', out.layers.length);
  out.layers.forEach((l, i) => {
    for (const [metric, , , at] of METRICS) {
      ours.set(`${i}/${l.name}/${metric}`, at === null ? l.cycles : (l.accesses[at[0]]?.[at[1]]?.[at[2]] ?? 0));
    }
  });
  return ours;
}

describe('trim eval on every SCALE-Sim v2 reference case matches SCALE-Sim per layer (1 % allowed; exact in fact)', () => {
  for (const c of CASES) {
    it(c, async () => {
      const ours = await evalCase(c);
      const compute = readReport(join(REFS, c, 'COMPUTE_REPORT.csv'));
      const detail = readReport(join(REFS, c, 'DETAILED_ACCESS_REPORT.csv'));
      expect(ours.get('layers')).toBe(compute.length);
      let worst = 0;
      let compared = 0;
      for (const [key, value] of ours) {
        if (key === 'layers') continue;
        const [index, name, metric] = key.split('/');
        const [, report, col] = METRICS.find((m) => m[0] === metric)!;
        const ref = (report === 'compute' ? compute : detail)[Number(index)][col];
        const err = Math.abs(value - ref) / Math.max(1, ref);
        expect(err, `${c} ${name} ${metric}: ${value} vs SCALE-Sim ${ref}`).toBeLessThanOrEqual(0.01);
        worst = Math.max(worst, err);
        compared++;
      }
      expect(compared).toBe(7 * compute.length);
      expect(worst).toBe(0);
    });
  }
});

describe('trim validate reports the numbers trim eval prints', () => {
  it('every scalesim row passes and its ours is the eval figure', async () => {
    const out = (await trim(['validate', '--suite', REFS, '--format', 'json'])) as { rows: { case: string; metric: string; ours: number; pass: boolean }[] };
    const rows = out.rows.filter((r) => r.metric !== 'layers');
    // 99 layers (AlexNet 5, ResNet-18 21, GEMM 1, transformer 6; × 3 dataflows), 7 metrics each.
    expect(rows).toHaveLength(99 * 7);
    expect(out.rows.every((r) => r.pass)).toBe(true);
    for (const c of ['a_32x32_os_alexnet', 'a_32x32_is_gemm_transformer_partial']) {
      const ours = await evalCase(c);
      for (const [key, value] of ours) {
        if (key === 'layers') continue;
        const [, name, metric] = key.split('/');
        expect(rows.find((r) => r.case === `${c}/${name}` && r.metric === metric)?.ours, `${c}/${name} ${metric}`).toBe(value);
      }
    }
  });
});

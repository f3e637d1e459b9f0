import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineValidationSuite, evaluateRequest, type OpResult, type Registry, type ValidationRow } from '@trim-dse/core';
import { parseScaleSimConfig } from './scalesim-cfg.js';

/** SCALE-Sim's counts are reproduced exactly; 1 % is the acceptance bound for every per-layer count. */
const TOLERANCE = 0.01;

function isCase(dir: string): boolean {
  return ['config.cfg', 'topology.csv', 'COMPUTE_REPORT.csv'].every((f) => existsSync(join(dir, f)));
}

function subCases(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && isCase(p));
}

/** Rows of a SCALE-Sim report CSV (header skipped; trailing empty fields dropped), as numbers. */
export function readReport(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) =>
      l
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '')
        .map(Number),
    );
}

/** Reported metrics: name, DETAILED_ACCESS_REPORT column, level and tensor in `trim eval`'s accesses, read or write. */
const ACCESS_COLUMNS = [
  ['sram ifmap reads', 3, 'sram', 'inputs', 'reads'],
  ['sram filter reads', 6, 'sram', 'weights', 'reads'],
  ['sram ofmap writes', 9, 'sram', 'outputs', 'writes'],
  ['dram ifmap reads', 12, 'dram', 'inputs', 'reads'],
  ['dram filter reads', 15, 'dram', 'weights', 'reads'],
  ['dram ofmap writes', 18, 'dram', 'outputs', 'writes'],
] as const;

function accessOf(layer: OpResult, level: string, tensor: string, kind: 'reads' | 'writes'): number {
  return layer.accesses[level]?.[tensor]?.[kind] ?? 0;
}

/**
 * One SCALE-Sim case, run exactly as `trim eval --arch <case>/config.cfg --workload <case>/topology.csv --dataflow
 * <the cfg's Dataflow>` runs it (core's `evaluateRequest`: the workload source reads the topology at the
 * architecture's precision, 1-byte elements for a SCALE-Sim cfg), compared per layer with SCALE-Sim's
 * COMPUTE_REPORT (total cycles) and DETAILED_ACCESS_REPORT (SRAM and DRAM reads and writes per operand).
 */
/** The reference: SCALE-Sim's own reports for each case (validation/README.md says how they were produced). */
const SCALESIM_SOURCE = {
  citation: "SCALE-Sim v2 (scalesim-project/scale-sim-v2 @ 22f88b1), its COMPUTE_REPORT and DETAILED_ACCESS_REPORT, InterfaceBandwidth CALC",
  kind: 'simulator',
} as const;

export async function runCase(dir: string, registry: Registry): Promise<ValidationRow[]> {
  const cfg = join(dir, 'config.cfg');
  const { dataflow } = parseScaleSimConfig(readFileSync(cfg, 'utf8'), cfg);
  const result = await evaluateRequest(registry, { arch: cfg, workload: join(dir, 'topology.csv'), dataflow });
  const compute = readReport(join(dir, 'COMPUTE_REPORT.csv'));
  const detailPath = join(dir, 'DETAILED_ACCESS_REPORT.csv');
  const detail = existsSync(detailPath) ? readReport(detailPath) : [];
  const caseName = basename(dir);
  const rows: ValidationRow[] = [
    { suite: 'scalesim', case: caseName, metric: 'layers', ours: result.layers.length, reference: compute.length, unit: 'layers', tolerance: 0, source: SCALESIM_SOURCE },
  ];
  result.layers.forEach((layer, i) => {
    if (!compute[i]) return;
    const base = { suite: 'scalesim', case: `${caseName}/${layer.name}`, source: SCALESIM_SOURCE };
    rows.push({ ...base, metric: 'total cycles', ours: layer.cycles, reference: compute[i][1], unit: 'cycles', tolerance: TOLERANCE });
    const d = detail[i];
    if (!d) return;
    for (const [metric, col, level, tensor, kind] of ACCESS_COLUMNS) {
      rows.push({ ...base, metric, ours: accessOf(layer, level, tensor, kind), reference: d[col], unit: 'elements', tolerance: TOLERANCE });
    }
  });
  return rows;
}

/**
 * SCALE-Sim v2 reference runs: a folder with config.cfg, topology.csv and SCALE-Sim's reports (COMPUTE_REPORT.csv,
 * DETAILED_ACCESS_REPORT.csv), or a folder of such folders. Each case goes through the one evaluation pipeline, so a
 * row is what `trim eval` prints for that case.
 */
export const scaleSimSuite = defineValidationSuite({
  name: 'scalesim',
  description: 'SCALE-Sim v2 per-layer cycles and SRAM/DRAM accesses, through trim eval’s pipeline',
  detect(dir: string): boolean {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    return isCase(dir) || subCases(dir).length > 0;
  },
  async run(dir, { registry }) {
    const cases = isCase(dir) ? [dir] : subCases(dir);
    const rows: ValidationRow[] = [];
    for (const c of cases) rows.push(...(await runCase(c, registry)));
    return rows;
  },
});

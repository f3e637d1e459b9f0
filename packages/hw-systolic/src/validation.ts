import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  Cost,
  dataflowCode,
  defineValidationSuite,
  evaluateSystolic,
  resolveArchitecture,
  systolicMeta,
  TrimUserError,
  type Registry,
  type ValidationRow,
} from '@trim-dse/core';
import { parseScaleSimTopology } from './scalesim-topology.js';

const CYCLES_TOLERANCE = 0.01;
const ACCESS_TOLERANCE = 0.05;

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

function isGemm(dir: string): boolean {
  const typeFile = join(dir, 'input-type');
  if (existsSync(typeFile)) return readFileSync(typeFile, 'utf8').trim().toLowerCase() === 'gemm';
  const header = readFileSync(join(dir, 'topology.csv'), 'utf8').split(/\r?\n/)[0].toLowerCase();
  return !header.includes('filter');
}

/** Reported metrics and where they sit in SCALE-Sim's reports (COMPUTE_REPORT / DETAILED_ACCESS_REPORT columns). */
const ACCESS_COLUMNS = [
  ['sram ifmap reads', 3, 1],
  ['sram filter reads', 6, 0],
  ['sram ofmap writes', 9, 2],
  ['dram ifmap reads', 12, 1],
  ['dram filter reads', 15, 0],
  ['dram ofmap writes', 18, 2],
] as const;

/** One SCALE-Sim case: config.cfg + topology.csv + reports → compared rows per layer. */
export function runCase(dir: string, registry: Registry): ValidationRow[] {
  const arch = resolveArchitecture(registry, join(dir, 'config.cfg'));
  const hw = arch.model;
  const meta = systolicMeta(hw);
  if (meta.dataflow === 'any') throw new TrimUserError(`${dir}/config.cfg: no Dataflow`, { field: 'Dataflow' });
  const df = dataflowCode(meta.dataflow);
  const layers = parseScaleSimTopology(readFileSync(join(dir, 'topology.csv'), 'utf8'), isGemm(dir), join(dir, 'topology.csv'));
  const compute = readReport(join(dir, 'COMPUTE_REPORT.csv'));
  const detailPath = join(dir, 'DETAILED_ACCESS_REPORT.csv');
  const detail = existsSync(detailPath) ? readReport(detailPath) : [];
  const caseName = basename(dir);
  const cost = new Cost(hw.levels.length);
  const mid = hw.levels.length - 2;
  const top = hw.levels.length - 1;
  const rows: ValidationRow[] = [];
  layers.forEach((layer, i) => {
    if (!compute[i]) return;
    evaluateSystolic(layer.op, hw, df, cost, layer.inputRows, layer.inputCols);
    const base = { suite: 'scalesim', case: `${caseName}/${layer.name}` };
    rows.push({ ...base, metric: 'total cycles', ours: cost.cycles, reference: compute[i][1], unit: 'cycles', tolerance: CYCLES_TOLERANCE });
    const d = detail[i];
    if (!d) return;
    for (const [metric, col, slot] of ACCESS_COLUMNS) {
      const dram = metric.startsWith('dram');
      const write = metric.endsWith('writes');
      // SRAM reads of the input buffers / ofmap writes; DRAM reads of the inputs / ofmap writes.
      const level = dram ? top : mid;
      const ours = write ? cost.writes[level * 3 + slot] : cost.reads[level * 3 + slot];
      rows.push({ ...base, metric, ours, reference: d[col], unit: 'words', tolerance: ACCESS_TOLERANCE });
    }
  });
  return rows;
}

/**
 * SCALE-Sim v2 reference runs: a folder with config.cfg, topology.csv and SCALE-Sim's reports (COMPUTE_REPORT.csv,
 * DETAILED_ACCESS_REPORT.csv), or a folder of such folders. Compares per layer the total cycles (1 %) and the SRAM
 * and DRAM reads and writes of each operand (5 %).
 */
export const scaleSimSuite = defineValidationSuite({
  name: 'scalesim',
  description: 'SCALE-Sim v2 per-layer cycles and SRAM/DRAM accesses on the systolic template',
  detect(dir: string): boolean {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    return isCase(dir) || subCases(dir).length > 0;
  },
  async run(dir, { registry }) {
    const cases = isCase(dir) ? [dir] : subCases(dir);
    return cases.flatMap((c) => runCase(c, registry));
  },
});

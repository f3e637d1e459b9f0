import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defineValidationSuite, evaluateRequest, TrimInternalError, type EvalRequest, type Registry, type ValidationRow } from '@trim-dse/core';
import { timeloopCounts } from '../conventions.js';
import { parseTimeloopStats } from './stats.js';

/**
 * Where the reference numbers come from (validation/README.md "timeloop/"): a simulator, run once outside this
 * repository on the exercise inputs shipped beside it.
 */
export const TIMELOOP_PROVENANCE =
  'Timeloop v3.0.3 (NVlabs/timeloop 6b41058f) timeloop-model + Accelergy 9dc7af1 (2022 plug-ins), inputs Accelergy-Project/timeloop-accelergy-exercises@778460fb';


const RUN_FILES = ['timeloop-model.stats.txt', 'model.stdout', 'ERT.yaml'];
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const isRun = (dir: string) => RUN_FILES.every((f) => existsSync(join(dir, f)));

/** Fixed-mapping runs at or below `dir` (at most three folders deep), sorted. */
export function timeloopRuns(dir: string, depth = 3): string[] {
  if (!isDir(dir)) return [];
  if (isRun(dir)) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => timeloopRuns(join(dir, n), depth - 1));
}

/** The folder holding `inputs/timeloop_exercises`: `dir` or one of its parents. */
function inputsRoot(dir: string): string | undefined {
  let d = dir;
  for (let i = 0; i < 5; i++) {
    if (isDir(join(d, 'inputs', 'timeloop_exercises'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

/** The architecture, problem and mapping a run used, from the `input file:` lines of its `model.stdout`. */
export function runInputs(run: string): { arch: string; problem: string; mapping: string; ert: string } {
  const root = inputsRoot(run);
  const exercise = basename(dirname(run));
  const files = readFileSync(join(run, 'model.stdout'), 'utf8')
    .split(/\r?\n/)
    .map((l) => /^input file: \.\.\/(arch|prob|map)\/(.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null);
  const of = (kind: string) => files.find((m) => m[1] === kind)?.[2];
  const arch = of('arch');
  const problem = of('prob');
  const mapping = of('map');
  if (!root || !arch || !problem || !mapping) throw new TrimInternalError(`${run}: cannot find the run's inputs (model.stdout input files, inputs/timeloop_exercises/${exercise})`);
  const base = join(root, 'inputs', 'timeloop_exercises', exercise);
  return { arch: join(base, 'arch', arch), problem: join(base, 'prob', problem), mapping: join(base, 'map', mapping), ert: join(run, 'ERT.yaml') };
}

/**
 * The request a run is: exactly `trim eval --arch <arch.yaml> --energy-table <ERT.yaml> --workload <prob.yaml>
 * --mapping <map.yaml> --format json` (with each layer's mapping printed, for the per-instance split).
 */
export function runRequest(run: string): EvalRequest {
  const i = runInputs(run);
  return { arch: i.arch, energyTable: i.ert, workload: i.problem, mapping: i.mapping, includeMapping: true };
}

/**
 * One fixed-mapping run, compared with timeloop-model's stats: cycles, utilisation and each level's reads, fills and
 * updates per instance exactly (TRIM's counts split Timeloop's way in `conventions.ts`), energy per MAC within
 * 0.5 % (the bound; Timeloop prints it to 0.01 fJ).
 */
export async function runTimeloopCase(run: string, registry: Registry): Promise<ValidationRow[]> {
  const stats = parseTimeloopStats(join(run, 'timeloop-model.stats.txt'));
  const result = await evaluateRequest(registry, runRequest(run));
  const [layer] = result.layers;
  const names = result.hardware.levels.map((l) => l.name);
  const tensors: [string, string, string] = ['weights', 'inputs', 'outputs'];
  const counts = timeloopCounts(layer, names, tensors);
  const name = `${basename(dirname(run))}/${basename(run).replace(/^run_/, '')}`;
  const source = { citation: `${TIMELOOP_PROVENANCE}; ${basename(dirname(run))}/${basename(run)}/timeloop-model.stats.txt`, kind: 'simulator' as const };
  const row = (metric: string, ours: number, reference: number, unit: string, tolerance: number): ValidationRow => ({
    suite: 'timeloop',
    case: name,
    metric,
    ours,
    reference,
    unit,
    tolerance,
    source,
  });
  // Timeloop prints utilisation with two decimals: exact means within half of the last printed digit.
  const printedHalfDigit = 0.5 * 10 ** -(stats.utilizationText.split('.')[1]?.length ?? 0);
  const rows: ValidationRow[] = [
    row('MACs', layer.macs, stats.computes, 'MACs', 0),
    row('cycles', layer.cycles, stats.cycles, 'cycles', 0),
    row('utilization', layer.utilization, stats.utilization, 'fraction', printedHalfDigit / stats.utilization),
    row('energy per MAC', layer.energyPj.total / layer.macs, stats.pjPerCompute, 'pJ/MAC', 0.005),
  ];
  const SPACES: Record<string, string> = { Weights: 'weights', Inputs: 'inputs', Outputs: 'outputs' };
  for (const lv of stats.levels) {
    for (const [space, ref] of Object.entries(lv.dataSpaces)) {
      const ours = counts[lv.name]?.[SPACES[space]];
      for (const kind of ['reads', 'fills', 'updates'] as const) {
        rows.push(row(`${lv.name} ${space} ${kind}/instance`, ours?.[kind] ?? 0, ref[kind], 'elements', 0));
      }
    }
  }
  return rows;
}

/**
 * Timeloop v3.0.3 fixed-mapping runs (validation/timeloop: `fixed-mapping-runs/` beside `inputs/`), each reproduced
 * through the one evaluation pipeline exactly as `trim eval` runs it.
 */
export const timeloopSuite = defineValidationSuite({
  name: 'timeloop',
  description: 'Timeloop v3.0.3 + Accelergy fixed-mapping runs: cycles, utilisation, per-level reads/fills/updates and pJ/MAC, through trim eval’s pipeline',
  detect: (dir) => timeloopRuns(dir).length > 0 && inputsRoot(dir) !== undefined,
  async run(dir, { registry }) {
    const rows: ValidationRow[] = [];
    for (const run of timeloopRuns(dir)) rows.push(...(await runTimeloopCase(run, registry)));
    return rows;
  },
});

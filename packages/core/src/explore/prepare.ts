import { isTrimUserError, TrimUserError } from '../errors.js';
import { architectureSource } from '../resolve.js';
import { checkMapSearch, mapperSetting } from '../map-search.js';
import { applySets } from '../overrides.js';
import type { SearchPlugin } from '../plugin.js';
import type { Registry } from '../registry.js';
import { didYouMean, parseWith, unknownKeys, type UnknownKey } from '../zod-errors.js';
import type { Constraints, GoalSpec } from './goal.js';
import { Grid } from './grid.js';
import type { ExploreJob, PluginOptionEntry } from './point.js';
import type { Precision } from '../precision.js';
import { RUN_SCHEMA, runHeader, type RunHeader } from './results-file.js';
import { workloadFileHashes } from './run-id.js';
import { entryWorkloadOptions, type ExploreSpace, type WorkloadEntry } from './space.js';

/**
 * Most points one explore run evaluates. Each point maps and schedules whole networks (milliseconds at best), so 10⁹
 * points are days of CPU; a larger grid searched exhaustively would not end (a space of 2⁵³ points was accepted and
 * ran for ever), so it is refused up front, before any work.
 */
export const MAX_EXPLORE_POINTS = 1e9;

export interface ExploreRequest {
  readonly space: ExploreSpace;
  /** `--workload` etc.; when absent the space's own workloads are used. */
  readonly workload?: string;
  readonly phase?: WorkloadEntry['phase'];
  readonly batch?: number;
  /** `--seq`, `--context`, `--causal` of the `--workload` (checked against its phase as `trim eval` does). */
  readonly seq?: number;
  readonly context?: number;
  readonly causal?: boolean;
  readonly only?: string;
  /** Tensor precision of the `--workload` (or of every space workload that names none); default each point's native word. */
  readonly precision?: Precision;
  /** Options given to configurable plug-ins, replayed in every worker. */
  readonly pluginOptions?: readonly PluginOptionEntry[];
  /** `--set` overrides of the base architecture. */
  readonly sets?: readonly string[];
  /** Options of the phase model for training workloads (the CLI's `--optimizer`, `--recompute`, `--mixed`). */
  readonly phaseOptions?: Readonly<Record<string, unknown>>;
  readonly goal?: GoalSpec;
  readonly search: string;
  readonly seed: number;
  readonly budget?: number;
  /** How each point's mapspaces are walked (`--mapper`); default `auto`. */
  readonly mapper?: string;
  /** Candidates priced per op and dataflow at most (`--mapper-budget`); default no limit. */
  readonly mapperBudget?: number;
}

export interface PreparedExplore {
  readonly job: ExploreJob;
  readonly header: RunHeader;
  readonly grid: Grid;
  readonly search: SearchPlugin<unknown>;
  readonly searchConfig: unknown;
  readonly budget: number;
}

/** Checks a request against the registry and turns it into a job (for workers) and a header (for results files). */
export function prepareExplore(registry: Registry, r: ExploreRequest): PreparedExplore {
  const space = r.space;
  const template = registry.hardware.get(space.template);
  let baseRaw: unknown = space.base;
  let imported = false;
  if (typeof space.base === 'string') {
    // A built-in name or a file, as --arch reads it.
    const arch = architectureSource(registry, space.base);
    if (arch.template !== template.name) {
      throw new TrimUserError(`space ${space.name}: base ${space.base} is a ${arch.template} architecture, not ${template.name}`, { field: 'base', fix: `set template: ${arch.template}, or use a ${template.name} base` });
    }
    baseRaw = arch.raw;
    imported = arch.imported;
  }
  const baseSpec = applySets(baseRaw, r.sets ?? []);
  // The base must be a valid spec that builds: a space around a broken base has no valid point.
  const baseWhere = `space ${space.name}: base${typeof space.base === 'string' ? ` ${space.base}` : ''}`;
  const baseHw = template.build(parseWith(template.configSchema, baseSpec, baseWhere, imported ? {} : { unknownKeys: 'error' }), `${space.name}#base`);

  const applicable = registry.dataflowsFor(template.name).map((d) => d.name);
  const dataflows = space.dataflows ? [...space.dataflows] : applicable;
  for (const d of dataflows) {
    registry.dataflows.get(d);
    if (!applicable.includes(d)) throw new TrimUserError(`space ${space.name}: dataflow ${d} does not apply to template ${template.name}`, { field: 'dataflows' });
  }
  if (dataflows.length === 0) {
    throw new TrimUserError(`no dataflow applies to template ${template.name}`, { field: 'dataflows', fix: 'load a dataflow plug-in for this template' });
  }

  const phaseOptions = r.phaseOptions && Object.keys(r.phaseOptions).length > 0 ? { ...r.phaseOptions } : undefined;
  let workloads: WorkloadEntry[];
  if (r.workload) {
    const phase = r.phase ?? 'inference';
    workloads = [
      {
        workload: r.workload,
        weight: 1,
        phase,
        batch: r.batch ?? 1,
        ...(r.seq !== undefined ? { seq: r.seq } : {}),
        ...(r.context !== undefined ? { context: r.context } : {}),
        ...(r.causal ? { causal: true } : {}),
        ...(r.only ? { only: r.only } : {}),
        ...(r.precision ? { precision: r.precision } : {}),
        ...(phaseOptions ? { phaseOptions } : {}),
      },
    ];
  } else if (space.workloads) {
    // The command line's training flags reach the space's training workloads, under what the file gives each.
    workloads = space.workloads.map((w) => ({
      ...w,
      ...(r.only ? { only: r.only } : {}),
      ...(r.precision && !w.precision ? { precision: r.precision } : {}),
      ...(phaseOptions && w.phase === 'training' ? { phaseOptions: { ...phaseOptions, ...(w.phaseOptions ?? {}) } } : {}),
    }));
  } else {
    throw new TrimUserError(`space ${space.name} names no workloads`, { field: '--workload', fix: 'give --workload <name|file>, or list workloads in the space file' });
  }

  // Every workload's phase-model and sequence options, checked before the run (a bad one would make every point infeasible).
  for (const w of workloads) entryWorkloadOptions(w, { seq: '--seq', context: '--context' });
  for (const w of workloads) registry.configOf('phase', registry.phaseModels.get(w.phase), { ...(w.phaseOptions ?? {}), batch: w.batch });
  // As `trim eval`: a run that names no goal takes the architecture's mapper goal (Eyeriss: energy), else latency.
  const goal: GoalSpec = r.goal ?? space.goal ?? baseHw.mapperGoal ?? 'latency';
  const constraints: Constraints = space.constraints ?? {};
  const search = registry.searches.get(r.search);
  const searchConfig = registry.configOf('search', search);
  const grid = new Grid(space.parameters);
  if (r.budget !== undefined && (!Number.isInteger(r.budget) || r.budget < 1)) {
    throw new TrimUserError(`--budget ${r.budget}: expected a positive integer`, { field: '--budget' });
  }
  const budget = Math.min(grid.size, r.budget ?? search.defaultBudget?.(grid.size) ?? grid.size);
  if (budget > MAX_EXPLORE_POINTS) {
    throw new TrimUserError(
      `explore: ${search.name} would evaluate ${budget.toExponential(2)} points (the space has ${grid.size.toExponential(2)}); one run evaluates at most ${MAX_EXPLORE_POINTS.toExponential(0)}: give --budget ≤ ${MAX_EXPLORE_POINTS.toExponential(0)} or narrow the space`,
      { field: '--budget', fix: `give --budget ${MAX_EXPLORE_POINTS.toExponential(0)} or fewer (random, anneal and genetic sample the space), or narrow the space's parameters` },
    );
  }
  const pluginOptions = (r.pluginOptions ?? []).map(([t, v, f]) => [t, { ...v }, f] as [string, Record<string, unknown>, string]);
  const mapper = mapperSetting(checkMapSearch(r.mapper, r.mapperBudget));
  const job: ExploreJob = { space, baseSpec, workloads, goal, constraints, dataflows, ...(pluginOptions.length ? { pluginOptions } : {}), ...(mapper ? { mapper } : {}) };
  const header: RunHeader = runHeader({
    schema: RUN_SCHEMA,
    shards: 1,
    space: space.name,
    template: template.name,
    base: baseSpec,
    parameters: space.parameters.map((p) => ({ path: p.path, values: [...p.values] })),
    dataflows,
    workloads,
    workloadFiles: workloadFileHashes(workloads),
    goal,
    constraints,
    search: search.name,
    seed: r.seed,
    budget,
    points: grid.size,
    ...(pluginOptions.length ? { pluginOptions } : {}),
    ...(mapper ? { mapper } : {}),
  });
  return { job, header, grid, search, searchConfig, budget };
}

/** Spaces up to this many points have every point checked before the run (about 30 µs a point). */
const CHECK_ALL_POINTS = 20_000;

/**
 * Every point of a prepared space is a spec the template's schema accepts (the base with the point's values set, no
 * unknown field), else a user error naming the first point that is not: `trim explore` stops before its run rather
 * than record points that could never be valid. (A point the template cannot build — an FPGA engine needing more
 * DSPs than the device has — is a real design point, infeasible with its reason.) Spaces of more than
 * `CHECK_ALL_POINTS` points have each parameter value checked on the base alone; a combination the schema refuses
 * then shows as an infeasible point with its reason.
 */
export function checkSpacePoints(registry: Registry, prepared: PreparedExplore): void {
  const { space, baseSpec } = prepared.job;
  const template = registry.hardware.get(space.template);
  // Fields the base already has are the base's (checked when it was prepared; an importer may write its own).
  const key = (u: UnknownKey) => [...u.path, u.key].join('.');
  const inBase = new Set(unknownKeys(template.configSchema, baseSpec).map(key));
  // A point as the user reads it: a string value quoted (a swept "NaN" is the user's text, not a broken number).
  const shown = (values: Record<string, unknown>) => Object.entries(values).map(([path, v]) => `${path}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(' ');
  const check = (sets: readonly string[], what: string, display: string) => {
    try {
      const spec = applySets(baseSpec, sets);
      parseWith(template.configSchema, spec, what);
      const added = unknownKeys(template.configSchema, spec).find((u) => !inBase.has(key(u)));
      if (added) throw new TrimUserError(`${what}: field ${key(added)}: unknown field${didYouMean(added.key, added.known)}`, { field: key(added) });
    } catch (e) {
      if (!isTrimUserError(e)) throw e;
      throw new TrimUserError(`space ${space.name}: ${what} (${display}) is not a valid ${template.name} spec: ${e.message.replace(`${what}: `, '')}`, {
        field: 'parameters',
        fix: 'sweep only values the template accepts (each point is the base with its parameter values set)',
      });
    }
  };
  const grid = prepared.grid;
  if (grid.size <= CHECK_ALL_POINTS) {
    for (let i = 0; i < grid.size; i++) check(grid.setsAt(i), `point ${i}`, shown(grid.valuesAt(i)));
    return;
  }
  for (const p of space.parameters) for (const v of p.values) check([`${p.path}=${String(v)}`], `parameter ${p.path}`, shown({ [p.path]: v }));
}

import { TrimUserError } from '../errors.js';
import { applySets } from '../overrides.js';
import type { SearchPlugin } from '../plugin.js';
import type { Registry } from '../registry.js';
import { parseWith } from '../zod-errors.js';
import type { Constraints, GoalSpec } from './goal.js';
import { Grid } from './grid.js';
import type { ExploreJob, PluginOptionEntry } from './point.js';
import type { Precision } from '../precision.js';
import { RUN_SCHEMA, type RunHeader } from './results-file.js';
import type { ExploreSpace, WorkloadEntry } from './space.js';

export interface ExploreRequest {
  readonly space: ExploreSpace;
  /** `--workload` etc.; when absent the space's own workloads are used. */
  readonly workload?: string;
  readonly phase?: 'inference' | 'training';
  readonly batch?: number;
  readonly only?: string;
  /** Tensor precision of the `--workload` (or of every space workload that names none); default each point's native word. */
  readonly precision?: Precision;
  /** Options given to configurable plug-ins, replayed in every worker. */
  readonly pluginOptions?: readonly PluginOptionEntry[];
  /** `--set` overrides of the base architecture. */
  readonly sets?: readonly string[];
  readonly goal?: GoalSpec;
  readonly search: string;
  readonly seed: number;
  readonly budget?: number;
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
  if (typeof space.base === 'string') {
    const arch = registry.architectures.get(space.base);
    if (arch.template !== template.name) {
      throw new TrimUserError(`space ${space.name}: base ${space.base} is a ${arch.template} architecture, not ${template.name}`, { field: 'base' });
    }
    baseRaw = arch.spec;
  }
  const baseSpec = applySets(baseRaw, r.sets ?? []);

  const applicable = registry.dataflowsFor(template.name).map((d) => d.name);
  const dataflows = space.dataflows ? [...space.dataflows] : applicable;
  for (const d of dataflows) {
    registry.dataflows.get(d);
    if (!applicable.includes(d)) throw new TrimUserError(`space ${space.name}: dataflow ${d} does not apply to template ${template.name}`, { field: 'dataflows' });
  }
  if (dataflows.length === 0) {
    throw new TrimUserError(`no dataflow applies to template ${template.name}`, { field: 'dataflows', fix: 'load a dataflow plug-in for this template' });
  }

  let workloads: WorkloadEntry[];
  if (r.workload) {
    workloads = [{ workload: r.workload, weight: 1, phase: r.phase ?? 'inference', batch: r.batch ?? 1, ...(r.only ? { only: r.only } : {}), ...(r.precision ? { precision: r.precision } : {}) }];
  } else if (space.workloads) {
    workloads = space.workloads.map((w) => ({ ...w, ...(r.only ? { only: r.only } : {}), ...(r.precision && !w.precision ? { precision: r.precision } : {}) }));
  } else {
    throw new TrimUserError(`space ${space.name} names no workloads`, { field: '--workload', fix: 'give --workload <name|file>, or list workloads in the space file' });
  }

  const goal: GoalSpec = r.goal ?? space.goal ?? 'latency';
  const constraints: Constraints = space.constraints ?? {};
  const search = registry.searches.get(r.search);
  const searchConfig = registry.configOf('search', search);
  const grid = new Grid(space.parameters);
  if (r.budget !== undefined && (!Number.isInteger(r.budget) || r.budget < 1)) {
    throw new TrimUserError(`--budget ${r.budget}: expected a positive integer`, { field: '--budget' });
  }
  const budget = Math.min(grid.size, r.budget ?? search.defaultBudget?.(grid.size) ?? grid.size);
  const pluginOptions = (r.pluginOptions ?? []).map(([t, v, f]) => [t, { ...v }, f] as [string, Record<string, unknown>, string]);
  const job: ExploreJob = { space, baseSpec, workloads, goal, constraints, dataflows, ...(pluginOptions.length ? { pluginOptions } : {}) };
  const header: RunHeader = {
    schema: RUN_SCHEMA,
    space: space.name,
    template: template.name,
    base: baseSpec,
    parameters: space.parameters.map((p) => ({ path: p.path, values: [...p.values] })),
    dataflows,
    workloads,
    goal,
    constraints,
    search: search.name,
    seed: r.seed,
    budget,
    points: grid.size,
    ...(pluginOptions.length ? { pluginOptions } : {}),
  };
  return { job, header, grid, search, searchConfig, budget };
}

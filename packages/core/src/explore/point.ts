import { isTrimUserError, TrimUserError } from '../errors.js';
import { Evaluator, totalsOf, type DataflowChoice, type OpResult, type Totals } from '../evaluate.js';
import { totalMacUnits, type HardwareModel } from '../hardware.js';
import { layerMatchesKind } from '../ir/layer.js';
import { filterLayers } from '../ir/network.js';
import type { Op } from '../op.js';
import { applySets } from '../overrides.js';
import type { HardwarePlugin } from '../plugin.js';
import type { Registry } from '../registry.js';
import { resolveWorkload } from '../resolve.js';
import { parseWith } from '../zod-errors.js';
import { goalNeedsArea, goalScore, mapperGoal, type Constraints, type GoalSpec } from './goal.js';
import { Grid } from './grid.js';
import type { ExploreSpace, ParameterValue, WorkloadEntry } from './space.js';

/** Everything a worker needs to evaluate points: plain data (structured-clonable). */
export interface ExploreJob {
  readonly space: ExploreSpace;
  /** The base architecture's raw spec, after the user's `--set`s. */
  readonly baseSpec: unknown;
  readonly workloads: readonly WorkloadEntry[];
  readonly goal: GoalSpec;
  readonly constraints: Constraints;
  /** Dataflow plug-in names to try at every point. */
  readonly dataflows: readonly string[];
}

/** One evaluated hardware point: a line of a results file. */
export interface PointRecord {
  index: number;
  /** The swept parameter values of this point. */
  hardware: Record<string, ParameterValue>;
  status: 'ok' | 'infeasible';
  reason?: string;
  /** The goal's value (lower is better). */
  score?: number;
  /** [score, seconds, energyPj], lower is better: what search strategies are told. */
  objectives?: number[];
  totals?: Totals;
  /** Ops mapped with each dataflow. */
  dataflows?: Record<string, number>;
  resources?: Record<string, number>;
  /** Mappings the inner search evaluated. */
  mappings: number;
}

interface LoweredWorkload {
  readonly entry: WorkloadEntry;
  readonly weight: number;
  readonly ops: readonly Op[];
}

/** A job made ready to run: plug-ins looked up and workloads lowered to ops (once). */
export interface PointContext {
  readonly job: ExploreJob;
  readonly grid: Grid;
  readonly template: HardwarePlugin<unknown>;
  readonly dataflows: readonly DataflowChoice[];
  readonly workloads: readonly LoweredWorkload[];
}

/** Looks up the job's plug-ins and lowers its workloads (once per workload). */
export async function createPointContext(registry: Registry, job: ExploreJob): Promise<PointContext> {
  const template = registry.hardware.get(job.space.template);
  const dataflows = job.dataflows.map((name) => {
    const plugin = registry.dataflows.get(name);
    const config = plugin.configSchema ? parseWith(plugin.configSchema, {}, `dataflow ${name}`) : {};
    return { plugin, config };
  });
  const total = job.workloads.reduce((a, w) => a + w.weight, 0);
  const workloads: LoweredWorkload[] = [];
  for (const entry of job.workloads) {
    let net = await resolveWorkload(registry, entry.workload, { batch: entry.batch });
    if (entry.only) {
      const kind = entry.only;
      net = filterLayers(net, (l) => layerMatchesKind(l, kind));
      if (net.layers.length === 0) throw new TrimUserError(`workload ${entry.workload} has no layer of kind "${kind}"`, { field: '--only' });
    }
    const pm = registry.phaseModels.get(entry.phase);
    const config = pm.configSchema ? parseWith(pm.configSchema, {}, `phase ${entry.phase}`) : {};
    workloads.push({ entry, weight: entry.weight / total, ops: pm.ops(net, config) });
  }
  return { job, grid: new Grid(job.space.parameters), template, dataflows, workloads };
}

function onChipWords(hw: HardwareModel): number {
  let words = 0;
  let instances = 1;
  for (let l = hw.levels.length - 1; l >= 0; l--) {
    const lv = hw.levels[l];
    const cap = lv.slotCapacityWords ? lv.slotCapacityWords[0] + lv.slotCapacityWords[1] + lv.slotCapacityWords[2] : lv.capacityWords;
    if (Number.isFinite(cap)) words += cap * instances;
    instances *= lv.fanoutX * lv.fanoutY;
  }
  return words;
}

function resourcesOf(hw: HardwareModel): Record<string, number> {
  const out: Record<string, number> = { macUnits: totalMacUnits(hw), onChipWords: onChipWords(hw) };
  if (hw.areaMm2 !== undefined) out.areaMm2 = hw.areaMm2;
  const extra = hw.meta.resources;
  if (extra !== null && typeof extra === 'object') {
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/**
 * Evaluates one hardware point: base spec + the point's `--set`s → template schema → build → best mapping of every
 * op (one memo per point). A user error while building or mapping makes the point infeasible, with its reason.
 */
export function evaluatePoint(ctx: PointContext, index: number): PointRecord {
  const { job, grid } = ctx;
  const hardware = grid.valuesAt(index);
  const record: PointRecord = { index, hardware, status: 'infeasible', mappings: 0 };
  let hw: HardwareModel;
  try {
    const raw = applySets(job.baseSpec, grid.setsAt(index));
    const spec = parseWith(ctx.template.configSchema, raw, `point ${index}`);
    hw = ctx.template.build(spec, `${job.space.name}#${index}`);
  } catch (e) {
    if (!isTrimUserError(e)) throw e;
    record.reason = e.message;
    return record;
  }
  const resources = resourcesOf(hw);
  record.resources = resources;
  const c = job.constraints;
  if (c.areaMm2 !== undefined && (hw.areaMm2 === undefined || hw.areaMm2 > c.areaMm2)) {
    record.reason =
      hw.areaMm2 === undefined
        ? `template ${hw.template} gives no area estimate, which the ${c.areaMm2} mm² area constraint needs`
        : `area ${hw.areaMm2} mm² exceeds the ${c.areaMm2} mm² constraint`;
    return record;
  }
  if (goalNeedsArea(job.goal) && hw.areaMm2 === undefined) {
    record.reason = `template ${hw.template} gives no area estimate, which goal ${JSON.stringify(job.goal)} needs`;
    return record;
  }
  const evaluator = new Evaluator(hw, ctx.dataflows.filter((d) => d.plugin.templates === '*' || d.plugin.templates.includes(hw.template)), mapperGoal(job.goal));
  const units = totalMacUnits(hw);
  const sum: Totals = { cycles: 0, seconds: 0, energyPj: 0, edp: 0, macs: 0, utilization: 0, dramBytes: 0 };
  const dataflows: Record<string, number> = {};
  try {
    for (const w of ctx.workloads) {
      const results: OpResult[] = [];
      for (const op of w.ops) {
        const r = evaluator.evaluateOp(op);
        results.push(r);
        dataflows[r.dataflow] = (dataflows[r.dataflow] ?? 0) + 1;
      }
      const t = totalsOf(results, hw, units);
      sum.cycles += w.weight * t.cycles;
      sum.seconds += w.weight * t.seconds;
      sum.energyPj += w.weight * t.energyPj;
      sum.macs += w.weight * t.macs;
      sum.dramBytes += w.weight * t.dramBytes;
      // Early exit: past the latency limit already (the remaining workloads only add time).
      if (c.latencySeconds !== undefined && sum.seconds > c.latencySeconds) break;
    }
  } catch (e) {
    record.mappings = evaluator.mappingsEvaluated;
    if (!isTrimUserError(e)) throw e;
    record.reason = e.message;
    return record;
  }
  record.mappings = evaluator.mappingsEvaluated;
  sum.edp = sum.energyPj * 1e-12 * sum.seconds;
  sum.utilization = sum.cycles > 0 ? sum.macs / (sum.cycles * units) : 0;
  const score = goalScore(job.goal, { seconds: sum.seconds, energyPj: sum.energyPj, edp: sum.edp, areaMm2: hw.areaMm2 });
  if (!Number.isFinite(score) || !Object.values(sum).every(Number.isFinite)) {
    // A template or dataflow produced an unbounded figure (e.g. zero bandwidth): not a usable point.
    record.reason = `the cost model gave a non-finite ${Number.isFinite(score) ? 'total' : 'goal value'} for this point`;
    return record;
  }
  record.totals = sum;
  record.dataflows = dataflows;
  record.score = score;
  const powerW = sum.seconds > 0 ? (sum.energyPj * 1e-12) / sum.seconds : 0;
  if (c.latencySeconds !== undefined && sum.seconds > c.latencySeconds) {
    record.reason = `latency ${sum.seconds.toPrecision(4)} s exceeds the ${c.latencySeconds} s constraint`;
  } else if (c.powerW !== undefined && powerW > c.powerW) {
    record.reason = `power ${powerW.toPrecision(4)} W exceeds the ${c.powerW} W constraint`;
  } else {
    record.status = 'ok';
    record.objectives = [score, sum.seconds, sum.energyPj];
  }
  return record;
}

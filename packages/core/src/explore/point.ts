import type { FusionMode } from '../epilogue.js';
import { isTrimUserError } from '../errors.js';
import { Evaluator, type DataflowChoice } from '../evaluate.js';
import { totalMacUnits, type HardwareModel } from '../hardware.js';
import type { Network } from '../ir/network.js';
import type { Op } from '../op.js';
import type { MapperSetting } from '../map-search.js';
import { applySets } from '../overrides.js';
import { evaluateNetwork, loadNetwork, phaseOps, phaseWorkloadOptions } from '../pipeline.js';
import type { HardwarePlugin } from '../plugin.js';
import type { Precision } from '../precision.js';
import type { Registry } from '../registry.js';
import type { Totals } from '../result.js';
import { parseWith } from '../zod-errors.js';
import { goalNeedsArea, goalScore, mapperGoal, type Constraints, type GoalSpec } from './goal.js';
import { Grid } from './grid.js';
import { entryWorkloadOptions, type ExploreSpace, type ParameterValue, type WorkloadEntry } from './space.js';

/** Options given to configurable plug-ins (`--plugin-option`, config files): replayed in every worker's registry. */
export type PluginOptionEntry = readonly [target: string, values: Readonly<Record<string, unknown>>, from: string];

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
  readonly pluginOptions?: readonly PluginOptionEntry[];
  /** How mapspaces are walked at every point, when not the default (`auto`, no budget). */
  readonly mapper?: MapperSetting;
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
  /** The fusion mode kept (when the space lists several: the best by the goal). */
  fusion?: FusionMode;
}

/** A workload of a job, loaded and lowered once per tensor precision (points may differ in their native word). */
class JobWorkload {
  private readonly byPrecision = new Map<Precision, Promise<{ net: Network; ops: Op[] }>>();
  constructor(
    readonly registry: Registry,
    readonly entry: WorkloadEntry,
    readonly weight: number,
  ) {}
  lowered(precision: Precision): Promise<{ net: Network; ops: Op[] }> {
    let l = this.byPrecision.get(precision);
    if (!l) {
      const e = this.entry;
      l = loadNetwork(this.registry, e.workload, e.batch, precision, e.only, { ...phaseWorkloadOptions(this.registry, e.phase), ...entryWorkloadOptions(e, { seq: 'seq', context: 'context' }) }).then((net) => ({ net, ops: phaseOps(this.registry, e.phase, net, e.batch, e.phaseOptions) }));
      this.byPrecision.set(precision, l);
    }
    return l;
  }
}

/** A job made ready to run: plug-ins looked up and configured; workloads lowered on first use. */
export interface PointContext {
  readonly job: ExploreJob;
  readonly grid: Grid;
  readonly template: HardwarePlugin<unknown>;
  readonly dataflows: readonly DataflowChoice[];
  readonly workloads: readonly JobWorkload[];
  readonly registry: Registry;
}

/** Looks up the job's plug-ins (with the job's plug-in options) and checks every workload loads. */
export async function createPointContext(registry: Registry, job: ExploreJob): Promise<PointContext> {
  for (const [target, values, from] of job.pluginOptions ?? []) registry.setOptions(target, { ...values }, from);
  const template = registry.hardware.get(job.space.template);
  const dataflows = job.dataflows.map((name) => {
    const plugin = registry.dataflows.get(name);
    return { plugin, config: registry.configOf('dataflow', plugin) };
  });
  const total = job.workloads.reduce((a, w) => a + w.weight, 0);
  const workloads = job.workloads.map((entry) => new JobWorkload(registry, entry, entry.weight / total));
  return { job, grid: new Grid(job.space.parameters), template, dataflows, workloads, registry };
}

function onChipBytes(hw: HardwareModel): number {
  let bytes = 0;
  let instances = 1;
  for (let l = hw.levels.length - 1; l >= 0; l--) {
    const lv = hw.levels[l];
    const cap = lv.slotCapacityBytes ? lv.slotCapacityBytes[0] + lv.slotCapacityBytes[1] + lv.slotCapacityBytes[2] : lv.capacityBytes;
    if (Number.isFinite(cap)) bytes += cap * instances;
    instances *= lv.fanoutX * lv.fanoutY;
  }
  return bytes;
}

function resourcesOf(hw: HardwareModel): Record<string, number> {
  const out: Record<string, number> = { macUnits: totalMacUnits(hw), onChipBytes: onChipBytes(hw) };
  if (hw.areaMm2 !== undefined) out.areaMm2 = hw.areaMm2;
  for (const [k, v] of Object.entries(hw.resources ?? {})) if (Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * Evaluates one hardware point: base spec + the point's `--set`s → template schema → build, then every workload
 * through the one evaluation path (`evaluateNetwork`: map → cost → schedule → check) exactly as `trim eval` runs it
 * (hand-off on for whole networks, off with `only`). A user error while building or mapping makes the point
 * infeasible, with its reason.
 */
export async function evaluatePoint(ctx: PointContext, index: number): Promise<PointRecord> {
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
  const goal = mapperGoal(job.goal);
  const mapper = job.mapper ? { mode: job.mapper.mode, budget: job.mapper.budget ?? Infinity } : undefined;
  const evaluator = new Evaluator(hw, ctx.dataflows.filter((d) => d.plugin.templates === '*' || d.plugin.templates.includes(hw.template)), goal, {
    onPluginError: ctx.registry.onPluginError,
    ...(mapper ? { mapper } : {}),
  });
  // Fusion is a search dimension: each mode the space lists is scheduled (the mappings are priced once: the
  // evaluator's memo serves every mode) and the best by the goal is kept; the default is `trim eval`'s (full).
  const modes = job.space.fusion ?? ['full'];
  let best: { sum: Totals; score: number; dataflows: Record<string, number>; mode: FusionMode } | undefined;
  for (const mode of modes) {
    const totals: Totals[] = [];
    const weights: number[] = [];
    const dataflows: Record<string, number> = {};
    try {
      let seconds = 0;
      for (const w of ctx.workloads) {
        const { net, ops } = await w.lowered(w.entry.precision ?? hw.precision);
        const r = evaluateNetwork(hw, net, ops, evaluator.dataflows, { goal, interlayer: w.entry.only === undefined, fusion: mode, evaluator, ...(mapper ? { mapper } : {}) });
        for (const l of r.layers) dataflows[l.dataflow] = (dataflows[l.dataflow] ?? 0) + 1;
        totals.push(r.totals);
        weights.push(w.weight);
        seconds += w.weight * r.totals.seconds;
        // Early exit: past the latency limit already (the remaining workloads only add time).
        if (c.latencySeconds !== undefined && seconds > c.latencySeconds) break;
      }
    } catch (e) {
      record.mappings = evaluator.mappingsEvaluated;
      if (!isTrimUserError(e)) throw e;
      record.reason = e.message;
      return record;
    }
    const sum = combine(totals, weights, totalMacUnits(hw));
    const score = goalScore(job.goal, { seconds: sum.seconds, energyPj: sum.energyPj, edp: sum.edp, areaMm2: hw.areaMm2 });
    if (best === undefined || score < best.score) best = { sum, score, dataflows, mode };
  }
  record.mappings = evaluator.mappingsEvaluated;
  const { sum, score, dataflows } = best!;
  if (modes.length > 1) record.fusion = best!.mode;
  if (!Number.isFinite(score) || ![sum.cycles, sum.seconds, sum.energyPj, sum.edp, sum.macs, sum.utilization, sum.dramBytes].every(Number.isFinite)) {
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

/**
 * Weighted totals of several workloads (weights sum to 1). One workload is reported as is, so a one-point explore
 * and `trim eval` of the same point agree exactly.
 */
function combine(totals: readonly Totals[], weights: readonly number[], units: number): Totals {
  if (totals.length === 1) return totals[0];
  const sum: Totals = { cycles: 0, seconds: 0, energyPj: 0, edp: 0, macs: 0, utilization: 0, dramBytes: 0 };
  totals.forEach((t, i) => {
    sum.cycles += weights[i] * t.cycles;
    sum.seconds += weights[i] * t.seconds;
    sum.energyPj += weights[i] * t.energyPj;
    sum.macs += weights[i] * t.macs;
    sum.dramBytes += weights[i] * t.dramBytes;
  });
  sum.edp = sum.energyPj * 1e-12 * sum.seconds;
  sum.utilization = sum.cycles > 0 ? sum.macs / (sum.cycles * units) : 0;
  return sum;
}

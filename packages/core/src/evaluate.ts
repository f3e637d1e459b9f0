import { Cost, Illegal } from './cost.js';
import { TrimInternalError, TrimUserError } from './errors.js';
import { exactSplit } from './exact.js';
import type { CostModel } from './cost-model.js';
import type { HardwareModel } from './hardware.js';
import { checkCost } from './invariants.js';
import { DEFAULT_MAP_SEARCH, type MapSearch } from './map-search.js';
import { copyMapping, copyMappingInto, emptyMapping, type Mapping } from './mapping.js';
import type { MacOp, Op, VectorOp } from './op.js';
import type { DataflowPlugin } from './plugin.js';
import { evaluateVector } from './vector.js';

export const GOALS = ['latency', 'energy', 'edp'] as const;
export type Goal = (typeof GOALS)[number];

/** A dataflow with its parsed config, ready to generate mappings. */
export interface DataflowChoice {
  readonly plugin: DataflowPlugin<unknown>;
  readonly config: unknown;
}

export function better(goal: Goal, cycles: number, energy: number, bestCycles: number, bestEnergy: number): boolean {
  switch (goal) {
    case 'latency':
      return cycles < bestCycles || (cycles === bestCycles && energy < bestEnergy);
    case 'energy':
      return energy < bestEnergy || (energy === bestEnergy && cycles < bestCycles);
    case 'edp': {
      const a = cycles * energy;
      const b = bestCycles * bestEnergy;
      return a < b || (a === b && cycles < bestCycles);
    }
  }
}

export interface MapResult {
  mapping: Mapping;
  cost: Cost;
  evaluated: number;
  legal: number;
}

/** Set while a template's cost model runs, so that an exception is blamed on the template, not the dataflow. */
let inCostModel = false;
/** Where the candidates a dataflow's mapspace prunes with `hw.cost.check` are recorded while `bestMapping` runs. */
let pruned: Rejections | undefined;

/**
 * The hardware model as dataflows see it inside the evaluator: its cost model flags itself while it runs (a
 * dataflow's mapspace calls `hw.cost.check` to prune), so that an exception is blamed on the right plug-in.
 */
function guarded(hw: HardwareModel): HardwareModel {
  const model = hw.cost;
  const cost: CostModel = {
    mappingDetail: model.mappingDetail,
    check(op, m, out) {
      const was = inCostModel;
      inCostModel = true;
      model.check(op, m, out);
      inCostModel = was;
      if (pruned && !out.legal) pruned.record(out, hw);
      return out;
    },
    evaluate(op, m, out) {
      const was = inCostModel;
      inCostModel = true;
      model.evaluate(op, m, out);
      inCostModel = was;
      return out;
    },
    ...(model.describe ? { describe: (op: MacOp, m: Mapping) => model.describe!(op, m) } : {}),
    ...(model.memoKey ? { memoKey: (op: MacOp) => model.memoKey!(op) } : {}),
    ...(model.supports ? { supports: (op: MacOp) => model.supports!(op) } : {}),
  };
  return { ...hw, cost };
}

/**
 * Why no candidate of a dataflow was legal: per rule broken and level, how many candidates broke it, and the one
 * that came closest (for capacity, the smallest tiles against the level's capacity). Groups are created on first
 * use (a handful per op), so recording a candidate allocates nothing.
 */
class Rejections {
  private readonly groups = new Map<number, { count: number; closest: Cost; excess: number }>();
  /** Candidates recorded. */
  count = 0;

  record(cost: Cost, hw: HardwareModel): void {
    const key = cost.illegal * 4096 + (cost.illegalLevel + 1);
    this.count++;
    const excess = cost.illegal === Illegal.Capacity ? capacityExcess(cost, hw) : 0;
    const g = this.groups.get(key);
    if (!g) this.groups.set(key, { count: 1, closest: cost.clone(), excess });
    else {
      g.count++;
      if (excess < g.excess) {
        g.closest.copyFrom(cost);
        g.excess = excess;
      }
    }
  }

  /** One clause per rule and level, the most frequent first: the count and the closest candidate's reason. */
  explain(hw: HardwareModel, op: MacOp): string {
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count);
    if (groups.length === 0) return `the dataflow generated no mapping for this op: ${smallestTiles(hw, op)}`;
    const reason = (g: (typeof groups)[number]) => `${g.closest.explain(hw)}${g.closest.illegal === Illegal.Capacity && g.count > 1 ? ' (the closest)' : ''}`;
    if (groups.length === 1) return `all ${this.count} candidate mappings illegal: ${reason(groups[0])}`;
    return `all ${this.count} candidate mappings illegal: ${groups.map((g) => `${g.count} × ${reason(g)}`).join(', ')}`;
  }
}

/**
 * For a dataflow whose own rules left no candidate: whether the hardware rejects even the smallest tiles (one element
 * of every dim below the backing store, no spatial unroll), naming the level and capacity, or not (then the
 * dataflow's constraints, not the hardware's capacities, excluded every mapping).
 */
function smallestTiles(hw: HardwareModel, op: MacOp): string {
  const L = hw.levels.length;
  const m = emptyMapping(L, op.dims.length);
  for (let d = 0; d < op.bounds.length; d++) m.temporal[(L - 1) * op.bounds.length + d] = op.bounds[d];
  hw.levels.forEach((lv, l) => {
    for (let t = 0; t < 3; t++) m.keep[l * 3 + t] = lv.holds[t] ? 1 : 0;
  });
  try {
    const c = hw.cost.check(op, m, new Cost(L));
    return c.legal ? 'its own rules (e.g. its tile sizes for this array) exclude every mapping of this shape here; try another dataflow' : `even one-element tiles are illegal: ${c.explain(hw)}`;
  } catch {
    return 'its own rules exclude every mapping of this shape here; try another dataflow';
  }
}

/** How far a capacity-illegal candidate's tiles exceed the level that rejected them (the largest ratio over its partitions). */
function capacityExcess(cost: Cost, hw: HardwareModel): number {
  const lv = hw.levels[cost.illegalLevel];
  if (!lv) return Infinity;
  const i = cost.illegalLevel * 3;
  const fp = cost.footprintBytes;
  const part = lv.slotCapacityBytes;
  if (!part) return (fp[i] + fp[i + 1] + fp[i + 2]) / lv.capacityBytes;
  let worst = 0;
  for (let t = 0; t < 3; t++) if (part[t] > 0 || fp[i + t] > 0) worst = Math.max(worst, fp[i + t] / part[t]);
  return worst;
}

/**
 * The best mapping of one op under one dataflow, by goal. The dataflow proposes mappings; the hardware template's
 * cost model (`hw.cost`) prices every one, the same way for every dataflow. Only the winner is copied out; when no
 * candidate is legal, the reason names each rule and level that rejected them and the candidate that came closest.
 */
export function bestMapping(op: MacOp, hw: HardwareModel, df: DataflowChoice, goal: Goal, search: MapSearch = DEFAULT_MAP_SEARCH): MapResult | { reason: string; evaluated: number } {
  const L = hw.levels.length;
  const cost = new Cost(L);
  const bestMap = emptyMapping(L, op.dims.length);
  const model = hw.cost;
  const rejected = new Rejections();
  let have = false;
  let bestCycles = Infinity;
  let bestEnergy = Infinity;
  let evaluated = 0;
  let legal = 0;
  const outer = pruned;
  pruned = rejected;
  try {
    df.plugin.mapspace(
      op,
      hw,
      (m) => {
        // The budget ends any mapspace, built-in or outside, with the best candidate so far.
        if (evaluated >= search.budget) throw BUDGET_SPENT;
        evaluated++;
        if (m.levels !== L) throw new TrimInternalError(`mapping with ${m.levels} levels for hardware with ${L}`);
        model.evaluate(op, m, cost);
        if (!cost.legal) {
          if (!have) rejected.record(cost, hw);
          return Infinity;
        }
        legal++;
        // Candidates pruned after the first legal one explain nothing: stop recording them.
        pruned = undefined;
        if (!have || better(goal, cost.cycles, cost.energyPj, bestCycles, bestEnergy)) {
          have = true;
          bestCycles = cost.cycles;
          bestEnergy = cost.energyPj;
          copyMappingInto(m, bestMap);
        }
        return rank(goal, cost);
      },
      df.config,
      search,
    );
  } catch (e) {
    if (e !== BUDGET_SPENT) throw e;
  } finally {
    pruned = outer;
  }
  if (!have) return { reason: rejected.explain(hw, op), evaluated };
  const best = model.evaluate(op, bestMap, new Cost(L));
  return { mapping: copyMapping(bestMap), cost: best, evaluated, legal };
}

/** Thrown through a mapspace to end it when the run's candidate budget is spent (caught by `bestMapping`). */
const BUDGET_SPENT: unique symbol = Symbol('budget spent');

/**
 * A priced candidate's rank under the goal, for mappers that keep the best few (lower is better): the goal's
 * figure, with latency's tie on cycles broken by energy per MAC scaled far below one cycle (compute-bound tilings
 * tie on cycles; `better` breaks the same tie by energy).
 */
export function rank(goal: Goal, cost: Cost): number {
  switch (goal) {
    case 'latency':
      return cost.cycles + (cost.energyPj / Math.max(1, cost.macs)) * 1e-9;
    case 'energy':
      return cost.energyPj;
    case 'edp':
      return cost.cycles * cost.energyPj;
  }
}

/** The best result of one dataflow for an op (for `--dataflow auto` comparisons). */
export interface Alternative {
  dataflow: string;
  cycles: number;
  energyPj: number;
  utilization: number;
  dramBytes: number;
}

/**
 * The priced result of one op, before it is reported: the op asked for, the form that was mapped (the op itself or
 * one of its `equivalents`), the dataflow and mapping that won, and the cost (owned: the scheduler adjusts it).
 * An op too large for exact double counts carries `exact`: it ran as `chunks` identical sub-ops and `sub` is one
 * sub-op's cost (the exact counts are `chunks` × those, less what the scheduler `cut` from the whole op).
 */
export interface OpCost {
  readonly op: Op;
  readonly form: Op;
  readonly dataflow: string;
  readonly cost: Cost;
  readonly mapping?: Mapping;
  readonly alternatives?: readonly Alternative[];
  readonly exact?: { readonly chunks: number; readonly sub: Cost; readonly cut: Cost };
  /** Set by the scheduler on an op fused into another (its cost is then part of that op's): the head op's name. */
  readonly fusedInto?: string;
  /** Set by the scheduler on the head of a fused group: the ops fused into it, in order. */
  readonly fused?: readonly string[];
}

interface MemoEntry {
  readonly formIndex: number;
  readonly dataflow: string;
  readonly cost: Cost;
  readonly mapping: Mapping;
  readonly alternatives?: readonly Alternative[];
}

/**
 * Calls plug-in code for an op: a dataflow's mapspace and the template's cost model it drives. An exception (or a
 * broken invariant) becomes an internal error naming the plug-in at fault — the template when its cost model was
 * running, else the dataflow — and the op.
 */
function runPlugin<T>(dataflow: string, hw: HardwareModel, op: Op, f: () => T): T {
  inCostModel = false;
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.name === 'TrimUserError') throw e;
    const who = inCostModel ? `template ${hw.template} (architecture "${hw.name}")` : `dataflow ${dataflow}`;
    inCostModel = false;
    throw new TrimInternalError(`${who} on layer ${op.layer} (${op.phase}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Multiplies every count, time and energy of a cost by `k` (identical sub-ops run one after another). */
export function scaleCost(c: Cost, k: number): Cost {
  const s = c.clone();
  for (const a of [s.reads, s.writes, s.readBytes, s.writeBytes, s.levelCycles, s.levelEnergyPj, s.slotEnergyPj]) for (let i = 0; i < a.length; i++) a[i] *= k;
  s.macs *= k;
  s.paddedMacs *= k;
  s.computeCycles *= k;
  s.overheadCycles *= k;
  s.stallCycles *= k;
  s.cycles *= k;
  s.macEnergyPj *= k;
  s.aluEnergyPj *= k;
  s.networkEnergyPj *= k;
  s.leakageEnergyPj *= k;
  s.energyPj *= k;
  s.dramBytes *= k;
  return s;
}

/**
 * Evaluates ops on one hardware point, choosing per op the best mapping over the given dataflows; every mapping is
 * priced by the hardware's own cost model. Results are memoised by the cost model's key (the op's shape: ResNet
 * repeats shapes), but each result is reported for the op asked (its names, phase and tensor roles), never for
 * the op that filled the memo.
 */
export class Evaluator {
  private readonly memo = new Map<string, MemoEntry>();
  /** `hw` with a cost model that says when it is running (for blame). */
  private readonly priced: HardwareModel;
  mappingsEvaluated = 0;

  constructor(
    readonly hw: HardwareModel,
    readonly dataflows: readonly DataflowChoice[],
    readonly goal: Goal,
    readonly options: {
      /** A dataflow that throws or breaks an invariant: stop the run (default), or skip it for that op and warn. */
      onPluginError?: 'stop' | 'skip';
      warn?: (message: string) => void;
      /** Reuse results across ops of one shape (default). Off when a dataflow's proposal depends on more than the
       *  shape (a fixed mapping file maps each layer by name). */
      memo?: boolean;
      /** How each dataflow's mapspace is walked (`--mapper`, `--mapper-budget`); default `auto`, no budget. */
      mapper?: MapSearch;
    } = {},
  ) {
    this.priced = guarded(hw);
    if (dataflows.length === 0) {
      throw new TrimUserError(`no dataflow applies to template "${hw.template}" of architecture "${hw.name}"`, {
        field: 'dataflow',
        fix: 'pick a dataflow that lists this template, or load a plug-in that provides one',
      });
    }
  }

  evaluateOp(op: Op): OpCost {
    if (op.kind === 'vector') return this.evaluateVectorOp(op);
    const split = exactSplit(op);
    if (split) {
      const sub = this.evaluateOp(split.sub);
      return {
        op,
        form: op,
        dataflow: sub.dataflow,
        cost: scaleCost(sub.cost, split.chunks),
        ...(sub.mapping ? { mapping: sub.mapping } : {}),
        ...(sub.alternatives
          ? { alternatives: sub.alternatives.map((a) => ({ ...a, cycles: a.cycles * split.chunks, energyPj: a.energyPj * split.chunks, dramBytes: a.dramBytes * split.chunks })) }
          : {}),
        exact: { chunks: split.chunks, sub: sub.cost.clone(), cut: new Cost(this.hw.levels.length) },
      };
    }
    const key = this.hw.cost.memoKey ? this.hw.cost.memoKey(op) : op.key;
    const useMemo = this.options.memo !== false;
    let entry = useMemo ? this.memo.get(key) : undefined;
    if (!entry) {
      entry = this.search(op);
      if (useMemo) this.memo.set(key, entry);
    }
    const forms: readonly MacOp[] = [op, ...(op.equivalents ?? [])];
    const form = forms[entry.formIndex] ?? op;
    return {
      op,
      form,
      dataflow: entry.dataflow,
      // Shared with every op of this shape: a priced cost is read-only from here on (the scheduler copies on write).
      cost: entry.cost,
      mapping: entry.mapping,
      ...(entry.alternatives ? { alternatives: entry.alternatives } : {}),
    };
  }

  /** Every dataflow × every equivalent form of the op: the best by goal, checked against the invariants. */
  private search(op: MacOp): MemoEntry {
    let best: { r: MapResult; df: string; formIndex: number } | undefined;
    const alternatives: Alternative[] = [];
    const reasons: string[] = [];
    const forms: readonly MacOp[] = [op, ...(op.equivalents ?? [])];
    for (const df of this.dataflows) {
      let dfBest: { r: MapResult; formIndex: number } | undefined;
      forms.forEach((form, formIndex) => {
        if (this.priced.cost.supports && !this.priced.cost.supports(form)) {
          if (formIndex === 0) reasons.push(`${this.priced.template}: its cost model does not price this op's loop nest`);
          return;
        }
        if (df.plugin.supports && !runPlugin(df.plugin.name, this.hw, op, () => df.plugin.supports!(form, this.priced))) {
          if (formIndex === 0) reasons.push(`${df.plugin.name}: does not support this op`);
          return;
        }
        let r: ReturnType<typeof bestMapping>;
        try {
          r = runPlugin(df.plugin.name, this.hw, op, () => bestMapping(form, this.priced, df, this.goal, this.options.mapper));
        } catch (e) {
          if (this.options.onPluginError !== 'skip' || !(e instanceof TrimInternalError)) throw e;
          this.options.warn?.(`${e.message} (skipped)`);
          reasons.push(`${df.plugin.name}: failed (skipped)`);
          return;
        }
        this.mappingsEvaluated += r.evaluated;
        if (!('mapping' in r)) {
          reasons.push(`${df.plugin.name}: ${r.reason}`);
          return;
        }
        if (!dfBest || better(this.goal, r.cost.cycles, r.cost.energyPj, dfBest.r.cost.cycles, dfBest.r.cost.energyPj)) dfBest = { r, formIndex };
      });
      if (!dfBest) continue;
      const c = dfBest.r.cost;
      alternatives.push({ dataflow: df.plugin.name, cycles: c.cycles, energyPj: c.energyPj, utilization: c.utilization, dramBytes: c.dramBytes });
      if (!best || better(this.goal, c.cycles, c.energyPj, best.r.cost.cycles, best.r.cost.energyPj)) {
        best = { r: dfBest.r, df: df.plugin.name, formIndex: dfBest.formIndex };
      }
    }
    if (!best) {
      throw new TrimUserError(`layer ${op.layer} (${op.phase}) cannot be mapped on ${this.hw.name}: ${reasons.join('; ')}`, {
        field: 'dataflow',
        fix: 'use a larger buffer, another dataflow, or another architecture',
      });
    }
    const form = forms[best.formIndex];
    const checked = best.r.cost;
    runPlugin(best.df, this.hw, op, () => {
      // A cost that breaks an invariant is the template's: its cost model produced it.
      inCostModel = true;
      checkCost(form, this.hw, checked);
      inCostModel = false;
    });
    const described = this.hw.cost.describe ? this.hw.cost.describe(form, best.r.mapping) : best.r.mapping;
    return {
      formIndex: best.formIndex,
      dataflow: best.df,
      cost: best.r.cost,
      mapping: copyMapping(described),
      ...(this.dataflows.length > 1 ? { alternatives } : {}),
    };
  }

  private evaluateVectorOp(op: VectorOp): OpCost {
    const cost = evaluateVector(op, this.hw);
    checkCost(op, this.hw, cost);
    return { op, form: op, dataflow: 'vector', cost };
  }
}

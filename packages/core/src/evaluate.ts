import { Cost, evaluate } from './engine.js';
import { TrimInternalError, TrimUserError } from './errors.js';
import type { HardwareModel } from './hardware.js';
import { copyMapping, copyMappingInto, describeMapping, emptyMapping, type Mapping, type MappingDescription } from './mapping.js';
import type { MacOp, Op, Phase } from './op.js';
import type { DataflowPlugin } from './plugin.js';
import { checkCost } from './invariants.js';
import { exactMacs, exactSplit } from './exact.js';
import { evaluateVector } from './vector.js';

export const GOALS = ['latency', 'energy', 'edp'] as const;
export type Goal = (typeof GOALS)[number];

/** A dataflow with its parsed config, ready to generate mappings. */
export interface DataflowChoice {
  readonly plugin: DataflowPlugin<unknown>;
  readonly config: unknown;
}

export interface AccessCounts {
  reads: number;
  writes: number;
}

/** The cost of one op, as reported (plain data: JSON-ready). */
export interface OpResult {
  name: string;
  layer: string;
  layerKind: string;
  phase: Phase;
  dataflow: string;
  macs: number;
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  utilization: number;
  /** accesses[level][tensor] in elements. */
  accesses: Record<string, Record<string, AccessCounts>>;
  /** Energy by component (`mac`, `alu`, each level, `noc`, `leakage`) and `total`, pJ. */
  energyPj: Record<string, number>;
  dramBytes: number;
  mapping?: MappingDescription;
  /**
   * Exact integer counts (decimal strings) when they may exceed 2⁵³: the op was evaluated as `chunks` identical
   * sub-ops (see `exactSplit`), and every count is `chunks` × the sub-op's, multiplied in BigInt.
   */
  exact?: { chunks: number; macs: string; dramBytes: string; accesses: Record<string, Record<string, { reads: string; writes: string }>> };
  /** The best result of every dataflow tried (for `--dataflow auto` comparisons). */
  alternatives?: Array<{ dataflow: string; cycles: number; energyPj: number; utilization: number; dramBytes: number }>;
}

function better(goal: Goal, cycles: number, energy: number, bestCycles: number, bestEnergy: number): boolean {
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

/**
 * The best mapping of one op under one dataflow, by goal. Every candidate goes through the engine (or the
 * dataflow's own cost model); only the winner is copied out.
 */
export function bestMapping(op: MacOp, hw: HardwareModel, df: DataflowChoice, goal: Goal): MapResult | { reason: string; evaluated: number } {
  const L = hw.levels.length;
  const cost = new Cost(L);
  const best = new Cost(L);
  const bestMap = emptyMapping(L);
  let have = false;
  let bestCycles = Infinity;
  let bestEnergy = Infinity;
  let evaluated = 0;
  let legal = 0;
  let lastReason = 'the dataflow generated no mapping for this op';
  const evalFn = df.plugin.evaluate ?? evaluate;
  df.plugin.mapspace(
    op,
    hw,
    (m) => {
      evaluated++;
      evalFn(op, hw, m, cost);
      if (!cost.legal) {
        if (!have) lastReason = cost.explain(hw);
        return;
      }
      legal++;
      if (!have || better(goal, cost.cycles, cost.energyPj, bestCycles, bestEnergy)) {
        have = true;
        bestCycles = cost.cycles;
        bestEnergy = cost.energyPj;
        copyMappingInto(m, bestMap);
      }
    },
    df.config,
  );
  if (!have) return { reason: lastReason, evaluated };
  evalFn(op, hw, bestMap, best);
  return { mapping: copyMapping(bestMap), cost: best, evaluated, legal };
}

export function slotNames(op: MacOp): [string, string, string] {
  return [op.operands[0].tensor, op.operands[1].tensor, op.operands[2].tensor];
}

/** Plain-data view of a Cost for one op. */
export function opResultFromCost(op: MacOp, hw: HardwareModel, dataflow: string, cost: Cost, mapping?: Mapping): OpResult {
  const names = slotNames(op);
  const accesses: OpResult['accesses'] = {};
  const energyPj: Record<string, number> = { mac: cost.macEnergyPj };
  hw.levels.forEach((lv, l) => {
    const perTensor: Record<string, AccessCounts> = {};
    for (let t = 0; t < 3; t++) {
      const r = cost.reads[l * 3 + t];
      const w = cost.writes[l * 3 + t];
      if (r > 0 || w > 0) perTensor[names[t]] = { reads: r, writes: w };
    }
    accesses[lv.name] = perTensor;
    energyPj[lv.name] = cost.levelEnergyPj[l];
  });
  if (cost.networkEnergyPj > 0) energyPj.noc = cost.networkEnergyPj;
  if (cost.leakageEnergyPj > 0) energyPj.leakage = cost.leakageEnergyPj;
  energyPj.total = cost.energyPj;
  return {
    name: op.name,
    layer: op.layer,
    layerKind: op.layerKind,
    phase: op.phase,
    dataflow,
    macs: op.macs,
    cycles: cost.cycles,
    computeCycles: cost.computeCycles,
    stallCycles: cost.stallCycles,
    utilization: cost.utilization,
    accesses,
    energyPj,
    dramBytes: cost.dramBytes,
    ...(mapping ? { mapping: describeMapping(mapping, hw, names) } : {}),
  };
}

const big = (x: number) => BigInt(Math.round(x));

/** The result of `chunks` identical sub-ops run one after another: doubles for display, exact BigInt products. */
function scaleResult(sub: OpResult, chunks: number, op: MacOp): OpResult {
  const k = BigInt(chunks);
  const accesses: OpResult['accesses'] = {};
  const exactAccesses: NonNullable<OpResult['exact']>['accesses'] = {};
  for (const [level, perTensor] of Object.entries(sub.accesses)) {
    accesses[level] = {};
    exactAccesses[level] = {};
    for (const [tensor, c] of Object.entries(perTensor)) {
      accesses[level][tensor] = { reads: c.reads * chunks, writes: c.writes * chunks };
      exactAccesses[level][tensor] = { reads: (big(c.reads) * k).toString(), writes: (big(c.writes) * k).toString() };
    }
  }
  const energyPj: Record<string, number> = {};
  for (const [key, e] of Object.entries(sub.energyPj)) energyPj[key] = e * chunks;
  return {
    ...sub,
    name: op.name,
    phase: op.phase,
    macs: op.macs,
    cycles: sub.cycles * chunks,
    computeCycles: sub.computeCycles * chunks,
    stallCycles: sub.stallCycles * chunks,
    accesses,
    energyPj,
    dramBytes: sub.dramBytes * chunks,
    exact: { chunks, macs: exactMacs(op).toString(), dramBytes: (big(sub.dramBytes) * k).toString(), accesses: exactAccesses },
    ...(sub.alternatives ? { alternatives: sub.alternatives.map((a) => ({ ...a, cycles: a.cycles * chunks, energyPj: a.energyPj * chunks, dramBytes: a.dramBytes * chunks })) } : {}),
  };
}

/** Calls into a dataflow plug-in, naming it and the op if it throws or its result breaks an invariant. */
function runPlugin<T>(plugin: string, op: Op, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.name === 'TrimUserError') throw e;
    throw new TrimInternalError(`dataflow ${plugin} on layer ${op.layer} (${op.phase}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface Totals {
  /** Exact MACs and DRAM bytes (decimal strings) when some op needed exact counts beyond 2⁵³. */
  exact?: { macs: string; dramBytes: string };
  cycles: number;
  seconds: number;
  energyPj: number;
  edp: number;
  macs: number;
  utilization: number;
  dramBytes: number;
}

export function totalsOf(results: readonly OpResult[], hw: HardwareModel, macUnits: number): Totals {
  let cycles = 0;
  let energyPj = 0;
  let macs = 0;
  let dramBytes = 0;
  for (const r of results) {
    cycles += r.cycles;
    energyPj += r.energyPj.total;
    macs += r.macs;
    dramBytes += r.dramBytes;
  }
  const seconds = cycles / (hw.clockMHz * 1e6);
  const exact = results.some((r) => r.exact)
    ? {
        macs: results.reduce((a, r) => a + (r.exact ? BigInt(r.exact.macs) : BigInt(r.macs)), 0n).toString(),
        dramBytes: results.reduce((a, r) => a + (r.exact ? BigInt(r.exact.dramBytes) : BigInt(Math.round(r.dramBytes))), 0n).toString(),
      }
    : undefined;
  return {
    ...(exact ? { exact } : {}),
    cycles,
    seconds,
    energyPj,
    edp: energyPj * 1e-12 * seconds,
    macs,
    utilization: cycles > 0 ? macs / (cycles * macUnits) : 0,
    dramBytes,
  };
}

/**
 * Evaluates ops on one hardware point, choosing per op the best mapping over the given dataflows. Results of
 * identical op shapes are memoised (ResNet repeats them), keyed by op shape, phase-independent.
 */
export class Evaluator {
  private readonly memo = new Map<string, OpResult>();
  mappingsEvaluated = 0;

  constructor(
    readonly hw: HardwareModel,
    readonly dataflows: readonly DataflowChoice[],
    readonly goal: Goal,
    readonly options: {
      includeMapping?: boolean;
      /** A dataflow that throws or breaks an invariant: stop the run (default), or skip it for that op and warn. */
      onPluginError?: 'stop' | 'skip';
      warn?: (message: string) => void;
    } = {},
  ) {
    if (dataflows.length === 0) {
      throw new TrimUserError(`no dataflow applies to template "${hw.template}" of architecture ${hw.name}`, {
        field: 'dataflow',
        fix: 'pick a dataflow that lists this template, or load a plug-in that provides one',
      });
    }
  }

  evaluateOp(op: Op): OpResult {
    if (op.kind === 'vector') return this.evaluateVectorOp(op);
    const split = exactSplit(op);
    if (split) return scaleResult(this.evaluateOp(split.sub), split.chunks, op);
    const cached = this.memo.get(op.key);
    if (cached) return { ...cached, name: op.name, layer: op.layer, layerKind: op.layerKind, phase: op.phase };
    let best: { r: MapResult; df: string } | undefined;
    const dfForm = new Map<MapResult, MacOp>();
    const alternatives: NonNullable<OpResult['alternatives']> = [];
    const reasons: string[] = [];
    const forms: readonly MacOp[] = [op, ...(op.equivalents ?? [])];
    for (const df of this.dataflows) {
      let dfBest: MapResult | undefined;
      for (const form of forms) {
        if (df.plugin.supports && !df.plugin.supports(form, this.hw)) {
          if (form === op) reasons.push(`${df.plugin.name}: does not support this op`);
          continue;
        }
        let r: ReturnType<typeof bestMapping>;
        try {
          r = runPlugin(df.plugin.name, op, () => bestMapping(form, this.hw, df, this.goal));
        } catch (e) {
          if (this.options.onPluginError !== 'skip' || !(e instanceof TrimInternalError)) throw e;
          this.options.warn?.(`${e.message} (skipped)`);
          reasons.push(`${df.plugin.name}: failed (skipped)`);
          continue;
        }
        this.mappingsEvaluated += r.evaluated;
        if (!('mapping' in r)) {
          reasons.push(`${df.plugin.name}: ${r.reason}`);
          continue;
        }
        if (!dfBest || better(this.goal, r.cost.cycles, r.cost.energyPj, dfBest.cost.cycles, dfBest.cost.energyPj)) {
          dfBest = r;
          dfForm.set(r, form);
        }
      }
      if (!dfBest) continue;
      alternatives.push({ dataflow: df.plugin.name, cycles: dfBest.cost.cycles, energyPj: dfBest.cost.energyPj, utilization: dfBest.cost.utilization, dramBytes: dfBest.cost.dramBytes });
      if (!best || better(this.goal, dfBest.cost.cycles, dfBest.cost.energyPj, best.r.cost.cycles, best.r.cost.energyPj)) {
        best = { r: dfBest, df: df.plugin.name };
      }
    }
    if (!best) {
      throw new TrimUserError(`layer ${op.layer} (${op.phase}) cannot be mapped on ${this.hw.name}: ${reasons.join('; ')}`, {
        field: 'dataflow',
        fix: 'use a larger buffer, another dataflow, or another architecture',
      });
    }
    const form = dfForm.get(best.r) ?? op;
    runPlugin(best.df, op, () => checkCost(form, this.hw, best!.r.cost));
    const result = { ...opResultFromCost(form, this.hw, best.df, best.r.cost, this.options.includeMapping ? best.r.mapping : undefined), name: op.name, phase: op.phase };
    if (this.dataflows.length > 1) result.alternatives = alternatives;
    this.memo.set(op.key, result);
    return result;
  }

  private evaluateVectorOp(op: Extract<Op, { kind: 'vector' }>): OpResult {
    const v = evaluateVector(op, this.hw);
    const accesses: OpResult['accesses'] = {};
    const energyPj: Record<string, number> = { alu: v.aluEnergyPj };
    const names = ['weights', 'inputs', 'outputs'];
    this.hw.levels.forEach((lv, l) => {
      const perTensor: Record<string, AccessCounts> = {};
      for (let t = 0; t < 3; t++) {
        const r = v.reads[l * 3 + t];
        const w = v.writes[l * 3 + t];
        if (r > 0 || w > 0) perTensor[names[t]] = { reads: r, writes: w };
      }
      accesses[lv.name] = perTensor;
      energyPj[lv.name] = v.levelEnergyPj[l];
    });
    energyPj.total = v.energyPj;
    return {
      name: op.name,
      layer: op.layer,
      layerKind: op.layerKind,
      phase: op.phase,
      dataflow: 'vector',
      macs: 0,
      cycles: v.cycles,
      computeCycles: v.computeCycles,
      stallCycles: v.stallCycles,
      utilization: 0,
      accesses,
      energyPj,
      dramBytes: v.dramBytes,
    };
  }
}

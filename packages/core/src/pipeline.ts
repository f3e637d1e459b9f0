import { Evaluator, type DataflowChoice, type Goal, type OpCost } from './evaluate.js';
import { FUSION_MODES, type FusionMode } from './epilogue.js';
import { TrimUserError } from './errors.js';
import { totalMacUnits, type HardwareModel } from './hardware.js';
import { layerMatchesKind } from './ir/layer.js';
import { filterLayers, type Network } from './ir/network.js';
import type { MacOp, Op } from './op.js';
import { checkMapSearch, type MapSearch } from './map-search.js';
import { budgetedHardware } from './schedule/depth-first.js';
import { isPrecision, PRECISIONS, precisionBytes, type Precision } from './precision.js';
import { tensorElements } from './schedule/edges.js';
import type { Registry } from './registry.js';
import { resolveArchitecture, resolveWorkload, type ResolvedArchitecture } from './resolve.js';
import { opResultOf, totalsOf, type OpResult, type Totals } from './result.js';
import { scheduleNetwork, scheduleSummary, type ScheduleSummary } from './schedule/schedule.js';
import { withInputZeroFractions } from './sparsity.js';
import { didYouMean } from './zod-errors.js';

/** The `--only` aliases `layerMatchesKind` accepts besides the layer kinds themselves. */
const KIND_ALIASES = ['conv', 'depthwise', 'fc', 'gemm', 'mac'] as const;
import { fixedMappingDataflow, readMappingFile } from './fixed-mapping.js';
import { resolve as resolvePath } from 'node:path';

/**
 * The one evaluation path: resolve → phase → map → cost → schedule → check. `trim eval`, every point of
 * `trim explore` and every row of `trim validate` go through `evaluateNetwork` (eval and validate through
 * `evaluateRequest`), so a validated figure is what a user gets.
 */

/** The dataflows a request names (`auto`: every one that applies to the template), configured from the registry. */
export function pickDataflows(registry: Registry, template: string, id: string): DataflowChoice[] {
  const choice = (plugin: DataflowChoice['plugin']): DataflowChoice => ({ plugin, config: registry.configOf('dataflow', plugin) });
  if (id === 'auto') return registry.dataflowsFor(template).map(choice);
  const plugin = registry.dataflows.get(id);
  if (plugin.templates !== '*' && !plugin.templates.includes(template)) {
    throw new TrimUserError(`dataflow ${id} does not apply to template ${template} (it supports: ${plugin.templates.join(', ')})`, {
      field: '--dataflow',
      fix: `pick one of: ${registry.dataflowsFor(template).map((d) => d.name).join(', ') || 'none'}, or auto`,
    });
  }
  return [choice(plugin)];
}

export interface NetworkEvaluationOptions {
  readonly goal: Goal;
  /** Tensors between ops: handed off on chip where they fit (true), or always through DRAM. */
  readonly interlayer: boolean;
  /** What fuses (`--fusion`); default `full`. */
  readonly fusion?: FusionMode;
  readonly includeMapping?: boolean;
  readonly onPluginError?: 'stop' | 'skip';
  readonly warn?: (message: string) => void;
  /** An evaluator to reuse (its memo) across workloads on the same hardware point. */
  readonly evaluator?: Evaluator;
  /** Memoise results by op shape (default true; off for a fixed mapping file, which maps each layer by name). */
  readonly memo?: boolean;
  /** Called after each op is mapped and priced (`done` of `total`), for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
  /** How mapspaces are walked (`--mapper`, `--mapper-budget`); default `auto`, no budget. */
  readonly mapper?: MapSearch;
}

export interface NetworkEvaluation {
  /** Per op, after scheduling: the priced cost (for further analysis) and its report. */
  readonly costs: readonly OpCost[];
  readonly layers: readonly OpResult[];
  readonly totals: Totals;
  readonly interlayer: ScheduleSummary;
  readonly mappingsEvaluated: number;
  /** Tensors of role `kv-cache` (a decode step's KV cache): their bytes, and the bytes the scheduler kept on chip. */
  readonly kvCache?: KvCacheSummary;
}

export interface KvCacheSummary {
  readonly tensors: number;
  readonly bytes: number;
  readonly onChipBytes: number;
}

/** The network's KV-cache tensors and where the schedule placed them (undefined when it has none). */
function kvCacheOf(net: Network, onChip: ReadonlySet<string>): KvCacheSummary | undefined {
  let tensors = 0;
  let bytes = 0;
  let onChipBytes = 0;
  for (const t of net.tensors.values()) {
    if (t.role !== 'kv-cache') continue;
    const b = tensorElements(t) * precisionBytes(t.precision);
    tensors++;
    bytes += b;
    if (onChip.has(t.name)) onChipBytes += b;
  }
  return tensors === 0 ? undefined : { tensors, bytes, onChipBytes };
}

/**
 * Prices a depth-first stack's band ops: through the dataflow named (else the run's) and the run's goal, on the
 * hardware with part of the staging level taken by the kept bands (one evaluator per budget and dataflow, memoised
 * by shape like the run's own).
 */
function bandPricer(hw: HardwareModel, dataflows: readonly DataflowChoice[], o: NetworkEvaluationOptions): (op: MacOp, reservedBytes: number, dataflow?: string) => OpCost {
  const byBudget = new Map<string, Evaluator>();
  return (op, reservedBytes, dataflow) => {
    const chosen = dataflows.filter((d) => d.plugin.name === dataflow);
    const use = chosen.length > 0 ? chosen : dataflows;
    const key = `${reservedBytes}|${chosen.length > 0 ? dataflow : '*'}`;
    let ev = byBudget.get(key);
    if (!ev) {
      const budgeted = reservedBytes > 0 ? budgetedHardware(hw, reservedBytes) : hw;
      if (!budgeted) throw new TrimUserError('no room left beside the bands');
      ev = new Evaluator(budgeted, use, o.goal, { onPluginError: 'skip', memo: true, ...(o.mapper ? { mapper: o.mapper } : {}) });
      byBudget.set(key, ev);
    }
    return ev.evaluateOp(op);
  };
}

/** Map → cost → schedule → check for ops of one network on one hardware model. */
export function evaluateNetwork(hw: HardwareModel, net: Network, ops: readonly Op[], dataflows: readonly DataflowChoice[], o: NetworkEvaluationOptions): NetworkEvaluation {
  const evaluator =
    o.evaluator ??
    new Evaluator(hw, dataflows, o.goal, {
      ...(o.onPluginError ? { onPluginError: o.onPluginError } : {}),
      ...(o.warn ? { warn: o.warn } : {}),
      ...(o.memo === false ? { memo: false } : {}),
      ...(o.mapper ? { mapper: o.mapper } : {}),
    });
  const before = evaluator.mappingsEvaluated;
  const progress = o.onProgress;
  const priced = ops.map((op, i) => {
    const c = evaluator.evaluateOp(op);
    progress?.(i + 1, ops.length);
    return c;
  });
  // The scheduler re-checks every op it changes against the invariants (`checkCost`).
  const schedule = scheduleNetwork(net, ops, priced, hw, { policy: o.interlayer ? 'on-chip-handoff' : 'layer-by-layer', fusion: o.fusion ?? 'full', goal: o.goal, priceOp: bandPricer(hw, dataflows, o) });
  const layers = schedule.results.map((c) => opResultOf(c, hw, o.includeMapping === true));
  const kv = kvCacheOf(net, schedule.placement.onChip);
  return {
    costs: schedule.results,
    layers,
    totals: totalsOf(layers, hw, totalMacUnits(hw)),
    interlayer: scheduleSummary(schedule),
    mappingsEvaluated: evaluator.mappingsEvaluated - before,
    ...(kv ? { kvCache: kv } : {}),
  };
}

/** What `trim eval` asks (and what a validation case is): every field a CLI flag. */
export interface EvalRequest {
  /** A built-in architecture, or a file a template reads (YAML, SCALE-Sim `.cfg`, …). */
  readonly arch: string;
  readonly sets?: readonly string[];
  /** A built-in network, or a file a workload source reads. */
  readonly workload: string;
  readonly batch?: number;
  /** Phase model name: `inference`, `training`, or a plug-in's. */
  readonly phase?: string;
  /** Options of the phase model for this run (the CLI's training flags). */
  readonly phaseOptions?: Readonly<Record<string, unknown>>;
  /** Options of the workload source (`seqLen`, `context`, …); the phase model's own `workloadOptions` come first. */
  readonly workloadOptions?: Readonly<Record<string, unknown>>;
  /** Tensor precision; default the architecture's native word. */
  readonly precision?: Precision;
  /** Keep only the layers of one kind. */
  readonly only?: string;
  /** A dataflow name, or `auto` (default) for the best per op among those that apply. */
  readonly dataflow?: string;
  /** A mapping file (`--mapping`): each op is evaluated with the file's mapping, as given (instead of a search). */
  readonly mapping?: string;
  /** An energy table file (`--energy-table`, e.g. an Accelergy ERT) for templates whose spec takes `energyTable`. */
  readonly energyTable?: string;
  readonly goal?: Goal;
  /** Measured input zero fraction per layer (templates that compress or zero-gate read it). */
  readonly zeroFractions?: Readonly<Record<string, number>>;
  /** Inter-layer hand-off; default on for whole networks, off with `only` (the kept layers are not adjacent). */
  readonly interlayer?: boolean;
  /** What fuses (`--fusion none|epilogue|full`); default `full`. */
  readonly fusion?: FusionMode;
  readonly includeMapping?: boolean;
  readonly warn?: (message: string) => void;
  /** Called after each op is mapped and priced, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
  /** How mapspaces are walked: `auto` (default), `exhaustive` or `beam`. */
  readonly mapper?: string;
  /** Candidates priced per op and dataflow at most (`--mapper-budget`); default no limit. */
  readonly mapperBudget?: number;
}

export interface EvalResult extends NetworkEvaluation {
  readonly workload: string;
  readonly arch: string;
  readonly template: string;
  readonly phase: string;
  readonly batch: number;
  readonly precision: Precision;
  readonly goal: Goal;
  readonly clockMHz: number;
  readonly dataflows: readonly string[];
  readonly hardware: HardwareModel;
  readonly architecture: ResolvedArchitecture;
}

export function checkFusion(f: unknown, field: string): FusionMode {
  if (typeof f === 'string' && (FUSION_MODES as readonly string[]).includes(f)) return f as FusionMode;
  throw new TrimUserError(`${field} ${String(f)}: not a fusion mode (known: ${FUSION_MODES.join(', ')})`, { field, fix: `use one of ${FUSION_MODES.join(', ')}` });
}

export function checkPrecision(p: unknown, field: string): Precision {
  if (typeof p === 'string' && isPrecision(p)) return p;
  throw new TrimUserError(`${field} ${String(p)}: not a known precision (known: ${PRECISIONS.join(', ')})`, { field, fix: `use one of ${PRECISIONS.join(', ')}` });
}

/** A network as a request asks for it: loaded at the request's precision, cut to `only`. */
export async function loadNetwork(
  registry: Registry,
  workload: string,
  batch: number,
  precision: Precision,
  only?: string,
  options: Readonly<Record<string, unknown>> = {},
): Promise<Network> {
  let net = await resolveWorkload(registry, workload, { ...options, batch, precision });
  if (only !== undefined) {
    const all = net;
    net = filterLayers(net, (l) => layerMatchesKind(l, only));
    if (net.layers.length === 0) {
      // The kinds this workload has, and the aliases `layerMatchesKind` accepts that would keep some of its layers.
      const kinds = [...new Set(all.layers.map((l) => l.kind)), ...KIND_ALIASES.filter((a) => all.layers.some((l) => layerMatchesKind(l, a)))].filter((k) => k !== 'flatten');
      throw new TrimUserError(`--only ${only}: workload ${workload} has no layers of that kind${didYouMean(only, kinds)}; its kinds: ${kinds.join(', ')}`, {
        field: '--only',
        fix: `use one of: ${kinds.join(', ')}`,
      });
    }
  }
  return net;
}

/** What a phase model asks of every workload it runs on (decode: a one-token step; training: dropout layers). */
export function phaseWorkloadOptions(registry: Registry, phase: string): Readonly<Record<string, unknown>> {
  return registry.phaseModels.has(phase) ? (registry.phaseModels.get(phase).workloadOptions ?? {}) : {};
}

/** The ops of one step of a network under a phase model (options from the registry, the run's on top). */
export function phaseOps(registry: Registry, phase: string, net: Network, batch: number, options: Readonly<Record<string, unknown>> = {}): Op[] {
  const pm = registry.phaseModels.get(phase);
  const config = registry.configOf('phase', pm, { ...options, batch });
  try {
    return pm.ops(net, config);
  } catch (e) {
    if (e instanceof Error && (e.name === 'TrimUserError' || e.name === 'TrimInternalError')) throw e;
    throw new TrimUserError(`phase model ${phase}: ${e instanceof Error ? e.message : String(e)}`, { field: '--phase' });
  }
}

/** Resolve → phase → map → cost → schedule → check, for one request. */
export async function evaluateRequest(registry: Registry, r: EvalRequest): Promise<EvalResult> {
  const batch = r.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new TrimUserError(`--batch ${batch}: expected a positive integer`, { field: '--batch' });
  const sets = r.energyTable !== undefined ? [...(r.sets ?? []), `energyTable=${resolvePath(r.energyTable)}`] : (r.sets ?? []);
  const architecture = resolveArchitecture(registry, r.arch, sets);
  const hw = architecture.model;
  const precision = r.precision === undefined ? hw.precision : checkPrecision(r.precision, '--precision');
  const phase = r.phase ?? 'inference';
  const net = await loadNetwork(registry, r.workload, batch, precision, r.only, { ...phaseWorkloadOptions(registry, phase), ...r.workloadOptions });
  const lowered = phaseOps(registry, phase, net, batch, r.phaseOptions);
  const ops = r.zeroFractions ? withInputZeroFractions(lowered, r.zeroFractions) : lowered;
  if (r.mapping !== undefined && r.dataflow !== undefined && r.dataflow !== 'auto') {
    throw new TrimUserError('--mapping and --dataflow both say how to map: give one', { field: '--mapping', fix: 'drop --dataflow (the file fixes the mapping)' });
  }
  const dataflows =
    r.mapping !== undefined
      ? [{ plugin: fixedMappingDataflow(readMappingFile(registry, r.mapping), r.mapping), config: {} }]
      : pickDataflows(registry, architecture.template, r.dataflow ?? 'auto');
  const goal = r.goal ?? hw.mapperGoal ?? 'latency';
  const mapper = checkMapSearch(r.mapper, r.mapperBudget);
  const evaluation = evaluateNetwork(hw, net, ops, dataflows, {
    goal,
    mapper,
    interlayer: r.interlayer ?? r.only === undefined,
    ...(r.fusion !== undefined ? { fusion: checkFusion(r.fusion, '--fusion') } : {}),
    ...(r.includeMapping ? { includeMapping: true } : {}),
    ...(r.mapping !== undefined ? { memo: false } : {}),
    onPluginError: registry.onPluginError,
    ...(r.warn ? { warn: r.warn } : {}),
    ...(r.onProgress ? { onProgress: r.onProgress } : {}),
  });
  return {
    ...evaluation,
    workload: r.workload,
    arch: hw.name,
    template: architecture.template,
    phase,
    batch,
    precision,
    goal,
    clockMHz: hw.clockMHz,
    dataflows: dataflows.map((d) => d.plugin.name),
    hardware: hw,
    architecture,
  };
}

import { summarize, type PointRecord, type RunHeader } from '@trim-dse/core';
import type { EvalDocument } from '../eval-output.js';

/** One explored point as the Pareto scatter plots it; hardware parameters as p0, p1, … (their names have dots). */
export interface PointRow {
  point: number;
  seconds: number;
  energyUj: number;
  status: 'Pareto front' | 'dominated' | 'infeasible';
  config: string;
  [param: `p${number}`]: string | number | boolean;
}

export interface ExploreRows {
  readonly points: PointRow[];
  /** Parameter path of p0, p1, … */
  readonly params: string[];
  readonly evaluated: number;
  readonly feasible: number;
  readonly best: PointRecord | undefined;
}

/** Points with totals (feasible, or infeasible by a constraint after evaluation): on the front, dominated, or infeasible. */
export function exploreRows(header: RunHeader, records: readonly PointRecord[]): ExploreRows {
  const summary = summarize({ goal: header.goal, space: header.space, search: header.search }, records);
  const front = new Set(summary.pareto.map((p) => p.index));
  const params = header.parameters.map((p) => p.path);
  const points: PointRow[] = [];
  for (const r of [...records].sort((a, b) => a.index - b.index)) {
    if (!r.totals) continue;
    const row: PointRow = {
      point: r.index,
      seconds: r.totals.seconds,
      energyUj: r.totals.energyPj * 1e-6,
      status: r.status !== 'ok' ? 'infeasible' : front.has(r.index) ? 'Pareto front' : 'dominated',
      config: params.map((p) => `${p}=${String(r.hardware[p])}`).join(' '),
    };
    params.forEach((p, i) => {
      row[`p${i}`] = r.hardware[p];
    });
    points.push(row);
  }
  const best = summary.best ? records.find((r) => r.index === summary.best?.index) : undefined;
  return { points, params, evaluated: summary.evaluated, feasible: summary.feasible, best };
}

export interface OpRow {
  op: string;
  layer: string;
  /** The layer's kind (`conv2d`, `norm`, …): every op of a layer has its layer's kind. */
  kind: string;
  phase: string;
  dataflow: string;
  macs: number;
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  utilizationPct: number;
}

export interface EnergyRow {
  op: string;
  layer: string;
  kind: string;
  phase: string;
  dataflow: string;
  component: string;
  energyUj: number;
}

export interface EvalRows {
  readonly ops: OpRow[];
  readonly energy: EnergyRow[];
  /** Layers in network order (first appearance). */
  readonly layers: string[];
  readonly phases: string[];
  /** Layer kinds and dataflows in order of first appearance. */
  readonly kinds: string[];
  readonly dataflows: string[];
  /** Energy components in display order: mac, alu, memory levels innermost first, then the rest. */
  readonly components: string[];
  readonly memoryLevels: string[];
}

/** An op's layer: training ops are named `<layer>:<phase tag>`. */
export const layerOf = (opName: string): string => opName.split(':')[0];

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

/** Documents from other writers may lack `layerKind` (the reader does not require it). */
const kindOf = (l: { layerKind?: unknown }): string => (typeof l.layerKind === 'string' ? l.layerKind : 'unknown');

export function evalRows(r: EvalDocument): EvalRows {
  const ops: OpRow[] = r.layers.map((l) => ({
    op: l.name,
    layer: layerOf(l.name),
    kind: kindOf(l),
    phase: l.phase,
    dataflow: l.dataflow,
    macs: l.macs,
    cycles: l.cycles,
    computeCycles: l.computeCycles,
    stallCycles: l.stallCycles,
    utilizationPct: l.utilization * 100,
  }));
  const memoryLevels = unique(r.layers.flatMap((l) => Object.keys(l.accesses ?? {})));
  const seen = unique(r.layers.flatMap((l) => Object.keys(l.energyPj))).filter((c) => c !== 'total');
  const components = unique([...['mac', 'alu', ...memoryLevels].filter((c) => seen.includes(c)), ...seen]);
  const energy: EnergyRow[] = [];
  for (const l of r.layers) {
    for (const c of components) {
      const pj = l.energyPj[c];
      if (pj) energy.push({ op: l.name, layer: layerOf(l.name), kind: kindOf(l), phase: l.phase, dataflow: l.dataflow, component: c, energyUj: pj * 1e-6 });
    }
  }
  return {
    ops,
    energy,
    layers: unique(ops.map((o) => o.layer)),
    phases: unique(ops.map((o) => o.phase)),
    kinds: unique(ops.map((o) => o.kind)),
    dataflows: unique(ops.map((o) => o.dataflow)),
    components,
    memoryLevels,
  };
}

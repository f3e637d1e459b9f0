import {
  applySets,
  Evaluator,
  filterLayers,
  Grid,
  layerMatchesKind,
  mapperGoal,
  parseWith,
  resolveWorkload,
  summarize,
  totalMacUnits,
  totalsOf,
  type PointRecord,
  type Registry,
  type RunHeader,
} from '@trim-dse/core';
import type { EvalResult } from '../eval-output.js';

/**
 * Re-evaluates the best point of an explore run layer by layer (results files keep totals only), as `trim eval`
 * would on that point's architecture: one EvalResult per workload of the run. Empty when no point is feasible.
 */
export async function bestPointEvals(registry: Registry, header: RunHeader, records: readonly PointRecord[]): Promise<EvalResult[]> {
  const best = summarize({ goal: header.goal, space: header.space, search: header.search }, records).best;
  if (!best) return [];
  const where = `${header.space} point ${best.index}`;
  const template = registry.hardware.get(header.template);
  const raw = applySets(header.base, new Grid(header.parameters).setsAt(best.index));
  const hw = template.build(parseWith(template.configSchema, raw, where), `${header.space}#${best.index}`);
  const dataflows = header.dataflows
    .map((name) => registry.dataflows.get(name))
    .filter((plugin) => plugin.templates === '*' || plugin.templates.includes(hw.template))
    .map((plugin) => ({ plugin, config: plugin.configSchema ? parseWith(plugin.configSchema, {}, `dataflow ${plugin.name}`) : {} }));
  const evaluator = new Evaluator(hw, dataflows, mapperGoal(header.goal));
  const out: EvalResult[] = [];
  for (const w of header.workloads) {
    let net = await resolveWorkload(registry, w.workload, { batch: w.batch });
    const only = w.only;
    if (only) net = filterLayers(net, (l) => layerMatchesKind(l, only));
    const pm = registry.phaseModels.get(w.phase);
    const ops = pm.ops(net, pm.configSchema ? parseWith(pm.configSchema, {}, `phase ${w.phase}`) : {});
    const layers = ops.map((op) => evaluator.evaluateOp(op));
    out.push({ workload: w.workload, arch: hw.name, phase: w.phase, batch: w.batch, totals: totalsOf(layers, hw, totalMacUnits(hw)), layers });
  }
  return out;
}

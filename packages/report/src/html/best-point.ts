import { applySets, evaluateNetwork, Evaluator, Grid, loadNetwork, mapperGoal, parseWith, phaseOps, phaseWorkloadOptions, summarize, type PointRecord, type Registry, type RunHeader } from '@trim-dse/core';
import type { EvalReport } from '../eval-output.js';

/**
 * Re-evaluates the best point of an explore run layer by layer (results files keep totals only) through the one
 * evaluation path, exactly as `trim explore` evaluated it (core `evaluatePoint`): the run's plug-in options, each
 * workload at its precision (else the point's native word), map → cost → schedule → check with hand-off on for
 * whole networks. One report per workload of the run; empty when no point is feasible.
 */
export async function bestPointEvals(registry: Registry, header: RunHeader, records: readonly PointRecord[]): Promise<EvalReport[]> {
  const best = summarize({ goal: header.goal, space: header.space, search: header.search }, records).best;
  if (!best) return [];
  for (const [target, values, from] of header.pluginOptions ?? []) registry.setOptions(target, { ...values }, from);
  const where = `${header.space} point ${best.index}`;
  const template = registry.hardware.get(header.template);
  const raw = applySets(header.base, new Grid(header.parameters).setsAt(best.index));
  const hw = template.build(parseWith(template.configSchema, raw, where), `${header.space}#${best.index}`);
  const dataflows = header.dataflows
    .map((name) => registry.dataflows.get(name))
    .filter((plugin) => plugin.templates === '*' || plugin.templates.includes(hw.template))
    .map((plugin) => ({ plugin, config: registry.configOf('dataflow', plugin) }));
  const goal = mapperGoal(header.goal);
  // The run's mapper (`--mapper`, `--mapper-budget`), so the report re-prices the mappings explore found.
  const mapper = header.mapper ? { mode: header.mapper.mode, budget: header.mapper.budget ?? Infinity } : undefined;
  // The fusion mode the point kept (a space may list several), else explore's default.
  const fusion = records.find((r) => r.index === best.index)?.fusion;
  const evaluator = new Evaluator(hw, dataflows, goal, { onPluginError: registry.onPluginError, ...(mapper ? { mapper } : {}) });
  const out: EvalReport[] = [];
  for (const w of header.workloads) {
    const precision = w.precision ?? hw.precision;
    const net = await loadNetwork(registry, w.workload, w.batch, precision, w.only, phaseWorkloadOptions(registry, w.phase));
    const ops = phaseOps(registry, w.phase, net, w.batch);
    const r = evaluateNetwork(hw, net, ops, dataflows, { goal, interlayer: w.only === undefined, evaluator, ...(mapper ? { mapper } : {}), ...(fusion ? { fusion } : {}) });
    out.push({
      workload: w.workload,
      arch: hw.name,
      template: header.template,
      clockMHz: hw.clockMHz,
      phase: w.phase,
      batch: w.batch,
      precision,
      goal,
      totals: r.totals,
      layers: r.layers,
      interlayer: r.interlayer,
    });
  }
  return out;
}

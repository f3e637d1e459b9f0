import {
  Evaluator,
  filterLayers,
  inPlugin,
  layerMatchesKind,
  parseWith,
  resolveArchitecture,
  readZeroFractions,
  resolveWorkload,
  withInputZeroFractions,
  scheduleNetwork,
  scheduleSummary,
  totalMacUnits,
  totalsOf,
  TrimUserError,
  type DataflowChoice,
  type Goal,
  type Registry,
} from '@trim-dse/core';
import { evalCsv, evalJson, evalTables } from '@trim-dse/report';
import { positiveInt, registryFor } from './shared.js';

export function pickDataflows(registry: Registry, template: string, id: string): DataflowChoice[] {
  const parse = (plugin: DataflowChoice['plugin']): DataflowChoice => ({
    plugin,
    config: plugin.configSchema ? parseWith(plugin.configSchema, {}, `dataflow ${plugin.name}`) : {},
  });
  if (id === 'auto') return registry.dataflowsFor(template).map(parse);
  const plugin = registry.dataflows.get(id);
  if (plugin.templates !== '*' && !plugin.templates.includes(template)) {
    throw new TrimUserError(`dataflow ${id} does not apply to template ${template} (it supports: ${plugin.templates.join(', ')})`, {
      field: '--dataflow',
      fix: `pick one of: ${registry.dataflowsFor(template).map((d) => d.name).join(', ') || 'none'}, or auto`,
    });
  }
  return [parse(plugin)];
}

export async function run(opts: Record<string, unknown>, globals: Record<string, unknown>): Promise<void> {
  const registry = await registryFor(globals);
  const batch = positiveInt(opts.batch, '--batch');
  const arch = resolveArchitecture(registry, String(opts.arch), opts.set as string[]);
  let net = await resolveWorkload(registry, String(opts.workload), { batch });
  if (typeof opts.only === 'string') {
    const kind = opts.only;
    net = filterLayers(net, (l) => layerMatchesKind(l, kind));
    if (net.layers.length === 0) throw new TrimUserError(`--only ${kind}: workload ${String(opts.workload)} has no layers of that kind`, { field: '--only' });
  }
  const phaseName = String(opts.phase);
  const phase = registry.phaseModels.get(phaseName);
  const rawPhase: Record<string, unknown> = { batch };
  for (const [flag, key] of [['optimizer', 'optimizer'], ['recompute', 'recompute'], ['mixed', 'mixed'], ['weightGradient', 'weightGradient']] as const) {
    if (opts[flag] === undefined) continue;
    if (phaseName !== 'training') throw new TrimUserError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies only with --phase training`, { field: `--${flag}` });
    rawPhase[key] = opts[flag];
  }
  const phaseConfig = phase.configSchema ? parseWith(phase.configSchema, rawPhase, `phase ${phaseName}`) : rawPhase;
  const lowered = inPlugin(`phase model ${phaseName}`, () => phase.ops(net, phaseConfig));
  const ops = typeof opts.zeroFractions === 'string' ? withInputZeroFractions(lowered, readZeroFractions(opts.zeroFractions)) : lowered;
  const dataflows = pickDataflows(registry, arch.template, String(opts.dataflow));
  const evaluator = new Evaluator(arch.model, dataflows, opts.goal as Goal, {
    includeMapping: opts.mapping === true,
    onPluginError: registry.onPluginError,
    warn: (m) => process.stderr.write(`trim: warning: ${m}\n`),
  });
  const perOp = ops.map((op) => evaluator.evaluateOp(op));
  // Inter-layer hand-off is on for whole networks; with --only the kept layers are not adjacent, so off.
  const interlayer = (opts.interlayer ?? (typeof opts.only === 'string' ? 'off' : 'on')) === 'on';
  const schedule = scheduleNetwork(net, ops, perOp, arch.model, { policy: interlayer ? 'on-chip-handoff' : 'layer-by-layer' });
  const layers = schedule.results;
  const totals = totalsOf(layers, arch.model, totalMacUnits(arch.model));
  const result = { workload: String(opts.workload), arch: arch.model.name, phase: phaseName, batch, totals, layers, interlayer: scheduleSummary(schedule) };
  const out = opts.format === 'json' ? evalJson(result) : opts.format === 'csv' ? evalCsv(result) : evalTables(result, dataflows.length > 1);
  process.stdout.write(out);
}

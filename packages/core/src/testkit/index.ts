/**
 * Conformance kit for plug-in authors: call these from your own vitest file. Each check throws with a message
 * naming the plug-in and the broken rule; they use no test framework themselves.
 */
import { bestMapping, type Goal } from '../evaluate.js';
import { Cost } from '../cost.js';
import { TrimInternalError } from '../errors.js';
import { totalMacUnits, type HardwareModel } from '../hardware.js';
import { checkCost } from '../invariants.js';
import { copyMapping, type Mapping } from '../mapping.js';
import { macOp, type MacOp } from '../op.js';
import type { DataflowPlugin, Plugin } from '../plugin.js';
import { Registry } from '../registry.js';

/** Small ops of the usual kinds (conv, strided conv, depthwise, GEMM) to exercise a dataflow. */
export function sampleOps(): MacOp[] {
  const ops = (tag: string, b: Parameters<typeof macOp>[0]['bounds'], stride = 1): MacOp =>
    macOp({
      name: tag,
      layer: tag,
      layerKind: 'conv2d',
      phase: 'forward',
      bounds: b,
      strideH: stride,
      strideW: stride,
      operands: [
        { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
        { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
      ],
    });
  return [
    ops('conv3x3', { K: 16, C: 8, P: 8, Q: 8, R: 3, S: 3 }),
    ops('conv-stride2', { K: 8, C: 4, P: 5, Q: 5, R: 3, S: 3 }, 2),
    ops('depthwise', { G: 8, P: 6, Q: 6, R: 3, S: 3 }),
    ops('gemm', { K: 24, C: 40, P: 10 }),
    ops('pointwise-batch', { N: 2, K: 12, C: 12, P: 4, Q: 4 }),
  ];
}

function check(ok: boolean, plugin: string, why: string): void {
  if (!ok) throw new TrimInternalError(`dataflow ${plugin}: ${why}`);
}

/**
 * Checks a dataflow on a hardware model: it maps the sample ops (or yours), every emitted mapping is evaluated
 * without exceptions, the best one obeys the invariants (MACs conserved, compulsory traffic, cycles ≥ MACs / PEs,
 * energy = Σ components), and the search is deterministic.
 */
export function checkDataflow(plugin: DataflowPlugin<unknown>, hw: HardwareModel, options: { ops?: MacOp[]; config?: unknown; goal?: Goal } = {}): void {
  check(typeof plugin.name === 'string' && plugin.name.length > 0, '(unnamed)', 'needs a name');
  check(plugin.templates === '*' || plugin.templates.includes(hw.template), plugin.name, `does not list template ${hw.template}`);
  const config = options.config ?? (plugin.configSchema ? plugin.configSchema.parse({}) : {});
  const goal = options.goal ?? 'latency';
  for (const op of options.ops ?? sampleOps()) {
    if (plugin.supports && !plugin.supports(op, hw)) continue;
    const first = bestMapping(op, hw, { plugin, config }, goal);
    check('mapping' in first, plugin.name, `found no legal mapping for ${op.name}: ${'reason' in first ? first.reason : ''}`);
    if (!('mapping' in first)) return;
    checkCost(op, hw, first.cost);
    check(first.cost.cycles >= op.macs / totalMacUnits(hw), plugin.name, `${op.name}: cycles below MACs / PEs`);
    const again = bestMapping(op, hw, { plugin, config }, goal);
    check('mapping' in again && again.cost.cycles === first.cost.cycles && again.cost.energyPj === first.cost.energyPj, plugin.name, `${op.name}: two searches disagree (non-deterministic)`);
  }
}

/** Every emitted mapping of an op, copied (for tests that inspect the mapspace). */
export function collectMappings(plugin: DataflowPlugin<unknown>, op: MacOp, hw: HardwareModel, config: unknown = {}): Mapping[] {
  const out: Mapping[] = [];
  // Every candidate the mapspace allows, each ranked equal (nothing is priced here).
  plugin.mapspace(
    op,
    hw,
    (m) => {
      out.push(copyMapping(m));
      return 0;
    },
    config,
    { mode: 'exhaustive', budget: Infinity },
  );
  return out;
}

/** A plug-in registers cleanly (names unique, built-in architectures build). */
export function checkPlugin(plugin: Plugin): Registry {
  const r = new Registry();
  r.use(plugin);
  for (const h of plugin.hardware ?? []) {
    for (const [name, spec] of Object.entries(h.builtins)) {
      const parsed = h.configSchema.safeParse(spec);
      check(parsed.success, h.name, `built-in ${name} does not satisfy the template schema`);
      if (parsed.success) {
        const hw = h.build(parsed.data, name);
        check(hw.levels.length >= 1, h.name, `built-in ${name} needs at least a backing store`);
        const cost = new Cost(hw.levels.length);
        check(cost.levels === hw.levels.length, h.name, 'cost buffer mismatch');
      }
    }
  }
  return r;
}
export { engineTestModel, memoryLevel, spatialTestModel, systolicTestModel, type SpatialTestOptions } from './models.js';
export { checkSearch, searchVsOptimum } from './search.js';

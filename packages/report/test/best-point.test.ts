import { corePlugin, createPointContext, defineDataflow, definePlugin, defineWorkloadSource, evaluatePoint, NetworkBuilder, Registry, tiledMapspace, type RunHeader } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { bestPointEvals, renderHtmlReport } from '../src/index.js';
import { header, records } from './fixtures.js';

/** A registry of core only plus a stand-in dataflow and workload (the report plug-in imports no other plug-in). */
function registry(): Registry {
  const ws = defineDataflow({
    name: 'ws',
    description: 'test stand-in',
    templates: ['generic'],
    mapspace: (op, hw, emit) => tiledMapspace(op, hw, { spatialX: ['K'], spatialY: ['C'], peOrder: ['N', 'P', 'Q'], outerOrders: [['K', 'C', 'R', 'S', 'N', 'P', 'Q']] }, emit),
  });
  const tiny = defineWorkloadSource({
    name: 'tiny',
    description: 'one conv',
    builtins: ['tiny'],
    load: (_ref, { batch, precision }) => {
      const b = new NetworkBuilder('tiny', precision);
      b.relu('relu', b.conv('conv', b.input('x', [batch, 16, 10, 10]), { outChannels: 16, kernel: 3 }));
      return b.build();
    },
  });
  return new Registry().use(corePlugin).use(definePlugin({ name: 'test', dataflows: [ws], workloadSources: [tiny] }));
}

const tinyRun: RunHeader = { ...header, workloads: [{ workload: 'tiny', batch: 2, phase: 'inference', weight: 1 }] };

describe('bestPointEvals', () => {
  it("re-evaluates the best point's architecture layer by layer, with the run's assumptions", async () => {
    const [r, ...rest] = await bestPointEvals(registry(), tinyRun, records);
    expect(rest).toEqual([]);
    expect(r.arch).toBe('toy-sweep#2');
    expect([r.template, r.clockMHz, r.precision, r.goal]).toEqual(['generic', 500, 'int16', 'latency']);
    expect(r.layers.map((l) => l.name)).toEqual(['conv', 'relu']);
    // 2 images × 16 × 16 × 3·3 × 8·8 outputs.
    expect(r.totals.macs).toBe(2 * 16 * 16 * 9 * 64);
    // Point 2 has a 16-wide array: 16 × 16 MAC units.
    expect(r.totals.utilization).toBeCloseTo(r.totals.macs / (r.totals.cycles * 256), 12);
  });

  it('gives the totals trim explore computes for that point (the same pipeline, hand-off included)', async () => {
    const reg = registry();
    const [r] = await bestPointEvals(reg, tinyRun, records);
    const space = { name: tinyRun.space, description: '', template: tinyRun.template, base: 'generic-16x16', parameters: tinyRun.parameters };
    const ctx = await createPointContext(reg, { space, baseSpec: tinyRun.base, workloads: tinyRun.workloads, goal: tinyRun.goal, constraints: {}, dataflows: tinyRun.dataflows });
    const point = await evaluatePoint(ctx, 2);
    expect(point.status).toBe('ok');
    expect(r.totals).toEqual(point.totals);
    expect(r.interlayer?.policy).toBe('on-chip-handoff');
  });

  it("follows the run's mapper and the fusion mode the point kept, as explore priced it", async () => {
    const reg = registry();
    const mapper = { mode: 'exhaustive' as const, budget: 3 };
    const space = { name: tinyRun.space, description: '', template: tinyRun.template, base: 'generic-16x16', parameters: tinyRun.parameters, fusion: ['none' as const] };
    const ctx = await createPointContext(reg, { space, baseSpec: tinyRun.base, workloads: tinyRun.workloads, goal: tinyRun.goal, constraints: {}, dataflows: tinyRun.dataflows, mapper });
    const point = await evaluatePoint(ctx, 2);
    const kept = records.map((rec) => (rec.index === 2 ? { ...rec, fusion: 'none' as const } : rec));
    const [r] = await bestPointEvals(reg, { ...tinyRun, mapper }, kept);
    expect(r.totals).toEqual(point.totals);
    // Three candidates per op and an unfused ReLU: not what the default run gives.
    const [plain] = await bestPointEvals(reg, tinyRun, records);
    expect(plain.totals).not.toEqual(r.totals);
  });

  it('evaluates a workload at the precision the run gave it', async () => {
    const run: RunHeader = { ...tinyRun, workloads: [{ ...tinyRun.workloads[0], precision: 'fp32' }] };
    const [r16] = await bestPointEvals(registry(), tinyRun, records);
    const [r32] = await bestPointEvals(registry(), run, records);
    expect(r32.precision).toBe('fp32');
    expect(r32.totals.macs).toBe(r16.totals.macs);
    expect(r32.totals.dramBytes).toBeGreaterThan(r16.totals.dramBytes);
  });

  it('gives nothing when no point is feasible', async () => {
    expect(await bestPointEvals(registry(), header, records.filter((p) => p.status !== 'ok'))).toEqual([]);
  });

  it('keeps the report when the best point cannot be re-evaluated here, saying why', async () => {
    const html = await renderHtmlReport([{ kind: 'explore', path: 'r.jsonl', header: { ...header, workloads: [{ workload: 'gone.onnx', batch: 1, phase: 'inference', weight: 1 }] }, records }], { registry: registry() });
    expect(html).toContain('Per-layer plots unavailable: unknown workload &quot;gone.onnx&quot;');
    expect(html).toContain('id="pareto-0"');
  });
});

import { corePlugin, defineDataflow, definePlugin, defineWorkloadSource, NetworkBuilder, Registry, tiledMapspace } from '@trim-dse/core';
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
    load: (_ref, { batch }) => {
      const b = new NetworkBuilder('tiny');
      b.relu('relu', b.conv('conv', b.input('x', [batch, 16, 10, 10]), { outChannels: 16, kernel: 3 }));
      return b.build();
    },
  });
  return new Registry().use(corePlugin).use(definePlugin({ name: 'test', dataflows: [ws], workloadSources: [tiny] }));
}

describe('bestPointEvals', () => {
  it("re-evaluates the best point's architecture layer by layer", async () => {
    const [r, ...rest] = await bestPointEvals(registry(), { ...header, workloads: [{ workload: 'tiny', batch: 2, phase: 'inference', weight: 1 }] }, records);
    expect(rest).toEqual([]);
    expect(r.arch).toBe('toy-sweep#2');
    expect(r.layers.map((l) => l.name)).toEqual(['conv', 'relu']);
    // 2 images × 16 × 16 × 3·3 × 8·8 outputs.
    expect(r.totals.macs).toBe(2 * 16 * 16 * 9 * 64);
    // Point 2 has a 16-wide array: 16 × 16 MAC units.
    expect(r.totals.utilization).toBeCloseTo(r.totals.macs / (r.totals.cycles * 256), 12);
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

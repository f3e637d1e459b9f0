import { bestMapping, Cost, corePlugin, definePlugin, engineCostModel, evaluateRequest, Illegal, Registry, withCostModel, type MacOp } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import spatial from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';
import nvdlaPlugin, { nvdlaDataflow } from '../../../examples/nvdla-dataflow/src/index.js';

/**
 * The NVDLA example (docs/plugins.md) on Eyeriss. Before the template owned its cost, an outside dataflow was priced
 * by the bare engine: no bank split, no spad staging, no per-receiver NoC. Its best mappings then broke the GLB's
 * bank rule on CONV1, CONV2 and CONV5 and "beat" row stationary (24.1 vs 28.6 mJ, dense, goal energy, batch 4).
 */
describe('an outside dataflow on eyeriss gets the template’s effects and legality', () => {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(rsPlugin).use(nvdlaPlugin);
  const request = { arch: 'eyeriss', workload: 'alexnet', only: 'conv', batch: 4, goal: 'energy' } as const;

  it('rejects the mappings the bank rule forbids: the bare engine’s best on CONV1, CONV2 and CONV5', async () => {
    const r = await evaluateRequest(registry, { ...request, dataflow: 'nvdla' });
    const hw = r.hardware;
    const bare = withCostModel({ ...hw }, engineCostModel);
    const config = registry.configOf('dataflow', nvdlaDataflow);
    const illegal: string[] = [];
    for (const c of r.costs) {
      const op = c.form as MacOp;
      const engineBest = bestMapping(op, bare, { plugin: nvdlaDataflow, config }, 'energy');
      if (!('mapping' in engineBest)) throw new Error(engineBest.reason);
      const priced = hw.cost.evaluate(op, engineBest.mapping, new Cost(hw.levels.length));
      if (!priced.legal) {
        expect(priced.illegal).toBe(Illegal.Capacity);
        expect(hw.levels[priced.illegalLevel].name).toBe('glb');
        illegal.push(op.layer);
      } else {
        // Legal by both: the template's effects (staging, per-receiver NoC, psums up) cost more than the bare engine.
        expect(priced.energyPj).toBeGreaterThan(engineBest.cost.energyPj);
      }
      // What the pipeline reports for NVDLA is legal by the template's own check.
      expect(hw.cost.check(op, c.mapping!, new Cost(hw.levels.length)).legal).toBe(true);
    }
    expect(illegal).toEqual(['CONV1', 'CONV2', 'CONV5']);
  });

  it('costs NVDLA above row stationary, so `--dataflow auto` keeps rs on every layer', async () => {
    const rs = await evaluateRequest(registry, { ...request, dataflow: 'rs' });
    const nvdla = await evaluateRequest(registry, { ...request, dataflow: 'nvdla' });
    // 28.64 mJ before row stationary offered only the placements that fill the array as Eyeriss does (issue 13).
    expect(rs.totals.energyPj / 1e9).toBeCloseTo(29.2, 1);
    expect(nvdla.totals.energyPj / 1e9).toBeCloseTo(59.0, 0);
    const auto = await evaluateRequest(registry, { ...request, dataflow: 'auto' });
    expect(auto.layers.map((l) => l.dataflow)).toEqual(['rs', 'rs', 'rs', 'rs', 'rs']);
    expect(auto.totals.energyPj).toBe(rs.totals.energyPj);
  });

  it('is loaded like any plug-in and costed like a built-in one', () => {
    expect(definePlugin(nvdlaPlugin).dataflows?.map((d) => d.name)).toEqual(['nvdla']);
    expect('evaluate' in nvdlaDataflow).toBe(false);
  });
});

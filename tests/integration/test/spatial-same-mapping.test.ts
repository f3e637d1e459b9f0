import {
  bestMapping,
  copyMapping,
  Cost,
  corePlugin,
  defineDataflow,
  definePlugin,
  evaluateRequest,
  Registry,
  type DataflowPlugin,
  type MacOp,
  type Mapping,
} from '@trim-dse/core';
import rsPlugin, { rowStationary, rsSchema } from '@trim-dse/dataflow-rs';
import spatial, { buildSpatial, eyerissSpec, spatialSchema } from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';
import { nvdlaDataflow, nvdlaSchema } from '../../../examples/nvdla-dataflow/src/index.js';

/** An outside dataflow that allows exactly one mapping: whatever it was given. */
function onlyMapping(name: string, given: Mapping): DataflowPlugin<unknown> {
  return defineDataflow<unknown>({ name, description: 'test: one fixed mapping', templates: ['spatial'], mapspace: (_op, _hw, emit) => emit(copyMapping(given)) });
}

/** Every field a cost model writes. */
function fields(c: Cost): Record<string, unknown> {
  return {
    illegal: c.illegal, macs: c.macs, paddedMacs: c.paddedMacs, computeCycles: c.computeCycles, overheadCycles: c.overheadCycles,
    stallCycles: c.stallCycles, cycles: c.cycles, utilization: c.utilization, reads: [...c.reads], writes: [...c.writes],
    readBytes: [...c.readBytes], writeBytes: [...c.writeBytes], instances: [...c.instances], footprintBytes: [...c.footprintBytes],
    levelCycles: [...c.levelCycles], levelEnergyPj: [...c.levelEnergyPj], macEnergyPj: c.macEnergyPj, aluEnergyPj: c.aluEnergyPj,
    networkEnergyPj: c.networkEnergyPj, leakageEnergyPj: c.leakageEnergyPj, energyPj: c.energyPj, dramBytes: c.dramBytes,
  };
}

const eyeriss = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');

async function alexnetConvOps(batch: number): Promise<MacOp[]> {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(rsPlugin);
  const r = await evaluateRequest(registry, { arch: 'eyeriss', workload: 'alexnet', only: 'conv', batch, dataflow: 'rs', zeroFractions: { CONV2: 0.387, CONV3: 0.725, CONV4: 0.793, CONV5: 0.776 } });
  return r.costs.map((c) => c.form as MacOp);
}

describe('the spatial template prices a mapping the same under any dataflow', () => {
  it('a dataflow emitting exactly rs’s best mapping gets rs’s Cost, field for field (sparse AlexNet, every effect on)', async () => {
    const ops = await alexnetConvOps(1);
    for (const op of ops) {
      const rs = bestMapping(op, eyeriss, { plugin: rowStationary, config: rsSchema.parse({ maxCandidates: 4 }) }, 'edp');
      if (!('mapping' in rs)) throw new Error(rs.reason);
      const mine = bestMapping(op, eyeriss, { plugin: onlyMapping('mine', rs.mapping), config: {} }, 'edp');
      if (!('mapping' in mine)) throw new Error(mine.reason);
      expect(fields(mine.cost), op.layer).toEqual(fields(rs.cost));
      expect(mine.cost.networkEnergyPj).toBeGreaterThan(0);
    }
  });

  it('the same holds for an outside dataflow (the NVDLA example) against a one-mapping dataflow', async () => {
    const [conv1, , conv3] = await alexnetConvOps(1);
    for (const op of [conv1, conv3]) {
      const nv = bestMapping(op, eyeriss, { plugin: nvdlaDataflow, config: nvdlaSchema.parse({ maxCandidates: 4 }) }, 'energy');
      if (!('mapping' in nv)) throw new Error(nv.reason);
      const mine = bestMapping(op, eyeriss, { plugin: onlyMapping('mine', nv.mapping), config: {} }, 'energy');
      if (!('mapping' in mine)) throw new Error(mine.reason);
      expect(fields(mine.cost), op.layer).toEqual(fields(nv.cost));
      // And it is the template's price: what `hw.cost.evaluate` gives that mapping directly.
      expect(fields(eyeriss.cost.evaluate(op, nv.mapping, new Cost(3)))).toEqual(fields(nv.cost));
    }
  });

  it('through the whole pipeline: an outside plug-in’s dataflow reports what rs reports for the same mappings', async () => {
    const ops = await alexnetConvOps(1);
    const config = rsSchema.parse({ maxCandidates: 4 });
    const rsBest = ops.map((op) => {
      const r = bestMapping(op, eyeriss, { plugin: rowStationary, config }, 'latency');
      if (!('mapping' in r)) throw new Error(r.reason);
      return r.mapping;
    });
    // One outside dataflow that replays rs's winning mapping of each layer.
    const replay = defineDataflow<unknown>({
      name: 'replay',
      description: 'test: rs’s winners, from outside',
      templates: ['spatial'],
      mapspace: (op, _hw, emit) => emit(rsBest[ops.findIndex((o) => o.key === op.key)]),
    });
    const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(rsPlugin).use(definePlugin({ name: 'outside', dataflows: [replay] }));
    registry.setOptions('rs', { maxCandidates: 4 }, 'test');
    // The goal rs's winners were picked by (eyeriss's own mapper goal, energy, would pick others).
    const request = { arch: 'eyeriss', workload: 'alexnet', only: 'conv', batch: 1, goal: 'latency', zeroFractions: { CONV2: 0.387, CONV3: 0.725, CONV4: 0.793, CONV5: 0.776 } } as const;
    const a = await evaluateRequest(registry, { ...request, dataflow: 'rs' });
    const b = await evaluateRequest(registry, { ...request, dataflow: 'replay' });
    expect(b.totals).toEqual(a.totals);
    expect(b.layers.map((l) => ({ ...l, dataflow: 'x' }))).toEqual(a.layers.map((l) => ({ ...l, dataflow: 'x' })));
  });
});

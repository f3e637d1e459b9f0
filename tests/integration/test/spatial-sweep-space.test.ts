import { corePlugin, evaluateRequest, Registry, resolveArchitecture } from '@trim-dse/core';
import dataflowRs from '@trim-dse/dataflow-rs';
import spatial, { spatialSweep } from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/** The `spatial-sweep` space's `--set` paths are spec fields (in words); the model they build is in bytes. */
describe('spatial-sweep: every swept path reaches the hardware model', () => {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(dataflowRs);

  it('sweeps the paths it names, on eyeriss, with rs', () => {
    expect(Object.keys(spatialSweep.parameters)).toEqual(['array.rows', 'array.cols', 'rf.weightsWords', 'rf.inputsWords', 'rf.outputsWords', 'glb.banks']);
    expect(spatialSweep.base).toBe('eyeriss');
    expect(spatialSweep.dataflows).toEqual(['rs']);
  });

  it('builds the smallest point of every parameter with the sizes it asks for (16-bit words → bytes)', () => {
    const sets = Object.entries(spatialSweep.parameters).map(([path, values]) => `${path}=${String(values[0])}`);
    const [rf, glb] = resolveArchitecture(registry, 'eyeriss', sets).model.levels;
    expect([glb.fanoutY, glb.fanoutX]).toEqual([8, 8]);
    expect(rf.slotCapacityBytes).toEqual([112 * 2, 12 * 2, 16 * 2]);
    expect(glb.slotCapacityBytes).toEqual([8192, 13 * 4096, 13 * 4096]);
  });

  it('evaluates a point of the space through the pipeline', async () => {
    const sets = ['array.rows=16', 'array.cols=16', 'rf.weightsWords=448', 'rf.inputsWords=24', 'rf.outputsWords=32', 'glb.banks=50'];
    registry.setOptions('rs', { maxCandidates: 4 }, 'test');
    const r = await evaluateRequest(registry, { arch: 'eyeriss', sets, workload: 'alexnet', only: 'conv', batch: 1, dataflow: 'rs', goal: 'edp' });
    expect(r.layers).toHaveLength(5);
    expect(r.totals.cycles * 256).toBeGreaterThanOrEqual(r.totals.macs);
  });
});

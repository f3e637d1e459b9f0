import { corePlugin, evaluateNetwork, loadNetwork, phaseOps, pickDataflows, Registry, type HardwareModel } from '@trim-dse/core';
import dataflowIs from '@trim-dse/dataflow-is';
import dataflowNlr from '@trim-dse/dataflow-nlr';
import dataflowOs from '@trim-dse/dataflow-os';
import dataflowRs from '@trim-dse/dataflow-rs';
import dataflowWs from '@trim-dse/dataflow-ws';
import spatial, { buildSpatial, equalAreaNoLocalReuse, eyerissSpec, spatialSchema } from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/**
 * ISCA 2016's comparison at equal storage (AlexNet CONV1–5, dense, batch 4, goal energy): RS on eyeriss, NLR with the
 * spads' bytes as extra GLB banks, WS/OS/IS on eyeriss itself. Every dataflow priced by the same template model.
 */
describe('RS against the other dataflows at equal storage', () => {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(dataflowRs).use(dataflowNlr).use(dataflowWs).use(dataflowOs).use(dataflowIs);
  // A coarser tile search (4 candidates per loop) for every dataflow: keeps the test short.
  for (const name of ['rs', 'nlr', 'ws', 'os', 'is']) registry.setOptions(name, { maxCandidates: 4 }, 'test');
  const eyeriss = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');
  const nlrHw = buildSpatial(spatialSchema.parse(equalAreaNoLocalReuse(eyerissSpec)), 'eyeriss-nlr');

  async function energyPj(hw: HardwareModel, dataflow: string): Promise<number> {
    const net = await loadNetwork(registry, 'alexnet', 4, hw.precision, 'conv');
    const ops = phaseOps(registry, 'inference', net, 4);
    return evaluateNetwork(hw, net, ops, pickDataflows(registry, 'spatial', dataflow), { goal: 'energy', interlayer: false }).totals.energyPj;
  }

  it('moves the 85 KB of scratchpads into 21 more 4 KB buffer banks for NLR', () => {
    expect(nlrHw.levels[1].slotCapacityBytes?.[1]).toBe((25 + 21) * 4096);
    expect(nlrHw.levels[0].holds).toEqual([false, false, false]);
  });

  it('RS needs the least energy', async () => {
    const energies: Record<string, number> = { rs: await energyPj(eyeriss, 'rs'), nlr: await energyPj(nlrHw, 'nlr') };
    for (const d of ['ws', 'os', 'is']) energies[d] = await energyPj(eyeriss, d);
    for (const d of ['nlr', 'ws', 'os', 'is']) expect(energies.rs, `rs vs ${d}`).toBeLessThan(energies[d]);
    console.log(Object.entries(energies).map(([k, v]) => `${k} ${(v / 1e9).toFixed(1)} mJ`).join(', '));
  });
});

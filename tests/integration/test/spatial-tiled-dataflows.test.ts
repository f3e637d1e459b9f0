import { bestMapping, corePlugin, defineDataflow, loadNetwork, phaseOps, Registry, tiledMapspace, type MacOp } from '@trim-dse/core';
import spatial, { buildSpatial, eyerissSpec, spatialSchema } from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/** A weight-stationary spec as a generic tiled dataflow would write it (K across, C down, weights kept in the PE). */
const wsLike = defineDataflow({
  name: 'ws-like',
  description: 'test only',
  templates: ['spatial'],
  mapspace: (op, hw, emit) =>
    tiledMapspace(op, hw, { spatialX: ['K'], spatialY: ['C'], peOrder: ['K', 'C'], outerOrders: [['N', 'K', 'C', 'P', 'Q']], peKeep: [true, false, false], maxCandidates: 4 }, emit),
});

async function conv3(): Promise<MacOp> {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial);
  const net = await loadNetwork(registry, 'alexnet', 1, 'int16', 'conv');
  return phaseOps(registry, 'inference', net, 1).filter((o): o is MacOp => o.kind === 'mac')[2];
}

describe('the spatial model under a generic tiled dataflow', () => {
  const hw = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');

  it('maps AlexNet CONV3 legally on the whole array with the weights in the filter spads', async () => {
    const op = await conv3();
    const r = bestMapping(op, hw, { plugin: wsLike, config: {} }, 'latency');
    if (!('cost' in r)) throw new Error(r.reason);
    expect(r.cost.legal).toBe(true);
    // Every PE holds work (K across the 14 columns, C down the 12 rows) ...
    let pes = 1;
    for (let d = 0; d < 8; d++) pes *= r.mapping.spatialX[8 + d] * r.mapping.spatialY[8 + d];
    expect(pes).toBe(168);
    // ... but each output's partial sum is reduced down the 12-PE column, and the Eyeriss PE adds an arriving psum
    // with its one adder: 11 arrivals per 12 MACs, nearly a cycle of its own per MAC cycle.
    const macCycles = (op.macs + r.cost.paddedMacs) / 168;
    expect(r.cost.overheadCycles / macCycles).toBeGreaterThan(0.85);
    expect(r.cost.computeCycles).toBe(macCycles + r.cost.overheadCycles);
    // The link (2.4 bytes per cycle in the measured setup) overlaps the processing (its own clock domain).
    expect(r.cost.cycles).toBe(Math.ceil(Math.max(r.cost.computeCycles, r.cost.dramBytes / 2.4)));
    // The filter spad holds at most 224 words per PE; nothing else is kept in the PE, so inputs and psums pass
    // through their spads once per MAC use (the template's staging rule).
    expect(r.mapping.keep[1]).toBe(0);
    expect(r.mapping.keep[2]).toBe(0);
    expect(r.cost.writes[1]).toBe(op.macs + r.cost.paddedMacs);
    expect(r.cost.networkEnergyPj).toBeGreaterThan(0);
  });

  it('charges leakage per level when the spec gives it', async () => {
    const op = await conv3();
    const leaky = buildSpatial(spatialSchema.parse({ ...eyerissSpec, glb: { ...eyerissSpec.glb, leakageMw: 10 } }), 'leaky');
    const r = bestMapping(op, leaky, { plugin: wsLike, config: {} }, 'latency');
    if (!('cost' in r)) throw new Error(r.reason);
    // 10 mW × cycles / 200 MHz: mW·µs = nJ → × 1000 pJ.
    expect(r.cost.leakageEnergyPj).toBeCloseTo(((10 * r.cost.cycles) / 200) * 1000, 6);
  });
});

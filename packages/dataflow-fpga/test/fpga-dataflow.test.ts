import {
  bestMapping,
  capabilities,
  checkMapping,
  type Cost,
  engineCostModel,
  evaluate,
  Illegal,
  macOp,
  provide,
  withCostModel,
  type DataflowChoice,
  type DataflowPlugin,
  type HardwareModel,
  type MacOp,
  type Mapping,
} from '@trim-dse/core';
import { checkDataflow, memoryLevel } from '@trim-dse/core/testkit';
import { fpgaEngineCapability, type FpgaEngine, type FpgaEngineFacts } from '@trim-dse/fpga-kit';
import { describe, expect, it } from 'vitest';
import { fpgaDataflow, hasEngine, tileCandidates, ZHANG_ORDER } from '../src/index.js';

const TOO_BIG = 'test: tile above the limit';

/**
 * A stand-in for the fpga template (a dataflow's tests import no template): two levels, the fpga-engine capability,
 * and a cost model that is the core engine plus one rule of its own — at most `maxTile` output pixels per tile
 * (a template rule, so that its reason shows in `explain`).
 */
function engineHw(e: Partial<FpgaEngine> & { Tm: number; Tn: number }, o: { maxTile?: number; stages?: Record<string, FpgaEngine> } = {}): HardwareModel {
  const engine: FpgaEngine = { Tp: 1, Tk: 1, weightBankDepth: 1000, inputBankWords: 1000, outputBankWords: 1000, ...e };
  const facts: FpgaEngineFacts = { organisation: o.stages ? 'layer-pipelined' : 'single-engine', wordBytes: 4, engine, stages: o.stages ?? {} };
  const maxTile = o.maxTile ?? Infinity;
  const rule = (m: Mapping, out: Cost): Cost => (m.temporal[4] * m.temporal[5] * m.spatialX[5] > maxTile ? out.fail(Illegal.Template, 0, -1, TOO_BIG) : out);
  return withCostModel(
    {
      name: 'fpga-test',
      template: 'fpga',
      clockMHz: 100,
      precision: 'fp32',
      levels: [memoryLevel({ name: 'bram', fanoutX: engine.Tm * engine.Tp, fanoutY: engine.Tn * engine.Tk }), memoryLevel({ name: 'dram' })],
      macEnergyPj: 1,
      vectorOpsPerCycle: 1,
      aluEnergyPj: 0.1,
      arrayLevel: 0,
      capabilities: capabilities(provide(fpgaEngineCapability, facts)),
    },
    (hw) => ({
      mappingDetail: 'loop-nest',
      check: (op, m, out) => (checkMapping(op, hw, m, out).legal ? rule(m, out) : out),
      evaluate: (op, m, out) => (checkMapping(op, hw, m, out).legal && rule(m, out).legal ? evaluate(op, hw, m, out) : out),
    }),
  );
}

// M = 4 output channels, N = 2 input channels, 4 × 4 outputs, 3 × 3 kernel, stride 1.
const small: MacOp = macOp({
  name: 'c',
  layer: 'c',
  layerKind: 'conv2d',
  phase: 'forward',
  bounds: { K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 },
  operands: [
    { tensor: 'weights', projection: 'filter', bytes: 4, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes: 4, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes: 4, density: 1 },
  ],
});

const zhangOnly: DataflowChoice = { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'zhang' } };

function collect(op: MacOp, hw: HardwareModel, loopOrders: 'zhang' | 'all'): Array<{ x: Int32Array; y: Int32Array; t: Int32Array; order: Int8Array }> {
  const out: Array<{ x: Int32Array; y: Int32Array; t: Int32Array; order: Int8Array }> = [];
  fpgaDataflow.mapspace(op, hw, (m) => out.push({ x: m.spatialX.slice(), y: m.spatialY.slice(), t: m.temporal.slice(), order: m.order.slice() }), { loopOrders });
  return out;
}

describe('tileCandidates', () => {
  it('the smallest tile for each tile count', () => {
    expect(tileCandidates(5)).toEqual([5, 3, 2, 1]);
    expect(tileCandidates(7)).toEqual([7, 4, 3, 2, 1]);
    expect(tileCandidates(1)).toEqual([1]);
  });
});

describe('fpga-unrolled mapspace', () => {
  it('unrolls K by min(Tm, K) on x and C by min(Tn, C) on y; loops Tr × Tc × R × S in bram and the tiles in dram', () => {
    const ms = collect(small, engineHw({ Tm: 2, Tn: 8 }), 'zhang');
    // Tiles 4, 2, 1 per axis (tileCandidates(4)): 3 × 3 tiles, one order each.
    expect(ms.length).toBe(9);
    for (const m of ms) {
      expect([m.x[2], m.y[3]]).toEqual([2, 2]);
      expect([m.t[6], m.t[7]]).toEqual([3, 3]);
      // dram: ⌈4/2⌉ output-channel tiles, ⌈2/8⌉ = 1 input-channel tile, the plane tiles cover 4 × 4.
      expect([m.t[8 + 2], m.t[8 + 3]]).toEqual([2, 1]);
      expect(m.t[4] * m.t[8 + 4]).toBeGreaterThanOrEqual(4);
      expect(Array.from(m.order.slice(8))).toEqual(ZHANG_ORDER);
    }
  });
  it('all loop orders: four per tile', () => {
    expect(collect(small, engineHw({ Tm: 2, Tn: 1 }), 'all').length).toBe(36);
  });
  it('pixel and kernel unroll: Q by Tp on x, S by Tk on y, ⌈S/Tk⌉ filter-column steps', () => {
    const ms = collect(small, engineHw({ Tm: 2, Tn: 1, Tp: 2, Tk: 3 }), 'zhang');
    const whole = ms.find((m) => m.t[4] === 4 && m.x[5] === 2)!;
    expect([whole.x[2], whole.x[5], whole.y[3], whole.y[7], whole.t[7], whole.t[5]]).toEqual([2, 2, 1, 3, 1, 2]);
  });
  it('proposes only tiles the template accepts (hw.cost.check): at most 4 output pixels per tile', () => {
    const hw = engineHw({ Tm: 2, Tn: 1 }, { maxTile: 4 });
    const ms = collect(small, hw, 'zhang');
    // (4,1), (2,2), (2,1), (1,4), (1,2), (1,1).
    expect(ms.length).toBe(6);
    for (const m of ms) expect(m.t[4] * m.t[5]).toBeLessThanOrEqual(4);
  });
  it('when the template accepts no tile, the smallest is proposed so that its reason reaches the user', () => {
    const hw = engineHw({ Tm: 2, Tn: 1 }, { maxTile: 0 });
    const ms = collect(small, hw, 'all');
    expect(ms.length).toBe(1);
    expect([ms[0].t[4], ms[0].t[5]]).toEqual([1, 1]);
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    expect('reason' in r && r.reason).toContain(TOO_BIG);
  });
  it('the best mapping under the stand-in: ⌈4/2⌉·⌈2/1⌉·4·4·9 = 576 cycles', () => {
    const r = bestMapping(small, engineHw({ Tm: 2, Tn: 1 }), zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(576);
  });
  it('layer-pipelined: each op on its layer’s stage; a layer without one is laid on the largest engine', () => {
    const stage: FpgaEngine = { Tm: 4, Tn: 2, Tp: 1, Tk: 1, weightBankDepth: 1000, inputBankWords: 1000, outputBankWords: 1000 };
    const hw = engineHw({ Tm: 8, Tn: 2 }, { stages: { c: stage } });
    expect(collect(small, hw, 'zhang')[0].x[2]).toBe(4);
    expect(collect({ ...small, layer: 'other' }, hw, 'zhang')[0].x[2]).toBe(4);
    const wide = engineHw({ Tm: 8, Tn: 2 }, { stages: { c: { ...stage, Tm: 2 } } });
    expect(collect({ ...small, layer: 'other' }, wide, 'zhang')[0].x[2]).toBe(4);
  });
});

describe('conformance (core testkit)', () => {
  it('maps the sample ops legally, within the invariants, deterministically', () => {
    checkDataflow(fpgaDataflow as unknown as DataflowPlugin<unknown>, engineHw({ Tm: 8, Tn: 4 }));
  });
});

describe('applicability', () => {
  it('supports hardware with the fpga-engine capability, nothing else; proposes nothing there', () => {
    expect(fpgaDataflow.supports?.(small, engineHw({ Tm: 2, Tn: 1 }))).toBe(true);
    const other = withCostModel(
      {
        name: 'no-engine',
        template: 'fpga',
        clockMHz: 100,
        precision: 'fp32',
        levels: [memoryLevel({ name: 'bram', fanoutX: 2 }), memoryLevel({ name: 'dram' })],
        macEnergyPj: 1,
        vectorOpsPerCycle: 1,
        aluEnergyPj: 0.1,
        capabilities: capabilities(),
      },
      engineCostModel,
    );
    expect(hasEngine(other)).toBe(false);
    expect(fpgaDataflow.supports?.(small, other)).toBe(false);
    expect(collect(small, other, 'all')).toEqual([]);
  });
  it('prices nothing itself: the plug-in has no evaluate', () => {
    expect('evaluate' in fpgaDataflow).toBe(false);
  });
});

import { parseWith, TrimUserError, type DataEffects } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { buildSpatial, dramWordsPerCycle, eyerissSpec, meanHops, spatialSchema, type SpatialMeta } from '../src/index.js';

const eyeriss = () => buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');

describe('spatial template: eyeriss', () => {
  it('has rf, glb and dram levels sized as the chip', () => {
    const hw = eyeriss();
    expect(hw.template).toBe('spatial');
    expect(hw.levels.map((l) => l.name)).toEqual(['rf', 'glb', 'dram']);
    const [rf, glb, dram] = hw.levels;
    expect(rf.slotCapacityWords).toEqual([224, 12, 24]);
    expect([rf.fanoutX, rf.fanoutY]).toEqual([1, 1]);
    // 8 KB of 16-bit words for filters; 25 × 4 KB = 51 200 words for ifmaps and psums.
    expect(glb.slotCapacityWords).toEqual([4096, 51200, 51200]);
    expect([glb.fanoutX, glb.fanoutY]).toEqual([14, 12]);
    // 64-bit link at 60 MHz, 16-bit words, 200 MHz core: 4 × 0.3 = 1.2 words per cycle.
    expect(dram.readBandwidth).toBeCloseTo(1.2, 12);
    expect(dram.doubleBuffered).toBe(false);
  });

  it('turns the relative energies into pJ with a 1.6 pJ MAC', () => {
    const hw = eyeriss();
    expect(hw.macEnergyPj).toBe(1.6);
    expect(hw.levels[0].readEnergyPj).toBeCloseTo(1.6, 12); // 1×
    expect(hw.levels[1].networkEnergyPj).toBeCloseTo(3.2, 12); // 2×
    expect(hw.levels[1].readEnergyPj).toBeCloseTo(9.6, 12); // 6×
    expect(hw.levels[2].readEnergyPj).toBeCloseTo(320, 12); // 200×
  });

  it('declares its data effects for the dataflows', () => {
    const meta = eyeriss().meta as unknown as SpatialMeta;
    const fx: DataEffects = meta.dataEffects;
    expect(fx.sharedBanks).toEqual({ level: 1, banks: 25, wordsPerBank: 2048 });
    expect(fx.dramRlc).toEqual({ runBits: 5, levelBits: 16, codeWordBits: 64 });
    expect(fx.zeroGating).toBe(true);
    expect(fx.interPeEnergyPj).toBeCloseTo(3.2, 12);
    expect(fx.operandsThroughRf).toBe(true);
    expect(meta.array).toEqual({ rows: 12, cols: 14 });
  });

  it('charges per-hop NoC energy over the mean distance', () => {
    expect(meanHops(12, 14)).toBe(13);
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, noc: { mode: 'multicast', energyModel: 'per-hop' } }), 'x');
    expect(hw.levels[1].networkEnergyPj).toBeCloseTo(3.2 * 13, 9);
  });

  it('takes absolute energies and a words-per-cycle DRAM link too', () => {
    const spec = spatialSchema.parse({
      ...eyerissSpec,
      energy: { macPj: 1, absolutePj: { rf: 0.5, noc: 1, glb: 5, dram: 100 } },
      dram: { wordsPerCycle: 8 },
    });
    const hw = buildSpatial(spec, 'abs');
    expect(hw.levels.map((l) => l.readEnergyPj)).toEqual([0.5, 5, 100]);
    expect(hw.levels[2].readBandwidth).toBe(8);
    expect(dramWordsPerCycle({ wordsPerCycle: 3, overlapCompute: true }, 16, 100)).toBe(3);
  });

  it('drops the register files the spec sizes at zero', () => {
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, rf: { weightsWords: 0, inputsWords: 0, outputsWords: 24 } }), 'x');
    expect(hw.levels[0].holds).toEqual([false, false, true]);
  });

  it('rejects a spec without DRAM bandwidth with a message naming the field', () => {
    const bad = { ...eyerissSpec, dram: { overlapCompute: true } };
    expect(() => parseWith(spatialSchema, bad, 'arch.yaml')).toThrow(TrimUserError);
    expect(() => parseWith(spatialSchema, bad, 'arch.yaml')).toThrow(/dram/);
  });
});

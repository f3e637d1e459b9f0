import { Port, parseWith, TrimUserError } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { buildSpatial, dramBytesPerCycle, eyerissSpec, meanHops, spatialSchema } from '../src/index.js';

const eyeriss = () => buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');

describe('spatial template: eyeriss, in bytes', () => {
  it('has rf, glb and dram levels sized as the chip', () => {
    const hw = eyeriss();
    expect(hw.template).toBe('spatial');
    expect(hw.precision).toBe('int16');
    expect(hw.arrayLevel).toBe(1);
    expect(hw.levels.map((l) => l.name)).toEqual(['rf', 'glb', 'dram']);
    const [rf, glb, dram] = hw.levels;
    // Spads of 224, 12 and 24 16-bit words.
    expect(rf.slotCapacityBytes).toEqual([448, 24, 48]);
    expect(rf.capacityBytes).toBe(520);
    expect([rf.fanoutX, rf.fanoutY]).toEqual([1, 1]);
    // 8 KB for filters; 25 × 4 KB = 102 400 bytes for ifmaps and psums.
    expect(glb.slotCapacityBytes).toEqual([8192, 102400, 102400]);
    expect([glb.fanoutX, glb.fanoutY]).toEqual([14, 12]);
    // 64-bit link at 60 MHz, 200 MHz core: 8 bytes × 0.3 = 2.4 bytes per cycle, one port for reads and writes.
    expect(dram.readBytesPerCycle).toBeCloseTo(2.4, 12);
    expect(dram.port).toBe(Port.Shared);
    // The link's own clock domain and asynchronous FIFO let its transfers overlap processing (JSSC 2017).
    expect(dram.doubleBuffered).toBe(true);
  });

  it('turns the relative energies per 16-bit word into pJ per byte with a 1.6 pJ MAC', () => {
    const hw = eyeriss();
    expect(hw.macEnergyPj).toBe(1.6);
    expect(hw.levels[0].readPjPerByte[0]).toBeCloseTo(0.8, 12); // 1× per word, 2 bytes
    expect(hw.levels[1].networkPjPerByte).toBeCloseTo(1.6, 12); // 2×
    expect(hw.levels[1].readPjPerByte[1]).toBeCloseTo(4.8, 12); // 6×
    expect(hw.levels[2].writePjPerByte[2]).toBeCloseTo(160, 12); // 200×
  });

  it('prices mappings with its own loop-nest cost model', () => {
    expect(eyeriss().cost.mappingDetail).toBe('loop-nest');
  });

  it('charges per-hop NoC energy over the mean distance', () => {
    expect(meanHops(12, 14)).toBe(13);
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, noc: { mode: 'multicast', energyModel: 'per-hop' } }), 'x');
    expect(hw.levels[1].networkPjPerByte).toBeCloseTo(1.6 * 13, 9);
  });

  it('takes absolute energies and a words-per-cycle DRAM link too, and 8-bit words', () => {
    const spec = spatialSchema.parse({
      ...eyerissSpec,
      wordBits: 8,
      energy: { macPj: 1, absolutePj: { rf: 0.5, noc: 1, glb: 5, dram: 100 } },
      dram: { wordsPerCycle: 8 },
    });
    const hw = buildSpatial(spec, 'abs');
    expect(hw.precision).toBe('int8');
    // One-byte words: per word = per byte.
    expect(hw.levels.map((l) => l.readPjPerByte[0])).toEqual([0.5, 5, 100]);
    expect(hw.levels[2].readBytesPerCycle).toBe(8);
    expect(hw.levels[0].slotCapacityBytes).toEqual([224, 12, 24]);
    expect(dramBytesPerCycle({ wordsPerCycle: 3, overlapCompute: true }, 16, 100)).toBe(6);
  });

  it('drops the register files the spec sizes at zero', () => {
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, rf: { weightsWords: 0, inputsWords: 0, outputsWords: 24 } }), 'x');
    expect(hw.levels[0].holds).toEqual([false, false, true]);
  });

  it('builds a 1×1 array whose array level is still the buffer', () => {
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, array: { rows: 1, cols: 1 } }), 'one');
    expect(hw.arrayLevel).toBe(1);
    expect(hw.vectorOpsPerCycle).toBe(1);
  });

  it('rejects a spec without DRAM bandwidth with a message naming the field', () => {
    const bad = { ...eyerissSpec, dram: { overlapCompute: true } };
    expect(() => parseWith(spatialSchema, bad, 'arch.yaml')).toThrow(TrimUserError);
    expect(() => parseWith(spatialSchema, bad, 'arch.yaml')).toThrow(/dram/);
  });
});

import { capabilityOf, isTrimUserError, Port } from '@trim-dse/core';
import { fpgaEngineCapability } from '@trim-dse/fpga-kit';
import { describe, expect, it } from 'vitest';
import { buildFpga, designOf, DEVICES, dspPerMac, fpgaSchema, type FpgaSpecInput } from '../src/index.js';

const spec = (s: Partial<FpgaSpecInput>) => fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 64, Tn: 7, ...s });

function userError(f: () => unknown): { field: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    if (isTrimUserError(e)) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a TrimUserError');
}

describe('DSPs per MAC', () => {
  it('fp32 on 7-series: 5 DSP48E1 (3 multiply + 2 add); Zhang 64 × 7 → 2240 DSPs', () => {
    expect(dspPerMac('dsp48e1', 'fp32')).toBe(5);
    expect(designOf(spec({}), 'z').resources.dsp).toBe(2240);
  });
  it('int8 packs two MACs per DSP48E2: 64 × 7 on the ZCU102 → 224; 3 × 3 → ⌈4.5⌉ = 5', () => {
    expect(designOf(spec({ device: 'zcu102', precision: 'int8' }), 'z').resources.dsp).toBe(224);
    expect(designOf(spec({ device: 'zcu102', precision: 'int8', Tm: 3, Tn: 3 }), 'z').resources.dsp).toBe(5);
  });
  it('int8 does not pack on DSP48E1; Arria 10 fp32 is one hardened DSP per MAC', () => {
    expect(designOf(spec({ precision: 'int8' }), 'z').resources.dsp).toBe(448);
    expect(designOf(spec({ device: 'arria10' }), 'z').resources.dsp).toBe(448);
  });
  it('Stratix V (DE5-Net): two 8 × 8 multipliers per block as PipeCNN grouped them: 28 × 16 int8 → 224 of 256 DSPs; the two DDR3 banks give 2 × 8 B × 1600 MT/s = 25.6 GB/s', () => {
    const pipe = spec({ device: 'de5net', precision: 'int8', clockMHz: 198, Tm: 28, Tn: 16, utilizationLimits: { dsp: 1 } });
    expect(designOf(pipe, 'p').resources.dsp).toBe(224);
    expect(buildFpga(pipe, 'p').resources?.dramGBps).toBeCloseTo(25.6, 12);
    // Past UG949's 80 % (204.8 DSPs) without the design's own limit.
    expect(userError(() => designOf(spec({ device: 'de5net', precision: 'int8', Tm: 28, Tn: 16 }), 'p')).field).toBe('dsp');
  });
});

describe('pixel and kernel unroll', () => {
  it('Tm 16 × Tn 4 × Tp 2 × Tk 3 = 384 MACs: 1920 fp32 DSPs; 48 weight banks (Tm·Tk) of 2·11·⌈11/3⌉ = 88 entries × 4 words; 8 input banks (Tn·Tp); 32 output lanes (Tm·Tp)', () => {
    const d = designOf(spec({ Tm: 16, Tn: 4, pixelUnroll: 2, kernelUnroll: 3 }), 'z');
    expect(d.resources.macUnits).toBe(384);
    expect(d.resources.dsp).toBe(1920);
    const b = d.buffers[0];
    expect([b.weightBanks, b.weightBankDepth, b.weightBankWidth, b.inputBanks, b.outputLanes]).toEqual([48, 88, 4, 8, 32]);
  });
});

describe('buffer plan and BRAM (VC707, fp32, Tm = 64, Tn = 7)', () => {
  it('auto: 64 weight banks of 242 × (7·32 bits) → 512×36: 1·⌈224/36⌉ = 7 blocks each = 448; (1648 − 448) / (7 + 2·64) = 8 blocks per input/output memory → 1528', () => {
    const d = designOf(spec({}), 'z');
    const b = d.buffers[0];
    expect(b.weightBanks).toBe(64);
    expect(b.weightBankDepth).toBe(242);
    expect(b.weightBankWidth).toBe(7);
    expect(b.weightBlocks).toBe(7);
    expect(b.inputBlocks).toBe(8);
    expect(b.inputBankWords).toBe(4096);
    expect(b.outputBankWords).toBe(4096);
    expect(d.resources.bram).toBe(448 + 7 * 8 + 2 * 64 * 8);
  });
  it('fixed 13 × 13 tile: input bank 2·59·59 = 6962 words → 14 blocks; output 169 words → 1 block each of 2 → 802', () => {
    const d = designOf(spec({ tile: { Tr: 13, Tc: 13 } }), 'z');
    expect(d.buffers[0].inputBankWords).toBe(6962);
    expect(d.buffers[0].inputBlocks).toBe(14);
    expect(d.buffers[0].outputBlocks).toBe(1);
    expect(d.resources.bram).toBe(448 + 7 * 14 + 2 * 64 * 1);
  });
  it('logic estimate: 20000 + 448 · 300 LUTs, 30000 + 448 · 500 FFs', () => {
    const r = designOf(spec({}), 'z').resources;
    expect(r.lut).toBe(154400);
    expect(r.ff).toBe(254000);
  });
});

describe('port widths pack narrow words', () => {
  it('int8, 64 × 7: a 56-bit weight entry takes ⌈56/36⌉ = 2 BRAM18 (512×36), 128 for the weights', () => {
    const d = designOf(spec({ device: 'zcu102', precision: 'int8' }), 'z');
    expect(d.buffers[0].weightBlocks).toBe(2);
    // Budget ⌊0.8·1824⌋ = 1459; (1459 − 128) / (7 + 128) = 9 blocks per memory: 9 × 2048 int8 words (2K×9).
    expect(d.buffers[0].inputBlocks).toBe(9);
    expect(d.buffers[0].inputBankWords).toBe(9 * 2048);
    expect(d.resources.bram).toBe(128 + 7 * 9 + 128 * 9);
  });
});

describe('UltraRAM (Alveo U250)', () => {
  it('fp32 128 × 14: weights 128 × ⌈448/36⌉ = 1664 BRAM18; inputs/outputs get ⌊1024/270⌋ = 3 URAMs (12288 words) rather than ⌊2636/270⌋ = 9 BRAM18 (4608 words)', () => {
    const d = designOf(spec({ device: 'u250', Tm: 128, Tn: 14 }), 'z');
    const b = d.buffers[0];
    expect(b.weightBlocks).toBe(13);
    expect(b.ioMemory).toBe('uram');
    expect(b.inputBankWords).toBe(12288);
    expect(d.resources.bram).toBe(1664);
    expect(d.resources.uram).toBe(270 * 3);
  });
  it('devices without URAM keep everything in block RAM', () => {
    expect(designOf(spec({}), 'z').buffers[0].ioMemory).toBe('bram');
  });
});

describe('designs that do not fit name the resource', () => {
  it('64 × 8 fp32 needs 2560 DSPs > 80 % of 2800', () => {
    const e = userError(() => designOf(spec({ Tn: 8 }), 'z'));
    expect(e.field).toBe('dsp');
    expect(e.message).toMatch(/2560 DSP slices \(dsp\) but vc707 allows 2240/);
  });
  it('a 55 × 55 tile overflows the block RAM', () => {
    const e = userError(() => designOf(spec({ tile: { Tr: 55, Tc: 55 } }), 'z'));
    expect(e.field).toBe('bram');
  });
  it('weights alone overflowing the BRAM budget is a bram error too', () => {
    const e = userError(() => designOf(spec({ utilizationLimits: { bram: 0.2 } }), 'z'));
    expect(e.field).toBe('bram');
    expect(e.message).toMatch(/block RAM \(bram\) overflows/);
  });
  it('a LUT limit below the estimate names lut', () => {
    const e = userError(() => designOf(spec({ utilizationLimits: { lut: 0.3 } }), 'z'));
    expect(e.field).toBe('lut');
  });
});

describe('HardwareModel', () => {
  it('two levels in bytes: banked BRAM with Tm × Tn fanout, DRAM at 12.8 GB/s = 128 bytes per 100 MHz cycle', () => {
    const hw = buildFpga(spec({}), 'z');
    expect(hw.template).toBe('fpga');
    expect(hw.precision).toBe('fp32');
    expect(hw.arrayLevel).toBe(0);
    expect(hw.levels.map((l) => l.name)).toEqual(['bram', 'dram']);
    expect(hw.levels[0].fanoutX).toBe(64);
    expect(hw.levels[0].fanoutY).toBe(7);
    // 4-byte words: 64·7 lanes × 242 entries, 7 input banks × 4096 words, 64 lanes × 2 memories × 4096 words.
    expect(hw.levels[0].slotCapacityBytes).toEqual([64 * 7 * 242 * 4, 7 * 4096 * 4, 2 * 64 * 4096 * 4]);
    expect(hw.levels[1].readBytesPerCycle).toBeCloseTo(128, 10);
    expect(hw.levels[1].port).toBe(Port.Shared);
    // Horowitz: 10 pJ (SRAM) and 1950 pJ (DRAM) per 8-byte access.
    expect(hw.levels[0].readPjPerByte[0]).toBe(1.25);
    expect(hw.levels[1].readPjPerByte[1]).toBe(243.75);
    expect(hw.resources).toMatchObject({ macUnits: 448, dsp: 2240, bram: 1528, lut: 154400, ff: 254000 });
    expect(hw.resources?.dramGBps).toBeCloseTo(12.8, 10);
    expect(hw.resources?.peakGops).toBeCloseTo(89.6, 10);
  });
  it('publishes the fpga-engine capability: the engine and its banks in datapath words', () => {
    const hw = buildFpga(spec({}), 'z');
    const facts = capabilityOf(hw, fpgaEngineCapability);
    expect(facts).toEqual({
      organisation: 'single-engine',
      wordBytes: 4,
      engine: { Tm: 64, Tn: 7, Tp: 1, Tk: 1, weightBankDepth: 242, inputBankWords: 4096, outputBankWords: 4096 },
      stages: {},
    });
  });
  it('int16 halves the bytes of the same words: DRAM 12.8 GB/s is still 128 bytes per cycle', () => {
    const hw = buildFpga(spec({ precision: 'int16' }), 'z');
    expect(hw.precision).toBe('int16');
    expect(hw.levels[1].readBytesPerCycle).toBeCloseTo(128, 10);
    expect(capabilityOf(hw, fpgaEngineCapability)?.wordBytes).toBe(2);
  });
  it('a dramGBps above the board’s DDR peak is a user error naming it (no level moves more than its spec)', () => {
    const e = userError(() => buildFpga(spec({ dramGBps: 13 }), 'z'));
    expect(e.field).toBe('dramGBps');
    expect(buildFpga(spec({ dramGBps: 12.8 }), 'z').levels[1].readBytesPerCycle).toBeCloseTo(128, 10);
  });
  it('every built-in device has positive resources and DDR', () => {
    for (const d of Object.values(DEVICES)) {
      expect(d.dsp).toBeGreaterThan(0);
      expect(d.blockRam.count).toBeGreaterThan(0);
      expect(d.ddr.length).toBeGreaterThan(0);
      expect(d.sources.length).toBeGreaterThan(0);
    }
  });
});

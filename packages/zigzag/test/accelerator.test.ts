import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildGeneric, corePlugin, genericSchema, Registry, resolveArchitecture } from '@trim-dse/core';
import { checkPlugin } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { isZigZagAccelerator, readEnergyPerWordPj, zigzagAccessesPerPeriod, zigzagToGenericSpec, zigzagWordAccesses } from '../src/index.js';

const HW = fileURLToPath(new URL('../../../validation/zigzag/inputs/hardware', import.meta.url));
const doc = (f: string) => parse(readFileSync(join(HW, f), 'utf8')) as unknown;

describe('ZigZag accelerators as generic specs', () => {
  it('registers cleanly and claims ZigZag files by content', () => {
    checkPlugin(plugin);
    expect(isZigZagAccelerator(doc('eyeriss_like.yaml'))).toBe(true);
    expect(isZigZagAccelerator({ architecture: { subtree: [] } })).toBe(false);
  });

  it('Eyeriss-like: per-PE register files, the 14×12 array under the first shared memory, energies per 8-bit word', () => {
    const s = genericSchema.parse(zigzagToGenericSpec(doc('eyeriss_like.yaml'), 'eyeriss_like.yaml'));
    expect(s.levels.map((l) => [l.name, l.fanout.x, l.fanout.y, l.holds.join('+')])).toEqual([
      ['rf_64B_A', 1, 1, 'inputs'],
      ['rf_64B_W', 1, 1, 'weights'],
      ['rf_16B', 1, 1, 'outputs'],
      ['sram_8KB', 14, 12, 'outputs'],
      ['sram_64KB', 1, 1, 'weights'],
      ['sram_1M', 1, 1, 'inputs+outputs'],
      ['dram', 1, 1, 'inputs+weights+outputs'],
    ]);
    // 512 bits of 8-bit words = 64 words; rf_16B reads 24 bits for 1.5 pJ → 0.5 pJ per 8-bit word;
    // DRAM 1000 pJ per 64-bit access → 125 pJ per word, 8 words per cycle.
    expect(s.levels[0].capacityWords).toBe(64);
    expect(s.levels[2].readEnergyPj).toBe(0.5);
    expect(s.levels[6]).toMatchObject({ readEnergyPj: 125, writeEnergyPj: 125, bandwidthWordsPerCycle: 8 });
    expect(s.levels[0].bandwidthWordsPerCycle).toEqual({ read: 1, write: 1 });
    expect(s.macEnergyPj).toBe(0.5);
  });

  it('a memory serving one array dimension: gemm_l1’s output registers span D2 (8 MACs), l1 the other 64', () => {
    const s = genericSchema.parse(zigzagToGenericSpec(doc('gemm_l1.yaml'), 'gemm_l1.yaml'));
    expect(s.levels.map((l) => [l.name, l.fanout.x * l.fanout.y])).toEqual([
      ['reg_O', 8],
      ['l1', 64],
    ]);
    const hw = buildGeneric(s, 'gemm_l1');
    expect(hw.levels[1].capacityBytes).toBe(524288); // 4,194,304 bits
  });

  it('per-operand memories over crossing array dimensions cannot be one chain: a user error naming both', () => {
    for (const f of ['edge_tpu_like.yaml', 'ascend_like.yaml', 'meta_prototype.yaml']) {
      expect(() => zigzagToGenericSpec(doc(f), f)).toThrow(/memories.rf_1B.served_dimensions: rf_2B serves D2 and rf_1B serves D3, D4/);
    }
  });

  it('resolves through core as template zigzag, building the generic model', () => {
    const r = new Registry().use(corePlugin).use(plugin);
    const a = resolveArchitecture(r, join(HW, 'gemm_l1_l3.yaml'));
    expect(a.template).toBe('zigzag');
    expect(a.model.levels.map((l) => l.name)).toEqual(['reg_O', 'l1', 'l3']);
  });
});

describe("ZigZag's word-granular accesses and TRIM's element counts", () => {
  it('an access of bandwidth_max bits costs r_cost: per 8-bit word r_cost × 8 / max', () => {
    expect(readEnergyPerWordPj(416.16, 8, 2048)).toBeCloseTo(1.6256, 4);
    expect(zigzagWordAccesses(16384, 8, 64)).toBe(2048);
  });
  it('a transfer rounds up to bandwidth_min granules: 3 input channels of 8 bits through a 64-bit port', () => {
    expect(zigzagAccessesPerPeriod(3, 8, 64, 64)).toBe(1); // ZigZag: one 64-bit access; TRIM: 3 elements (3/8 of it)
    expect(zigzagAccessesPerPeriod(16, 8, 64, 2048)).toBe(128 / 2048);
    expect(zigzagAccessesPerPeriod(0, 8, 64, 64)).toBe(0);
  });
});

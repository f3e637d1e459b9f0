import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baseName, elementCount, isTimeloopArchitecture, timeloopArchToSpec, timeloopSchema } from '../src/index.js';
import { EXERCISES } from './helpers.js';

const arch = (rel: string) => parse(readFileSync(join(EXERCISES, rel), 'utf8')) as unknown;
const BASELINE = join(EXERCISES, '..', 'baseline_designs');

describe('Timeloop architecture tree → spec', () => {
  it('reads instance ranges the way Timeloop does (end − start + 1; none is one)', () => {
    expect(elementCount('PE[0..167]')).toBe(168);
    expect(elementCount('RegisterFile[0..15]')).toBe(16);
    expect(elementCount('Buffer')).toBe(1);
    expect(baseName('RegisterFile[0..15]')).toBe('RegisterFile');
  });

  it('claims tree architectures by content, not problems or mappings', () => {
    expect(isTimeloopArchitecture(arch('00-model-conv1d-1level/arch/1level.arch.yaml'))).toBe(true);
    expect(isTimeloopArchitecture(arch('00-model-conv1d-1level/prob/conv1d.prob.yaml'))).toBe(false);
    expect(isTimeloopArchitecture(arch('00-model-conv1d-1level/map/conv1d-1level.map.yaml'))).toBe(false);
  });

  it('a single-level hierarchy: the buffer is the backing store (64 words of 8 bits)', () => {
    const s = timeloopSchema.parse(timeloopArchToSpec(arch('00-model-conv1d-1level/arch/1level.arch.yaml'), '1level.arch.yaml'));
    expect(s.levels).toHaveLength(1);
    expect(s.levels[0]).toMatchObject({ name: 'Buffer', sizeWords: 64, blockWords: 1, wordBits: 8, instances: 1 });
    expect(s.compute).toMatchObject({ name: 'MACC', wordBits: 8, instances: 1 });
  });

  it('levels innermost first; depth × block-size words; a DRAM without depth is unbounded; 16 register files', () => {
    const s = timeloopSchema.parse(timeloopArchToSpec(arch('04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml'), 'a.yaml'));
    expect(s.levels.map((l) => l.name)).toEqual(['RegisterFile', 'GlobalBuffer', 'MainMemory']);
    // GlobalBuffer: depth 8192 × block-size 32 = 262,144 words (Timeloop's "Size: 262144").
    expect(s.levels[1]).toMatchObject({ sizeWords: 262144, blockWords: 32, instances: 1 });
    expect(s.levels[2]).toMatchObject({ sizeWords: 'unbounded', class: 'DRAM', blockWords: 32 });
    expect(s.levels[0]).toMatchObject({ instances: 16, sizeWords: 64 });
    expect(s.compute.instances).toBe(16);
  });

  it('Eyeriss-like (v0.3): subtree counts multiply, meshX kept, bandwidths in words/cycle', () => {
    const s = timeloopSchema.parse(timeloopArchToSpec(parse(readFileSync(join(BASELINE, 'eyeriss_like/arch/eyeriss_like.yaml'), 'utf8')), 'eyeriss_like.yaml'));
    expect(s.levels.map((l) => [l.name, l.instances, l.meshX])).toEqual([
      ['psum_spad', 168, 14],
      ['weights_spad', 168, 14],
      ['ifmap_spad', 168, 14],
      ['DummyBuffer', 14, 14],
      ['shared_glb', 1, undefined],
      ['DRAM', 1, undefined],
    ]);
    // shared_glb: memory_depth 16384 × block-size 4 = 65,536 words; 16 words/cycle each way.
    expect(s.levels[4]).toMatchObject({ sizeWords: 65536, blockWords: 4, wordBits: 16, readBandwidth: 16, writeBandwidth: 16 });
    expect(s.compute).toMatchObject({ name: 'mac', instances: 168, meshX: 14, wordBits: 16 });
  });

  it('rejects what Timeloop rejects, naming the field', () => {
    const two = { architecture: { subtree: [{ name: 'a' }, { name: 'b' }] } };
    expect(() => timeloopArchToSpec(two, 'x.yaml')).toThrow(/architecture.subtree: expected a list of exactly one subtree/);
    const noMac = { architecture: { subtree: [{ name: 'S', local: [{ name: 'B', class: 'SRAM', attributes: { depth: 4, 'word-bits': 8 } }] }] } };
    expect(() => timeloopArchToSpec(noMac, 'x.yaml')).toThrow(/exactly one compute component/);
    const badWidth = { architecture: { subtree: [{ name: 'S', local: [{ name: 'B', class: 'SRAM', attributes: { depth: 4, 'word-bits': 8, width: 12 } }, { name: 'M', class: 'intmac', attributes: { datawidth: 8 } }] }] } };
    expect(() => timeloopArchToSpec(badWidth, 'x.yaml')).toThrow(/attributes.width: 12 bits is not a whole number/);
    const mac24 = { architecture: { subtree: [{ name: 'S', local: [{ name: 'B', class: 'SRAM', attributes: { depth: 4, 'word-bits': 8 } }, { name: 'M', class: 'intmac', attributes: { datawidth: 24 } }] }] } };
    expect(() => timeloopArchToSpec(mac24, 'x.yaml')).toThrow(/datawidth: 24-bit MACs/);
  });
});

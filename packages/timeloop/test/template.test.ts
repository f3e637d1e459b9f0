import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Cost, Illegal, Registry, corePlugin, resolveArchitecture, type HardwareModel } from '@trim-dse/core';
import { checkPlugin } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import plugin, { buildTimeloop, timeloopArchToSpec, timeloopMapReader, timeloopSchema, type TimeloopSpecInput } from '../src/index.js';
import { conv, EXERCISES, RUNS, tempFile } from './helpers.js';

const specOf = (rel: string): TimeloopSpecInput => timeloopArchToSpec(parse(readFileSync(join(EXERCISES, rel), 'utf8')), rel);
const build = (s: TimeloopSpecInput, name = 'test'): HardwareModel => buildTimeloop(timeloopSchema.parse(s), name);
const mapOf = (rel: string) => timeloopMapReader.read(parse(readFileSync(join(EXERCISES, rel), 'utf8')), rel);

describe('the timeloop template', () => {
  it('registers cleanly (template, its map.yaml reader, the suite)', () => {
    const r = checkPlugin(plugin);
    expect(r.hardware.get('timeloop').name).toBe('timeloop');
    expect(r.mappingReaders.values().map((m) => m.name)).toEqual(['timeloop-map']);
  });

  it('claims a Timeloop architecture file by its content (core resolveArchitecture)', () => {
    const r = new Registry().use(corePlugin).use(plugin);
    const ert = join(RUNS, '04-model-conv1d+oc-3levelspatial/run_cp/ERT.yaml');
    const a = resolveArchitecture(r, join(EXERCISES, '04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml'), [`energyTable=${ert}`]);
    expect(a.template).toBe('timeloop');
    expect(a.model.levels.map((l) => [l.name, l.fanoutX, l.fanoutY])).toEqual([
      ['RegisterFile', 1, 1],
      ['GlobalBuffer', 16, 1],
      ['MainMemory', 1, 1],
    ]);
    // 102.865 pJ per 32-byte vector read of the GLB; 2048 pJ per 32-byte DRAM block.
    expect(a.model.levels[1].readPjPerByte[0]).toBeCloseTo(102.865 / 32, 12);
    expect(a.model.levels[2].readPjPerByte[1]).toBe(64);
    expect(a.model.macEnergyPj).toBe(0.5608);
    expect(a.model.precision).toBe('int8');
  });

  it('fits tiles in depth / multiple-buffering words, and overlaps transfers with compute', () => {
    const s = specOf('00-model-conv1d-1level/arch/1level.arch.yaml');
    s.levels[0].readEnergyPj = 1;
    s.compute.energyPj = 1;
    const hw = build(s);
    expect(hw.levels[0].doubleBuffered).toBe(true);
    // 64 one-byte words, both halves of the double-buffered level: 2 × 64 bytes.
    expect(hw.levels[0].capacityBytes).toBe(128);
    const op = conv({ P: 16, R: 3 });
    const m = mapOf('00-model-conv1d-1level/map/conv1d-1level.map.yaml').mappingFor(op, hw)!;
    // Weights 3 + inputs 18 + outputs 16 = 37 words ≤ 64: legal at multiple-buffering 1 …
    expect(hw.cost.check(op, m, new Cost(1)).illegal).toBe(Illegal.None);
    // … and illegal at multiple-buffering 2 (32 words).
    s.levels[0].multipleBuffering = 2;
    const c = build(s).cost.check(op, m, new Cost(1));
    expect(c.illegal).toBe(Illegal.Capacity);
  });

  it('exercise 01 (weight stationary), energy worked by hand from its ERT', () => {
    const s = specOf('01-model-conv1d-2level/arch/2level.arch.yaml');
    s.energyTable = join(RUNS, '01-model-conv1d-2level/run_ws/ERT.yaml');
    const hw = build(s);
    const op = conv({ P: 16, R: 3 });
    const c = hw.cost.evaluate(op, mapOf('01-model-conv1d-2level/map/conv1d-2level-ws.map.yaml').mappingFor(op, hw)!, new Cost(2));
    expect(c.legal).toBe(true);
    expect(c.cycles).toBe(48);
    // Buffer (block 1, 0.42018 pJ): weights 48 reads + 3 fills, inputs 48 + 18, outputs 32 reads + 48 updates = 197.
    expect(c.levelEnergyPj[0]).toBeCloseTo(197 * 0.42018, 9);
    // MainMemory (8-word blocks): weights 3 → 1 block, inputs 18 → 3 blocks read at 39.8775 pJ; 16 output updates →
    // 2 blocks written at 32.3976 pJ. The Buffer's 16 output drains are not charged (Timeloop v3).
    expect(c.levelEnergyPj[1]).toBeCloseTo(4 * 39.8775 + 2 * 32.3976, 9);
    expect(c.energyPj / 48).toBeCloseTo(6.95831, 5);
  });

  it('rejects hierarchies Timeloop cannot build, naming the field', () => {
    const s = specOf('04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml');
    s.levels.forEach((l) => (l.readEnergyPj = 1));
    s.compute.energyPj = 1;
    s.levels[0].instances = 12; // 12 register files cannot feed 16 MACs
    expect(() => build(s)).toThrow(/levels.0.instances: RegisterFile \(12×1\) cannot feed MACC \(16×1\)/);
    const t = specOf('04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml');
    t.compute.energyPj = 1;
    expect(() => build(t)).toThrow(/levels.0.readEnergyPj: no energy for level RegisterFile/);
    t.levels.forEach((l) => (l.readEnergyPj = 1));
    t.levels[1].sizeWords = 'unbounded';
    expect(() => build(t)).toThrow(/levels.1.sizeWords: only the outermost level/);
    const u = specOf('04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml');
    u.energyTable = tempFile('ERT.yaml', 'ERT:\n  version: 0.3\n  tables:\n    - name: X.Other\n      actions:\n        - { name: read, energy: 1 }\n');
    expect(() => build(u)).toThrow(/no energy for level RegisterFile \(the energy table has no component of that name\)/);
  });
});

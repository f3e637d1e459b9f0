import { corePlugin, Registry, resolveArchitecture, systolicMeta, TrimUserError } from '@trim-dse/core';
import { checkPlugin } from '@trim-dse/core/testkit';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { parseScaleSimConfig, systolicJsonSchema } from '../src/index.js';

const CFG = `[general]
run_name = my_run

[architecture_presets]
ArrayHeight:    16
ArrayWidth:     64
IfmapSramSzkB:    128
FilterSramSzkB:   32
OfmapSramSzkB:    16
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Dataflow : os
Bandwidth : 10
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: USER
`;

describe('systolic template', () => {
  const registry = checkPlugin(plugin).use(corePlugin);
  it('registers the template, its built-ins and the scalesim suite', () => {
    expect(registry.hardware.has('systolic')).toBe(true);
    for (const a of ['tpu-v1', 'systolic-8x8', 'systolic-32x32', 'systolic-128x128']) expect(registry.architectures.has(a)).toBe(true);
    expect(registry.validationSuites.has('scalesim')).toBe(true);
  });
  it('tpu-v1: 256×256 at 700 MHz; 34 GB/s of 1-byte words = 48.6 words per cycle; 24 MiB / 256 KiB / 4 MiB buffers', () => {
    const hw = resolveArchitecture(registry, 'tpu-v1').model;
    const m = systolicMeta(hw);
    expect([m.rows, m.cols, hw.clockMHz, m.dataflow]).toEqual([256, 256, 700, 'ws']);
    expect(m.dramWordsPerCycle).toBeCloseTo(34e9 / 700e6, 6);
    expect(m.sramWords).toEqual([256 * 1024, 24 * 1024 * 1024, 4 * 1024 * 1024]);
    expect(hw.levels.map((l) => l.name)).toEqual(['pe', 'sram', 'dram']);
    expect([hw.levels[1].fanoutY, hw.levels[1].fanoutX]).toEqual([256, 256]);
  });
  it('systolic-32x32 is SCALE-Sim’s reference array: 64 KB (65 536 one-byte words) per operand, unbounded DRAM', () => {
    const m = systolicMeta(resolveArchitecture(registry, 'systolic-32x32').model);
    expect(m.sramWords).toEqual([65536, 65536, 65536]);
    expect(m.dramWordsPerCycle).toBe(Infinity);
    expect(m.dramPerOperand).toBe(true);
  });
  it('45 nm energy defaults: 64 KB SRAM = 10 pJ·√8 per 64 bits → 3.54 pJ per byte; DRAM 1950/8 pJ per byte', () => {
    const m = systolicMeta(resolveArchitecture(registry, 'systolic-32x32').model);
    expect(m.sramEnergyPj[1]).toBeCloseTo((10 * Math.sqrt(8)) / 8, 6);
    expect(resolveArchitecture(registry, 'systolic-32x32').model.levels[2].readEnergyPj).toBeCloseTo(243.75, 6);
  });
  it('area: tpu-v1 as published (331 mm²); otherwise PEs and buffers scaled from the TPU v1 floor plan', () => {
    expect(resolveArchitecture(registry, 'tpu-v1').model.areaMm2).toBe(331);
    // 1024 PEs × 0.3·331/65 536 mm² + 192 KB = 0.1875 MiB × 0.37·331/28.25 mm²/MiB.
    const expected = (1024 * 0.3 * 331) / 65536 + (0.1875 * 0.37 * 331) / 28.25;
    expect(resolveArchitecture(registry, 'systolic-32x32').model.areaMm2).toBeCloseTo(expected, 9);
  });
  it('systolic-sweep is registered and every one of its --set paths and values builds', () => {
    const space = registry.spaces.get('systolic-sweep');
    for (const [path, values] of Object.entries(space.parameters)) {
      for (const v of values) {
        const hw = resolveArchitecture(registry, String(space.base), [`${path}=${String(v)}`]).model;
        expect(hw.template).toBe('systolic');
      }
    }
  });
  it('--set overrides a field', () => {
    const hw = resolveArchitecture(registry, 'systolic-32x32', ['rows=16', 'dataflow=ws']).model;
    expect(systolicMeta(hw).rows).toBe(16);
    expect(systolicMeta(hw).dataflow).toBe('ws');
  });
  it('exports a JSON Schema of the spec', () => {
    const s = systolicJsonSchema as { properties?: Record<string, unknown>; required?: string[] };
    expect(Object.keys(s.properties ?? {})).toEqual(expect.arrayContaining(['rows', 'cols', 'sram', 'dram', 'energy']));
  });
});

describe('SCALE-Sim .cfg importer', () => {
  it('maps the presets onto the spec (USER bandwidth → words per cycle per operand)', () => {
    expect(parseScaleSimConfig(CFG, 'x.cfg')).toEqual({
      name: 'my_run',
      rows: 16,
      cols: 64,
      dataflow: 'os',
      wordBits: 8,
      sram: { ifmapKB: 128, filterKB: 32, ofmapKB: 16 },
      dram: { bandwidth: 10, interfaces: 'per-operand' },
    });
    expect(parseScaleSimConfig(CFG.replace('USER', 'CALC'), 'x.cfg').dram).toEqual({ bandwidth: 'unbounded', interfaces: 'per-operand' });
  });
  it('resolves a .cfg path through the template importer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-cfg-'));
    const file = join(dir, 'arch.cfg');
    writeFileSync(file, CFG);
    const registry = new Registry().use(corePlugin).use(plugin);
    const arch = resolveArchitecture(registry, file);
    expect(arch.template).toBe('systolic');
    expect(systolicMeta(arch.model).sramWords).toEqual([32 * 1024, 128 * 1024, 16 * 1024]);
  });
  it('a missing preset is a user error naming it', () => {
    const bad = CFG.replace(/ArrayWidth:.*\n/, '');
    expect(() => parseScaleSimConfig(bad, 'x.cfg')).toThrow(TrimUserError);
    expect(() => parseScaleSimConfig(bad, 'x.cfg')).toThrow(/ArrayWidth/);
    expect(() => parseScaleSimConfig(CFG.replace('Dataflow : os', 'Dataflow : rs'), 'x.cfg')).toThrow(/Dataflow/);
    expect(() => parseScaleSimConfig(CFG.replace('ArrayHeight:    16', 'ArrayHeight: 16.5'), 'x.cfg')).toThrow(/ArrayHeight must be a positive integer/);
    expect(() => parseScaleSimConfig(CFG.replace('Bandwidth : 10', 'Bandwidth : fast'), 'x.cfg')).toThrow(/Bandwidth/);
  });
});

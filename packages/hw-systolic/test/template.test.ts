import { corePlugin, Port, Registry, resolveArchitecture, TrimUserError } from '@trim-dse/core';
import { checkPlugin } from '@trim-dse/core/testkit';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { parseScaleSimConfig, systolicJsonSchema } from '../src/index.js';
import { DRAM, PE, SRAM } from './helpers.js';

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
  const model = (name: string, sets: string[] = []) => resolveArchitecture(registry, name, sets).model;
  it('registers the template, its built-ins, systolic-sweep and the scalesim suite', () => {
    expect(registry.hardware.has('systolic')).toBe(true);
    for (const a of ['tpu-v1', 'systolic-8x8', 'systolic-32x32', 'systolic-128x128']) expect(registry.architectures.has(a)).toBe(true);
    expect(registry.validationSuites.has('scalesim')).toBe(true);
    expect(registry.spaces.has('systolic-sweep')).toBe(true);
  });
  it('tpu-v1: 256×256 int8 at 700 MHz; 34 GB/s = 34e9 / 700e6 bytes per cycle, shared; 256 KiB / 24 MiB / 4 MiB buffers', () => {
    const hw = model('tpu-v1');
    expect(hw.levels.map((l) => l.name)).toEqual(['pe', 'sram', 'dram']);
    expect([hw.levels[SRAM].fanoutY, hw.levels[SRAM].fanoutX, hw.clockMHz, hw.precision, hw.arrayLevel]).toEqual([256, 256, 700, 'int8', 1]);
    expect(hw.levels[DRAM].readBytesPerCycle).toBeCloseTo(34e9 / 700e6, 9);
    expect(hw.levels[DRAM].port).toBe(Port.Shared);
    expect(hw.levels[SRAM].slotCapacityBytes).toEqual([256 * 1024, 24 * 1024 * 1024, 4 * 1024 * 1024]);
    // Wired for ws: the other stationary operands are illegal (tested on the cost model in cost.test.ts).
    expect(hw.cost.mappingDetail).toBe('stationary-operand');
  });
  it('systolic-32x32 is SCALE-Sim’s reference array: 64 KB per operand, unbounded DRAM, one interface per operand', () => {
    const hw = model('systolic-32x32');
    expect(hw.levels[SRAM].slotCapacityBytes).toEqual([65536, 65536, 65536]);
    expect([hw.levels[DRAM].readBytesPerCycle, hw.levels[DRAM].port, hw.levels[DRAM].doubleBuffered]).toEqual([Infinity, Port.PerOperand, true]);
  });
  it('45 nm energy defaults per byte: a 64 KB SRAM is 10 pJ·√8 per 64 bits = 3.54 pJ/B; DRAM 1950/8 pJ/B; PE latch 0.03 pJ/B', () => {
    const hw = model('systolic-32x32');
    expect(hw.levels[SRAM].readPjPerByte[1]).toBeCloseTo((10 * Math.sqrt(8)) / 8, 9);
    expect(hw.levels[DRAM].readPjPerByte[0]).toBeCloseTo(243.75, 9);
    expect([hw.levels[PE].readPjPerByte[0], hw.levels[PE].writePjPerByte[2]]).toEqual([0, 0.03]);
    // A 16-bit array: per-word figures ÷ 2 bytes (DRAM 1950·16/64 pJ per word = 243.75 pJ per byte again).
    expect(model('systolic-32x32', ['wordBits=16']).levels[DRAM].readPjPerByte[0]).toBeCloseTo(243.75, 9);
  });
  it('area: tpu-v1 as published (331 mm²); otherwise PEs and buffers scaled from the TPU v1 floor plan', () => {
    expect(model('tpu-v1').areaMm2).toBe(331);
    // 1024 PEs × 0.3·331/65 536 mm² + 192 KB = 0.1875 MiB × 0.37·331/28.25 mm²/MiB.
    const expected = (1024 * 0.3 * 331) / 65536 + (0.1875 * 0.37 * 331) / 28.25;
    expect(model('systolic-32x32').areaMm2).toBeCloseTo(expected, 9);
  });
  it('systolic-sweep: every --set path and value builds; DRAM words per cycle are bytes of the 8-bit word', () => {
    const space = registry.spaces.get('systolic-sweep');
    for (const [path, values] of Object.entries(space.parameters)) {
      for (const v of values) expect(model(String(space.base), [`${path}=${String(v)}`]).template).toBe('systolic');
    }
    expect(model('systolic-32x32', ['dram.bandwidth=16']).levels[DRAM].readBytesPerCycle).toBe(16);
  });
  it('--set overrides a field', () => {
    const hw = model('systolic-32x32', ['rows=16', 'cols=1']);
    expect([hw.levels[SRAM].fanoutY, hw.levels[SRAM].fanoutX]).toEqual([16, 1]);
  });
  it('exports a JSON Schema of the spec', () => {
    const s = systolicJsonSchema as { properties?: Record<string, unknown>; required?: string[] };
    expect(Object.keys(s.properties ?? {})).toEqual(expect.arrayContaining(['rows', 'cols', 'sram', 'dram', 'energy']));
  });
});

describe('SCALE-Sim .cfg importer', () => {
  it('maps the presets onto the spec (USER bandwidth → words per cycle per operand, 1-byte words)', () => {
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
  it('resolves a .cfg path through the template importer: int8 tensors, KB → bytes, 10 words → 10 bytes per cycle per buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-cfg-'));
    const file = join(dir, 'arch.cfg');
    writeFileSync(file, CFG);
    const registry = new Registry().use(corePlugin).use(plugin);
    const arch = resolveArchitecture(registry, file);
    expect(arch.template).toBe('systolic');
    const hw = arch.model;
    expect(hw.levels[SRAM].slotCapacityBytes).toEqual([32 * 1024, 128 * 1024, 16 * 1024]);
    expect([hw.precision, hw.levels[DRAM].readBytesPerCycle, hw.levels[DRAM].port]).toEqual(['int8', 10, Port.PerOperand]);
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

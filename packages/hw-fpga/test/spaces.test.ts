import { applySets, corePlugin, Grid, isTrimUserError, parseWith, Registry, resolveArchitecture, spaceFromSpec } from '@trim-dse/core';
import { checkPlugin } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import fpga, { fpgaSpaces } from '../src/index.js';

const registry = new Registry().use(corePlugin).use(fpga);

function build(sets: string[]) {
  const space = registry.spaces.get('fpga-vc707');
  const template = registry.hardware.get(space.template);
  const spec = parseWith(template.configSchema, applySets(space.base, sets), 'point');
  return template.build(spec, 'point');
}

describe('conformance (core testkit)', () => {
  it('registers cleanly; the built-in zhang-fpga15-vc707 builds', () => {
    expect(checkPlugin(fpga).architectures.has('zhang-fpga15-vc707')).toBe(true);
  });
});

describe('fpga-<device> design spaces', () => {
  it('one per built-in device, sweeping Tm and Tn on template fpga', () => {
    expect(fpgaSpaces.map((s) => s.name)).toEqual(['fpga-vc707', 'fpga-zc706', 'fpga-zcu102', 'fpga-u250', 'fpga-arria10', 'fpga-de5net']);
    for (const s of fpgaSpaces) {
      expect(s.template).toBe('fpga');
      expect(Object.keys(s.parameters)).toEqual(['Tm', 'Tn']);
    }
    expect(new Grid(spaceFromSpec(fpgaSpaces[0]).parameters).size).toBe(13 * 14);
  });
  it('a point is base + user sets + point sets, parsed and built (as the explorer does)', () => {
    const hw = build(['precision=fp32', 'clockMHz=100', 'Tm=64', 'Tn=7']);
    expect(hw.levels[0].fanoutX * hw.levels[0].fanoutY).toBe(448);
    expect(hw.clockMHz).toBe(100);
  });
  it('a point that overflows throws a TrimUserError naming the resource', () => {
    try {
      build(['precision=fp32', 'clockMHz=100', 'Tm=128', 'Tn=8']);
      expect.unreachable();
    } catch (e) {
      expect(isTrimUserError(e) && e.field).toBe('dsp');
    }
  });
  it('without --set precision the schema names the field', () => {
    try {
      build(['clockMHz=100']);
      expect.unreachable();
    } catch (e) {
      expect(isTrimUserError(e) && e.message).toMatch(/precision/);
    }
  });
  it('built-in zhang-fpga15-vc707 resolves; --set Tn=8 overflows the DSPs', () => {
    expect(resolveArchitecture(registry, 'zhang-fpga15-vc707').model.template).toBe('fpga');
    expect(() => resolveArchitecture(registry, 'zhang-fpga15-vc707', ['Tn=8'])).toThrow(/DSP slices/);
  });
  it('layer-pipelined needs stages', () => {
    expect(() => resolveArchitecture(registry, 'zhang-fpga15-vc707', ['organisation=layer-pipelined'])).toThrow(/stages/);
  });
});

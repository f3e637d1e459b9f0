import { capabilities, emptyMapping, engineCostModel, withCostModel, type HardwareModel } from '@trim-dse/core';
import { memoryLevel } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import { timeloopMapReader } from '../src/index.js';
import { conv } from './helpers.js';

const hw: HardwareModel = withCostModel(
  {
    name: 'hw',
    template: 'timeloop',
    clockMHz: 1000,
    precision: 'int8',
    levels: [memoryLevel({ name: 'RF' }), memoryLevel({ name: 'GLB', fanoutX: 4, fanoutY: 4 }), memoryLevel({ name: 'DRAM' })],
    macEnergyPj: 1,
    vectorOpsPerCycle: 16,
    aluEnergyPj: 1,
    capabilities: capabilities(),
  },
  engineCostModel,
);
const read = (mapping: unknown[]) => timeloopMapReader.read({ mapping }, 'map.yaml');
const D = 'NGKCPQRS';
const at = (a: Int32Array | Uint8Array | Int8Array, l: number, d: string) => a[l * 8 + D.indexOf(d)];

describe("Timeloop's map.yaml", () => {
  it('is claimed by its mapping list, not by a problem or a TRIM result', () => {
    expect(timeloopMapReader.accepts({ mapping: [{ target: 'RF', type: 'temporal' }] }, 'm.yaml')).toBe(true);
    expect(timeloopMapReader.accepts({ problem: {} }, 'p.yaml')).toBe(false);
    expect(timeloopMapReader.accepts({ schema: 'trim.eval/v1', layers: [] }, 'r.json')).toBe(false);
  });

  it('temporal factors; the permutation is innermost first (TRIM orders outermost first)', () => {
    const op = conv({ K: 32, P: 16, R: 3 });
    const m = read([
      { target: 'DRAM', type: 'temporal', factors: 'R=1 P=1 K=2', permutation: 'PRK' },
      { target: 'GLB', type: 'temporal', factors: 'K16 P16', permutation: 'RPK' },
      { target: 'RF', type: 'temporal', factors: 'R=3 P=1 K=1', permutation: 'RPK' },
    ]).mappingFor(op, hw)!;
    expect([at(m.temporal, 2, 'K'), at(m.temporal, 1, 'K'), at(m.temporal, 1, 'P'), at(m.temporal, 0, 'R')]).toEqual([2, 16, 16, 3]);
    // GLB: R innermost, then P, then K → outermost-first order ends … K, P, R.
    const order = [...m.order.slice(8, 16)].map((d) => D[d]).join('');
    expect(order.endsWith('KPR')).toBe(true);
  });

  it('spatial factors along x up to `split`, the rest along y; M is the output-channel dim', () => {
    const op = conv({ K: 4, C: 4, P: 2 });
    const m = read([
      { target: 'GLB', type: 'spatial', factors: 'C=4 M=4', permutation: 'CM', split: 1 },
      { target: 'DRAM', type: 'temporal', factors: 'P=2', permutation: 'P' },
    ]).mappingFor(op, hw)!;
    expect([at(m.spatialX, 1, 'C'), at(m.spatialY, 1, 'K'), at(m.spatialX, 1, 'K')]).toEqual([4, 4, 1]);
  });

  it('bypass/keep per data space; unlisted levels keep everything and iterate nothing', () => {
    const op = conv({ P: 2 });
    const m = read([
      { target: 'RF', type: 'bypass', keep: ['Outputs'], bypass: ['Weights', 'Inputs'] },
      { target: 'DRAM', type: 'temporal', factors: 'P=2', permutation: 'P' },
    ]).mappingFor(op, hw)!;
    expect([...m.keep]).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect([...m.temporal.slice(8, 16)]).toEqual([...emptyMapping(3).temporal.slice(8, 16)]);
  });

  it('a factor 0 means the whole dimension', () => {
    const m = read([{ target: 'DRAM', type: 'temporal', factors: 'P=0', permutation: 'P' }]).mappingFor(conv({ P: 7 }), hw)!;
    expect(at(m.temporal, 2, 'P')).toBe(7);
  });

  it('user errors name the field and the fix', () => {
    const op = conv({ P: 16 });
    expect(() => read([{ target: 'L2', type: 'temporal', factors: 'P=16' }]).mappingFor(op, hw)).toThrow(/mapping\[0\].target: "L2" is not a storage level of hw \(levels: RF, GLB, DRAM\)/);
    expect(() => read([{ target: 'DRAM', type: 'temporal', factors: 'P=8' }]).mappingFor(op, hw)).toThrow(/factors of dimension P multiply to 8, not layer conv's 16/);
    expect(() => read([{ target: 'DRAM', type: 'temporal', factors: 'X=8' }])).toThrow(/mapping\[0\].factors: unknown problem dimension "X"/);
    expect(() => read([{ target: 'DRAM', type: 'temporal', factors: 'P=8,4' }])).toThrow(/residual factor/);
    expect(() => read([{ target: 'DRAM', type: 'skew' }])).toThrow(/mapping\[0\].type: expected temporal, spatial or bypass/);
    expect(() => read([{ target: 'RF', type: 'bypass', keep: ['Psums'] }])).toThrow(/keep\[0\]: unknown data space "Psums"/);
  });
});

import { capabilities, describeMapping, emptyMapping, engineCostModel, macOp, withCostModel, type HardwareModel, type MacOp } from '../src/index.js';

function conv(bounds: Partial<Record<'N' | 'K' | 'C' | 'P' | 'Q' | 'R' | 'S', number>>): MacOp {
  return macOp({
    name: 'conv',
    layer: 'conv',
    layerKind: 'conv2d',
    phase: 'forward',
    bounds,
    operands: [
      { tensor: 'weights', projection: 'filter', bytes: 1, density: 1 },
      { tensor: 'inputs', projection: 'window', bytes: 1, density: 1 },
      { tensor: 'outputs', projection: 'output', bytes: 1, density: 1 },
    ],
  });
}
import { memoryLevel } from '../src/testkit/index.js';
import { describe, expect, it } from 'vitest';
import { trimMappingReader } from '../src/index.js';

const hw: HardwareModel = withCostModel(
  {
    name: 'hw',
    template: 'generic',
    clockMHz: 1000,
    precision: 'int8',
    levels: [memoryLevel({ name: 'rf' }), memoryLevel({ name: 'glb', fanoutX: 4, fanoutY: 2 }), memoryLevel({ name: 'dram' })],
    macEnergyPj: 1,
    vectorOpsPerCycle: 8,
    aluEnergyPj: 1,
    capabilities: capabilities(),
  },
  engineCostModel,
);

describe("TRIM's own printed mapping, read back", () => {
  it('round-trips what describeMapping prints (factors, spatial axes, order, bypass)', () => {
    const op = conv({ K: 8, C: 4, P: 6, R: 3 });
    const m = emptyMapping(3);
    m.temporal[0 * 8 + 6] = 3; // rf: R
    m.spatialX[1 * 8 + 3] = 4; // glb: C across x
    m.spatialY[1 * 8 + 2] = 2; // glb: K across y
    m.temporal[2 * 8 + 2] = 4; // dram: K
    m.temporal[2 * 8 + 4] = 6; // dram: P
    [0, 1, 3, 5, 6, 7, 4, 2].forEach((d, i) => (m.order[2 * 8 + i] = d)); // dram: … P then K innermost
    m.keep[0 * 3 + 1] = 0; // rf bypasses inputs
    const doc = { schema: 'trim.eval/v1', layers: [{ name: 'conv', phase: 'forward', mapping: describeMapping(m, hw, ['weights', 'inputs', 'outputs']) }] };
    const back = trimMappingReader.read(JSON.parse(JSON.stringify(doc)), 'r.json').mappingFor(op, hw)!;
    expect([...back.temporal]).toEqual([...m.temporal]);
    expect([...back.spatialX]).toEqual([...m.spatialX]);
    expect([...back.spatialY]).toEqual([...m.spatialY]);
    expect([...back.keep]).toEqual([...m.keep]);
    // Only loops with a factor above 1 have an order that matters: P outside K at dram.
    const pos = (d: number) => [...back.order.slice(16, 24)].indexOf(d);
    expect(pos(4)).toBeLessThan(pos(2));
  });

  it('maps each op by layer name and phase; an op the file lacks gets none', () => {
    const doc = { schema: 'trim.eval/v1', layers: [{ name: 'other', phase: 'forward', mapping: { levels: [] } }] };
    expect(trimMappingReader.read(doc, 'r.json').mappingFor(conv({ P: 2 }), hw)).toBeUndefined();
  });

  it('a result printed without mappings, or naming unknown levels, is a user error', () => {
    expect(trimMappingReader.accepts({ schema: 'trim.eval/v1', layers: [] }, 'r.json')).toBe(true);
    expect(() => trimMappingReader.read({ schema: 'trim.eval/v1', layers: [{ name: 'conv', phase: 'forward' }] }, 'r.json')).toThrow(/no layer carries its mapping/);
    const doc = { schema: 'trim.eval/v1', layers: [{ name: 'conv', phase: 'forward', mapping: { levels: [{ level: 'l2', temporal: {}, spatialX: {}, spatialY: {}, order: '', bypass: [] }] } }] };
    expect(() => trimMappingReader.read(doc, 'r.json').mappingFor(conv({ P: 2 }), hw)).toThrow(/"l2" is not a level of hw/);
  });
});

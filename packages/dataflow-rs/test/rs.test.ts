import { bestMapping, engineCostModel, macOp, perSlot, withCostModel, type MacOp, type Operand } from '@trim-dse/core';
import { memoryLevel } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import rsPlugin, { busyPEs, evenSplit, fullestPlacements, rowStationary, rsPlacements, rsSchema } from '../src/index.js';
import { smallSpatial } from './hw.js';

const dense = (tensor: Operand['tensor'], projection: Operand['projection']): Operand => ({ tensor, projection, bytes: 2, density: 1 });
const OPS = [dense('weights', 'filter'), dense('inputs', 'window'), dense('outputs', 'output')] as const;

function conv(bounds: Parameters<typeof macOp>[0]['bounds'], stride = 1): MacOp {
  return macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds, strideH: stride, strideW: stride, operands: OPS });
}

const config = rsSchema.parse({});
const choice = { plugin: rowStationary, config } as const;

describe('row stationary: one R × E set on a 3 × 1 array (hand-worked)', () => {
  // One 3×3 filter, one channel, one output row of 5: PE r holds filter row r and convolves ifmap row r.
  it('keeps filter rows stationary, slides ifmap rows and reduces psums down the column', () => {
    const op = conv({ R: 3, S: 3, P: 1, Q: 5 });
    const hw = smallSpatial(3, 1);
    const r = bestMapping(op, hw, choice, 'energy');
    if (!('cost' in r)) throw new Error(r.reason);
    const c = r.cost;
    expect(c.macs).toBe(45);
    expect(c.computeCycles).toBe(15); // 5 output columns × 3 taps, the 3 PEs in parallel
    expect(c.utilization).toBe(1);
    expect(c.writes[0 * 3 + 0]).toBe(9); // each PE loads its 3-tap filter row once
    expect(c.writes[0 * 3 + 1]).toBe(21); // each PE: a 3-wide window, then 1 new value per slide (3 + 4)
    expect(c.reads[1 * 3 + 1]).toBe(21); // the buffer sends the 3 × 7 ifmap once
    expect(c.writes[1 * 3 + 2]).toBe(5); // 5 finished psums leave the column once
    // NoC of the testkit model (the engine alone): every buffer read sent down once, 2 pJ per 16-bit word. The
    // spatial template adds the psums sent up and the PE-to-PE hops (tests/integration/test/spatial-rs.test.ts).
    const glbReads = c.reads[3] + c.reads[4] + c.reads[5];
    expect(c.networkEnergyPj).toBeCloseTo(2 * glbReads, 9);
  });

  it('slides by the stride: a stride-2 row brings 2 new values per step', () => {
    const op = conv({ R: 3, S: 3, P: 1, Q: 5 }, 2);
    const r = bestMapping(op, smallSpatial(3, 1), choice, 'energy');
    if (!('cost' in r)) throw new Error(r.reason);
    expect(r.cost.writes[1]).toBe(3 * (3 + 4 * 2)); // 11 = the whole 11-wide ifmap row, once per PE
  });

  it('accumulates q channels and p filters inside the PE within the three scratchpads', () => {
    const op = conv({ K: 4, C: 4, R: 3, S: 3, P: 1, Q: 5 });
    const r = bestMapping(op, smallSpatial(3, 1), choice, 'energy');
    if (!('mapping' in r)) throw new Error(r.reason);
    const t = r.mapping.temporal;
    // Inside the PE: ifmap spad q × S ≤ 12 → q ≤ 4; filter p × q × S ≤ 224; psum p ≤ 24.
    expect(t[3] * t[7]).toBeLessThanOrEqual(12);
    expect(t[2] * t[3] * t[7]).toBeLessThanOrEqual(224);
    expect(t[2]).toBeLessThanOrEqual(24);
    expect(t[7]).toBe(3);
  });
});

describe('placements of the logical set on the 12 × 14 Eyeriss array', () => {
  it('splits evenly', () => {
    expect(evenSplit(55, 14)).toBe(14); // 4 folds of 14 (56)
    expect(evenSplit(27, 14)).toBe(14);
    expect(evenSplit(13, 14)).toBe(13);
    expect(evenSplit(96, 1)).toBe(1);
  });

  it('AlexNet CONV1: 11 filter rows × 14 output rows (154 PEs)', () => {
    const p = rsPlacements(conv({ K: 96, C: 3, R: 11, S: 11, P: 55, Q: 55 }, 4), 12, 14, config);
    expect(p.some((pl) => pl.y[6] === 11 && pl.x[4] === 14)).toBe(true);
  });

  it('AlexNet CONV2: E = 27 folded onto two 5-row strips of 14 (Eyeriss: 135 active PEs)', () => {
    const p = rsPlacements(conv({ G: 2, K: 128, C: 48, R: 5, S: 5, P: 27, Q: 27 }), 12, 14, config);
    expect(p.some((pl) => pl.y[6] === 5 && pl.y[4] === 2 && pl.x[4] === 14)).toBe(true);
  });

  it('AlexNet CONV3: four 3 × 13 sets for four filter groups (156 PEs)', () => {
    const p = rsPlacements(conv({ K: 384, C: 256, R: 3, S: 3, P: 13, Q: 13 }), 12, 14, config);
    expect(p.some((pl) => pl.y[6] === 3 && pl.y[2] === 4 && pl.x[4] === 13)).toBe(true);
    for (const pl of p) expect(pl.x.reduce((a, v) => a * v, 1)).toBeLessThanOrEqual(14);
    for (const pl of p) expect(pl.y.reduce((a, v) => a * v, 1)).toBeLessThanOrEqual(12);
  });
});

describe('only the placements that fill the array as Eyeriss does (JSSC 2017: 154, 135, 156 PEs)', () => {
  const one = [1, 1, 1, 1, 1, 1, 1, 1];
  const at = (pairs: Array<[number, number]>) => {
    const v = [...one];
    for (const [d, f] of pairs) v[d] = f;
    return v;
  };
  it('counts the PEs a placement keeps busy: a bound b split s ways keeps b / ⌈b/s⌉ busy', () => {
    const op = conv({ K: 384, C: 256, R: 3, S: 3, P: 13, Q: 13 });
    // R 3 · K 4 down the rows × E 13 across: 156.
    expect(busyPEs(op, { x: at([[4, 13]]), y: at([[6, 3], [2, 4]]) })).toBe(156);
    // E folded into 2 strips of 7 (13 rows: 6.5 busy on average) × K 2 across, R 3 · K 4 down: 3 · 4 · 2 · 6.5 = 156.
    expect(busyPEs(op, { x: at([[4, 7], [2, 2]]), y: at([[6, 3], [2, 4]]) })).toBe(156);
    // AlexNet CONV2: E 27 on 2 × 14 positions (27 busy) × R 5 = 135.
    expect(busyPEs(conv({ G: 2, K: 128, C: 48, R: 5, S: 5, P: 27, Q: 27 }), { x: at([[4, 14]]), y: at([[6, 5], [4, 2]]) })).toBe(135);
  });
  it('drops the emptier ones: CONV3’s bare 3 × 13 set (39 PEs) is not offered, its 156-PE replicas are', () => {
    const op = conv({ K: 384, C: 256, R: 3, S: 3, P: 13, Q: 13 });
    const all = rsPlacements(op, 12, 14, config);
    const kept = fullestPlacements(op, all);
    expect(all.some((pl) => busyPEs(op, pl) === 39)).toBe(true);
    expect(kept.length).toBeGreaterThan(0);
    for (const pl of kept) expect(busyPEs(op, pl)).toBe(156);
  });
});

describe('plug-in', () => {
  it('registers the rs dataflow for the spatial template', () => {
    expect(rsPlugin.name).toBe('@trim-dse/dataflow-rs');
    expect(rsPlugin.dataflows?.map((d) => d.name)).toEqual(['rs']);
    expect(rowStationary.templates).toEqual(['spatial']);
  });

  it('rejects a bad option naming the field', () => {
    expect(() => rsSchema.parse({ maxCandidates: 1 })).toThrow(/maxCandidates/);
  });
});

describe('other hierarchies', () => {
  it('falls back to the tiled mapspace with the RS specs when the hierarchy is not [rf, glb, dram]', () => {
    const base = smallSpatial(3, 2);
    // A 2 MB level between the buffer and DRAM, 25 pJ per byte; the array stays at level 1.
    const l2 = memoryLevel({ name: 'l2', capacityBytes: 1 << 21, readPjPerByte: perSlot(25), writePjPerByte: perSlot(25), doubleBuffered: false });
    const hw = withCostModel({ ...base, levels: [base.levels[0], base.levels[1], l2, base.levels[2]] }, engineCostModel);
    const op = conv({ K: 4, C: 2, R: 3, S: 3, P: 4, Q: 6 });
    const lean = rsSchema.parse({ maxCandidates: 2, replicateY: [], replicateX: [] });
    const r = bestMapping(op, hw, { plugin: rowStationary, config: lean }, 'edp');
    if (!('cost' in r)) throw new Error(r.reason);
    expect(r.cost.legal).toBe(true);
    expect(r.mapping.spatialY[1 * 8 + 6]).toBe(3); // filter rows down the array's rows
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestMapping, Cost, defineTiledDataflow, dimRoles, einsumOp, emptyMapping, evaluate, Evaluator, macOp, operandSize, tiledMapspace, type MacOp } from '../src/index.js';
import { hardware, level } from './helpers.js';
import { engineAndSim } from './reference-sim.js';
import { z } from 'zod';

const b2 = (tensor: string, axes: string) => ({ tensor, axes, bytes: 2 });

/** Attention scores S[b,h,s,t] = Σ_d Q[b,h,s,d] · K[b,h,t,d]: K on the weights side, Q on the inputs side. */
function scores(b: number, h: number, s: number, t: number, d: number): MacOp {
  return einsumOp({
    name: 'qk',
    layer: 'attn',
    layerKind: 'matmul',
    phase: 'forward',
    dims: [['b', b], ['h', h], ['s', s], ['t', t], ['d', d]],
    operands: [b2('keys', 'b h t d'), b2('queries', 'b h s d'), b2('scores', 'b h s t')],
  });
}

describe('einsum ops', () => {
  it('hand-worked: attention scores, its masks, roles, sizes and MACs', () => {
    const op = scores(2, 4, 16, 16, 8);
    expect(op.dims).toEqual(['b', 'h', 's', 't', 'd']);
    expect(op.macs).toBe(2 * 4 * 16 * 16 * 8);
    // b and h index all three (batch), t the keys and the scores (K), s the queries and the scores (P), d the reduction.
    expect(dimRoles(op.nest)).toEqual(['G', 'G', 'P', 'K', 'C']);
    expect([operandSize(op, 0), operandSize(op, 1), operandSize(op, 2)]).toEqual([2 * 4 * 16 * 8, 2 * 4 * 16 * 8, 2 * 4 * 16 * 16]);
    expect(op.nest.mask).toEqual([0b11011, 0b10111, 0b01111]);
  });

  it('a window axis: conv1d out[k,p] += w[k,c,r] · in[c, 2p + r] touches (P−1)·2 + R input rows', () => {
    const op = einsumOp({
      name: 'conv1d',
      layer: 'conv1d',
      layerKind: 'conv1d',
      phase: 'forward',
      dims: { k: 4, c: 3, p: 10, r: 3 },
      operands: [b2('weights', 'k c r'), b2('inputs', 'c p*2+r'), b2('outputs', 'k p')],
    });
    expect(operandSize(op, 1)).toBe(3 * (9 * 2 + 3));
    expect(dimRoles(op.nest)).toEqual(['K', 'C', 'P', 'R']);
  });

  it('refuses unknown dims, bad terms and too many dims, naming the op', () => {
    const make = (axes: string) => () => einsumOp({ name: 'x', layer: 'x', layerKind: 'matmul', phase: 'forward', dims: { i: 2, j: 2 }, operands: [b2('a', axes), b2('b', 'i'), b2('c', 'i')] });
    expect(make('i z')).toThrow(/op x: axis "z" names "z", not a loop dim \(i, j\)/);
    expect(make('i^2')).toThrow(/term "i\^2"/);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 1]));
    expect(() => einsumOp({ name: 'wide', layer: 'w', layerKind: 'matmul', phase: 'forward', dims: many, operands: [b2('a', 'd0'), b2('b', 'd0'), b2('c', 'd0')] })).toThrow(/at most 30/);
  });

  it('the conv nest written as an einsum costs exactly what macOp costs (same dims, same mapping)', () => {
    const conv = macOp({
      name: 'c',
      layer: 'c',
      layerKind: 'conv2d',
      phase: 'forward',
      bounds: { N: 2, K: 4, C: 3, P: 5, Q: 4, R: 3, S: 2 },
      strideH: 2,
      dilationW: 2,
      operands: [
        { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
        { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
      ],
    });
    const ein = einsumOp({
      name: 'c',
      layer: 'c',
      layerKind: 'conv2d',
      phase: 'forward',
      dims: [['N', 2], ['G', 1], ['K', 4], ['C', 3], ['P', 5], ['Q', 4], ['R', 3], ['S', 2]],
      operands: [b2('weights', 'G K C R S'), b2('inputs', 'N G C P*2+R Q+S*2'), b2('outputs', 'N G K P Q')],
    });
    const hw = hardware([level('rf'), level('glb', { fanoutX: 2, fanoutY: 2 }), level('dram')]);
    const m = emptyMapping(3, 8);
    const D = 8;
    // rf: R, S; glb: K×2 on x, C on y (spatial), P temporal; dram: the rest.
    m.temporal[0 * D + 6] = 3;
    m.temporal[0 * D + 7] = 2;
    m.spatialX[1 * D + 2] = 2;
    m.spatialY[1 * D + 3] = 2;
    m.temporal[1 * D + 4] = 5;
    m.temporal[2 * D + 0] = 2;
    m.temporal[2 * D + 2] = 2;
    m.temporal[2 * D + 3] = 2;
    m.temporal[2 * D + 5] = 4;
    const a = evaluate(conv, hw, m, new Cost(3));
    const b = evaluate(ein, hw, m, new Cost(3));
    expect(a.legal && b.legal).toBe(true);
    expect(Array.from(b.reads)).toEqual(Array.from(a.reads));
    expect(Array.from(b.writes)).toEqual(Array.from(a.writes));
    expect(b.cycles).toBe(a.cycles);
    expect(b.energyPj).toBe(a.energyPj);
  });

  it('random einsums (batch dims, two windows, any rank) on random hierarchies equal the loop-nest simulator', () => {
    const scenario = fc.record({
      bounds: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 6, maxLength: 6 }),
      strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      // Per dim: level (0–2) and axis (x/y/temporal) of its split.
      split: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: 6, maxLength: 6 }),
      orders: fc.array(fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }), { minLength: 3, maxLength: 3 }),
      keep: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      shape: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const [a, bb, c, d, e, f] = s.bounds;
        // Three einsum families over dims (b, h, i, j, k, l): a batched matmul, a 2-D window, a mixed one.
        const forms = [
          ['b h j k', 'b h i k', 'b h i j'],
          ['h k l', `b k i*${s.strides[0]}+j l`, 'b h i'],
          ['b k', `b h i*${s.strides[0]}+k j*${s.strides[1]}+l`, 'b h i j'],
        ][s.shape];
        const op = einsumOp({
          name: 'e',
          layer: 'e',
          layerKind: 'einsum',
          phase: 'forward',
          dims: [['b', a], ['h', bb], ['i', c], ['j', d], ['k', e], ['l', f]],
          operands: [b2('w', forms[0]), b2('x', forms[1]), b2('y', forms[2])],
        });
        const hw = hardware([level('rf', { fanoutX: 2 }), level('glb', { fanoutX: 2, fanoutY: 2 }), level('dram')]);
        const D = 6;
        const m = emptyMapping(3, D);
        const usedX = [1, 1, 1];
        const usedY = [1, 1, 1];
        for (let dim = 0; dim < D; dim++) {
          const bound = op.bounds[dim];
          const [lv, axis] = s.split[dim];
          let left = bound;
          if (left > 1 && lv < 2 && axis === 0 && usedX[lv] * 2 <= hw.levels[lv].fanoutX) {
            m.spatialX[lv * D + dim] = 2;
            usedX[lv] *= 2;
            left = Math.ceil(left / 2);
          } else if (left > 1 && lv < 2 && axis === 1 && usedY[lv] * 2 <= hw.levels[lv].fanoutY) {
            m.spatialY[lv * D + dim] = 2;
            usedY[lv] *= 2;
            left = Math.ceil(left / 2);
          } else if (left > 1 && lv < 2) {
            m.temporal[lv * D + dim] = left;
            left = 1;
          }
        }
        const { cost, sim } = engineAndSim(op, hw, m, s);
        expect(cost.legal).toBe(true);
        expect(Array.from(cost.reads)).toEqual(sim.reads);
        expect(Array.from(cost.writes)).toEqual(sim.writes);
        expect(cost.computeCycles).toBe(sim.computeCycles);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('a conv-named tiled dataflow maps an einsum through its dims’ roles', () => {
    const ws = defineTiledDataflow({
      name: 'ws',
      description: 't',
      templates: '*',
      configSchema: z.object({}),
      spec: () => ({ spatialY: ['C', 'R', 'S'], spatialX: ['K'], peOrder: ['N', 'P', 'Q'], peDims: ['N', 'P', 'Q'], peKeep: [true, false, false], outerOrders: [['K', 'C', 'N', 'P', 'Q']] }),
    });
    const op = scores(1, 2, 16, 16, 8);
    const hw = hardware([level('rf', { capacityBytes: 64, doubleBuffered: false }), level('glb', { fanoutX: 4, fanoutY: 4 }), level('dram')]);
    const ms: number[][] = [];
    tiledMapspace(op, hw, ws.mapspace === undefined ? (undefined as never) : { spatialY: ['C'], spatialX: ['K'], peOrder: ['P'], outerOrders: [['K', 'C', 'P']] }, (m) => {
      ms.push([m.spatialX[1 * 5 + 3], m.spatialY[1 * 5 + 4]]);
    });
    // t (role K) across x, d (role C) down y.
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.every(([x, y]) => x === 4 && y === 4)).toBe(true);
    const r = bestMapping(op, hw, { plugin: ws, config: {} }, 'latency');
    expect('mapping' in r).toBe(true);
  });

  it('a plain einsum carries its GEMM as a conv-nest equivalent: G = b·h, P = s, K = t, C = d, same MACs and sizes', () => {
    const op = scores(2, 3, 5, 7, 4);
    const g = op.equivalents?.[0];
    expect(g?.nest.conv).toBe(true);
    expect(g?.bounds).toEqual([1, 6, 7, 4, 5, 1, 1, 1]);
    expect(g?.macs).toBe(op.macs);
    for (let t = 0; t < 3; t++) expect(operandSize(g!, t)).toBe(operandSize(op, t));
    // A window axis has no GEMM form.
    const conv1d = einsumOp({ name: 'c', layer: 'c', layerKind: 'conv1d', phase: 'forward', dims: { k: 2, c: 3, p: 4, r: 3 }, operands: [b2('weights', 'k c r'), b2('inputs', 'c p+r'), b2('outputs', 'k p')] });
    expect(conv1d.equivalents).toBeUndefined();
  });

  it('a cost model that prices only the conv nest (supports) gets an einsum through its GEMM equivalent', () => {
    const base = hardware([level('rf'), level('glb', { fanoutX: 2, fanoutY: 2 }), level('dram')]);
    const seen: boolean[] = [];
    const convOnly = { ...base, cost: { ...base.cost, supports: (o: MacOp) => {
      seen.push(o.nest.conv);
      return o.nest.conv;
    } } };
    const ws = defineTiledDataflow({ name: 'ws', description: 't', templates: '*', configSchema: z.object({}), spec: () => ({ spatialY: ['C'], spatialX: ['K'], peOrder: ['P'], outerOrders: [['K', 'C', 'P']] }) });
    const r = new Evaluator(convOnly, [{ plugin: ws, config: {} }], 'latency').evaluateOp(scores(1, 2, 8, 8, 4));
    expect(seen).toEqual([false, true]);
    expect(r.cost.macs).toBe(2 * 8 * 8 * 4);
    expect(r.form.kind === 'mac' && r.form.nest.conv).toBe(true);
  });
});


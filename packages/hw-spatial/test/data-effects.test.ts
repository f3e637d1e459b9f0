import { Cost, emptyMapping, evaluate, evaluateWithDataEffects, Illegal, macOp, rlcSizeFraction, type HardwareModel, type Operand } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpatial, eyerissSpec, spatialSchema } from '../src/index.js';

const rlc = { runBits: 5, levelBits: 16, codeWordBits: 64 };

describe('run-length coding size', () => {
  it('costs 64/3 bits per non-zero', () => {
    // 3 (run, level) pairs of 21 bits in 64: 21.33 bits per non-zero; density 0.3 → 0.3 × 21.33 / 16 = 0.4.
    expect(rlcSizeFraction(0.3, 16, rlc)).toBeCloseTo(0.4, 12);
  });
  it('never exceeds the dense size', () => {
    expect(rlcSizeFraction(1, 16, rlc)).toBe(1);
  });
  it('pays an extra pair per 32 zeros of a long run', () => {
    // density 0.01: mean run 99 zeros → 3 extra pairs per non-zero → 0.01 × 21.33 × 4 / 16.
    expect(rlcSizeFraction(0.01, 16, rlc)).toBeCloseTo((0.01 * (64 / 3) * 4) / 16, 12);
  });
  it('is at most 1 and grows with density over the short-run range (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.04, max: 1, noNaN: true }), fc.double({ min: 0.04, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const f = (d: number) => rlcSizeFraction(d, 16, rlc);
        return f(hi) <= 1 && f(lo) <= f(hi) + 1e-12;
      }),
    );
  });
});

/** A 1×1 conv, K = C = 2, 4×4 outputs, batch 1, on eyeriss; everything at DRAM level except a 1-PE mapping. */
function tinyCase(inDensity: number, outDensity: number) {
  const w: Operand = { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 };
  const x: Operand = { tensor: 'inputs', projection: 'window', bytes: 2, density: inDensity };
  const y: Operand = { tensor: 'outputs', projection: 'output', bytes: 2, density: outDensity };
  const op = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { K: 2, C: 2, P: 4, Q: 4 }, operands: [w, x, y] });
  const hw: HardwareModel = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');
  const m = emptyMapping(3);
  // rf: C = 2 inside the PE; glb: K, P, Q; dram: nothing.
  m.temporal[0 * 8 + 3] = 2;
  m.temporal[1 * 8 + 2] = 2;
  m.temporal[1 * 8 + 4] = 4;
  m.temporal[1 * 8 + 5] = 4;
  return { op, hw, m };
}

describe('data effects on a hand-worked case', () => {
  it('leaves a dense op exactly as the engine costs it, plus upward psum network energy', () => {
    const { op, m } = tinyCase(1, 1);
    const hw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, noc: { mode: 'multicast', chargePer: 'send' } }), 'send');
    const a = evaluate(op, hw, m, new Cost(3));
    const aEnergy = a.energyPj;
    const aNet = a.networkEnergyPj;
    const b = evaluateWithDataEffects(op, hw, m, new Cost(3));
    expect(b.legal).toBe(true);
    // 32 outputs written up once each (C accumulates in the PE) → 32 × 3.2 pJ upward; no spatial reduction.
    expect(b.writes[1 * 3 + 2]).toBe(32);
    expect(b.networkEnergyPj - aNet).toBeCloseTo(32 * 3.2, 9);
    expect(b.energyPj - aEnergy).toBeCloseTo(32 * 3.2, 9);
    expect(b.dramBytes).toBe(a.dramBytes);
  });

  it('gates MACs and filter reads on zero inputs and compresses feature maps on the DRAM link', () => {
    const dense = evaluateWithDataEffects(tinyCase(1, 1).op, tinyCase(1, 1).hw, tinyCase(1, 1).m, new Cost(3));
    const { op, hw, m } = tinyCase(0.3, 0.3);
    const sparse = evaluateWithDataEffects(op, hw, m, new Cost(3));
    // 64 MACs × 1.6 pJ × 0.3.
    expect(sparse.macEnergyPj).toBeCloseTo(64 * 1.6 * 0.3, 9);
    // Filter reads from the rf: 64 → 64 × 0.3.
    expect(sparse.reads[0]).toBeCloseTo(64 * 0.3, 9);
    // DRAM: 4 weights dense (8 B); 32 inputs and 32 outputs at 0.4 of 2 B each.
    expect(dense.dramBytes).toBe((4 + 32 + 32) * 2);
    expect(sparse.dramBytes).toBeCloseTo(8 + 32 * 2 * 0.4 * 2, 9);
    expect(sparse.cycles).toBeLessThanOrEqual(dense.cycles);
  });

  it('charges a unicast NoC per receiving PE instead of per buffer read', () => {
    const { op, hw, m } = tinyCase(1, 1);
    const uni: HardwareModel = { ...hw, meta: { ...hw.meta, dataEffects: { unicastNetwork: true } } };
    const c = evaluateWithDataEffects(op, uni, m, new Cost(3));
    // One PE: it receives its rf fills (weights, inputs) over the NoC at 3.2 pJ each; its 64 psum-spad writes are
    // all the MAC's own (C accumulates inside the PE), so no psum comes back down.
    expect(c.writes[2]).toBe(64);
    const received = c.writes[0] + c.writes[1];
    expect(c.networkEnergyPj).toBeCloseTo(received * 3.2, 9);
  });

  it('charges the eyeriss NoC per receiving PE plus the psums sent up (ISCA 2016 accounting)', () => {
    const { op, hw, m } = tinyCase(1, 1);
    const c = evaluateWithDataEffects(op, hw, m, new Cost(3));
    expect(c.networkEnergyPj).toBeCloseTo((c.writes[0] + c.writes[1] + 32) * 3.2, 9);
  });

  it('passes operands a mapping does not keep in the PE through its spads anyway (Eyeriss datapath)', () => {
    const { op, hw, m } = tinyCase(1, 1);
    const kept = evaluateWithDataEffects(op, hw, m, new Cost(3));
    m.keep[1] = 0; // inputs bypass the ifmap spad
    const engine = evaluate(op, hw, m, new Cost(3));
    const staged = evaluateWithDataEffects(op, hw, m, new Cost(3));
    // 64 MAC uses of an input: one spad write on arrival and one read by the MAC each, 1.6 pJ per access.
    expect(staged.reads[1] - engine.reads[1]).toBe(64);
    expect(staged.writes[1] - engine.writes[1]).toBe(64);
    expect(staged.levelEnergyPj[0] - engine.levelEnergyPj[0]).toBeCloseTo(64 * 2 * 1.6, 9);
    expect(kept.legal && staged.legal).toBe(true);
    const bypass: HardwareModel = { ...hw, meta: { ...hw.meta, dataEffects: {} } };
    expect(evaluateWithDataEffects(op, bypass, m, new Cost(3)).reads[1]).toBe(engine.reads[1]);
  });

  it('rejects tiles that need more shared banks than the buffer has', () => {
    const { op, hw, m } = tinyCase(1, 1);
    const tight: HardwareModel = { ...hw, meta: { ...hw.meta, dataEffects: { sharedBanks: { level: 1, banks: 1, wordsPerBank: 16 } } } };
    // 32 inputs + 32 outputs need 2 + 2 banks of 16 words.
    const c = evaluateWithDataEffects(op, tight, m, new Cost(3));
    expect(c.illegal).toBe(Illegal.Capacity);
    expect(c.illegalLevel).toBe(1);
  });
});

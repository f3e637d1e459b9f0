import { Cost, emptyMapping, evaluate, Illegal, macOp, type HardwareModel, type Operand } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rlcCode } from '../src/effects.js';
import { buildSpatial, eyerissSpec, rlcSizeFraction, spatialSchema, type SpatialSpecInput } from '../src/index.js';

const code = rlcCode({ runBits: 5, levelBits: 16, codeWordBits: 64 });

describe('run-length coding size', () => {
  it('costs 64/3 bits per non-zero', () => {
    // 3 (run, level) pairs of 21 bits in 64: 21.33 bits per non-zero; density 0.3 → 0.3 × 21.33 / 16 = 0.4.
    expect(rlcSizeFraction(0.3, 16, code)).toBeCloseTo(0.4, 12);
  });
  it('never exceeds the dense size', () => {
    expect(rlcSizeFraction(1, 16, code)).toBe(1);
  });
  it('pays an extra pair per 32 zeros of a long run', () => {
    // density 0.01: mean run 99 zeros → 3 extra pairs per non-zero → 0.01 × 21.33 × 4 / 16.
    expect(rlcSizeFraction(0.01, 16, code)).toBeCloseTo((0.01 * (64 / 3) * 4) / 16, 12);
  });
  it('is at most 1 and grows with density over the short-run range (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.04, max: 1, noNaN: true }), fc.double({ min: 0.04, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const f = (d: number) => rlcSizeFraction(d, 16, code);
        return f(hi) <= 1 && f(lo) <= f(hi) + 1e-12;
      }),
    );
  });
});

const spatial = (over: Partial<SpatialSpecInput> = {}): HardwareModel => buildSpatial(spatialSchema.parse({ ...eyerissSpec, ...over }), 'test');
/** Eyeriss without the PE-cycle effects (weight fills, psum arrivals): the cases that isolate another effect. */
const noPeCycles = { ...eyerissSpec.rf, weightsSinglePort: false, psumArrivalsUseAdder: false };

/** A 1×1 conv, K = C = 2, 4×4 outputs, batch 1, 16-bit; on one PE: C = 2 in the spads, K, P, Q at the buffer. */
function tinyCase(inDensity = 1, outDensity = 1) {
  const w: Operand = { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 };
  const x: Operand = { tensor: 'inputs', projection: 'window', bytes: 2, density: inDensity };
  const y: Operand = { tensor: 'outputs', projection: 'output', bytes: 2, density: outDensity };
  const op = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { K: 2, C: 2, P: 4, Q: 4 }, operands: [w, x, y] });
  const m = emptyMapping(3);
  m.temporal[0 * 8 + 3] = 2;
  m.temporal[1 * 8 + 2] = 2;
  m.temporal[1 * 8 + 4] = 4;
  m.temporal[1 * 8 + 5] = 4;
  return { op, m };
}

describe('the spatial cost model on a hand-worked case (the engine, then the template effects)', () => {
  it('adds only the psums sent up the NoC to a dense op when the NoC is charged per send', () => {
    const { op, m } = tinyCase();
    const hw = spatial({ noc: { mode: 'multicast', chargePer: 'send' }, rf: noPeCycles });
    const engine = evaluate(op, hw, m, new Cost(3));
    const c = hw.cost.evaluate(op, m, new Cost(3));
    expect(c.legal).toBe(true);
    // 32 outputs written up once each (C accumulates in the PE) → 32 × 2 bytes × 1.6 pJ/byte; no spatial reduction.
    expect(c.writes[1 * 3 + 2]).toBe(32);
    expect(c.networkEnergyPj - engine.networkEnergyPj).toBeCloseTo(32 * 3.2, 9);
    expect(c.energyPj - engine.energyPj).toBeCloseTo(32 * 3.2, 9);
    expect(c.dramBytes).toBe(engine.dramBytes);
    expect(c.cycles).toBe(engine.cycles);
  });

  it('gates MACs and filter reads on zero inputs and compresses feature-map bytes on the DRAM link', () => {
    const hw = spatial({ rf: noPeCycles, dram: { ...eyerissSpec.dram, overlapCompute: false } });
    const d = tinyCase();
    const dense = hw.cost.evaluate(d.op, d.m, new Cost(3));
    const { op, m } = tinyCase(0.3, 0.3);
    const sparse = hw.cost.evaluate(op, m, new Cost(3));
    // 64 MACs × 1.6 pJ × 0.3.
    expect(sparse.macEnergyPj).toBeCloseTo(64 * 1.6 * 0.3, 9);
    // Filter reads from the spad: 64 → 64 × 0.3, and their bytes.
    expect(sparse.reads[0]).toBeCloseTo(64 * 0.3, 9);
    expect(sparse.readBytes[0]).toBeCloseTo(64 * 0.3 * 2, 9);
    // DRAM: 4 weights dense (8 B); 32 inputs and 32 outputs at 0.4 of 2 B each. Counts stay in elements.
    expect(dense.dramBytes).toBe((4 + 32 + 32) * 2);
    expect(sparse.dramBytes).toBeCloseTo(8 + 32 * 2 * 0.4 * 2, 9);
    expect(sparse.reads[2 * 3 + 1]).toBe(32);
    expect(sparse.writes[2 * 3 + 2]).toBe(32);
    // DRAM energy from the bytes moved: 320 pJ per 16-bit word = 160 pJ per byte.
    expect(sparse.levelEnergyPj[2]).toBeCloseTo(sparse.dramBytes * 160, 6);
    // Time: 64 compute cycles (one PE) plus the link, not overlapped, at 2.4 bytes per cycle.
    expect(dense.cycles).toBe(Math.ceil(64 + 136 / 2.4)); // 121
    expect(sparse.cycles).toBe(Math.ceil(64 + 59.2 / 2.4)); // 89
  });

  it('charges the eyeriss NoC per receiving PE plus the psums sent up (ISCA 2016 accounting)', () => {
    const { op, m } = tinyCase();
    const c = spatial().cost.evaluate(op, m, new Cost(3));
    // One PE receives its spad fills (weights, inputs); its 64 psum-spad writes are all the MAC's own updates, so no
    // psum comes back down; 32 psums go up. 3.2 pJ per 16-bit word.
    expect(c.writes[2]).toBe(64);
    expect(c.networkEnergyPj).toBeCloseTo((c.writes[0] + c.writes[1] + 32) * 3.2, 9);
    const uni = spatial({ noc: { mode: 'unicast', chargePer: 'send' } }).cost.evaluate(op, m, new Cost(3));
    expect(uni.networkEnergyPj).toBeCloseTo(c.networkEnergyPj, 9);
  });

  it('passes operands a mapping does not keep in the PE through its spads anyway (Eyeriss datapath)', () => {
    const { op, m } = tinyCase();
    const hw = spatial();
    m.keep[1] = 0; // inputs bypass the ifmap spad
    const engine = evaluate(op, hw, m, new Cost(3));
    const staged = hw.cost.evaluate(op, m, new Cost(3));
    // 64 MAC uses of an input: one spad write on arrival and one read by the MAC each, 1.6 pJ per 16-bit access.
    expect(staged.reads[1] - engine.reads[1]).toBe(64);
    expect(staged.writes[1] - engine.writes[1]).toBe(64);
    expect(staged.readBytes[1] - engine.readBytes[1]).toBe(128);
    expect(staged.levelEnergyPj[0] - engine.levelEnergyPj[0]).toBeCloseTo(64 * 2 * 1.6, 9);
    const bypass = spatial({ rf: { ...eyerissSpec.rf, macReadsRfOnly: false } });
    expect(bypass.cost.evaluate(op, m, new Cost(3)).reads[1]).toBe(engine.reads[1]);
  });

  it('rejects tiles that need more shared banks than the buffer has, in check and evaluate alike', () => {
    const { op, m } = tinyCase();
    // Banks of 32 bytes: 32 inputs and 32 outputs (64 B each) need 2 + 2 banks; each fits the 96-byte partition.
    const tight = spatial({ glb: { ...eyerissSpec.glb, banks: 3, bankKB: 32 / 1024 } });
    for (const c of [tight.cost.check(op, m, new Cost(3)), tight.cost.evaluate(op, m, new Cost(3))]) {
      expect(c.illegal).toBe(Illegal.Capacity);
      expect(c.illegalLevel).toBe(1);
      expect(c.energyPj).toBe(Infinity);
    }
    expect(evaluate(op, tight, m, new Cost(3)).legal).toBe(true); // the engine alone has no bank rule
    const enough = spatial({ glb: { ...eyerissSpec.glb, banks: 4, bankKB: 32 / 1024 } });
    expect(enough.cost.check(op, m, new Cost(3)).legal).toBe(true);
    expect(enough.cost.evaluate(op, m, new Cost(3)).legal).toBe(true);
  });

  it('counts the psums sent up and the PE-to-PE hops of a spatial reduction (a 3-row column, R across the rows)', () => {
    // One 3×3 filter, one channel, one output row of 5: PE r keeps filter row r and sums into the PE below it.
    const op = macOp({
      name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { R: 3, S: 3, P: 1, Q: 5 },
      operands: [
        { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
        { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
      ],
    });
    const m = emptyMapping(3);
    m.temporal[0 * 8 + 7] = 3; // S in the PE
    m.spatialY[1 * 8 + 6] = 3; // R down the column
    m.temporal[1 * 8 + 5] = 5; // Q at the buffer
    const hw = spatial({ array: { rows: 3, cols: 1 }, noc: { mode: 'multicast', chargePer: 'send' } });
    const c = hw.cost.evaluate(op, m, new Cost(3));
    expect(c.legal).toBe(true);
    expect(c.writes[1 * 3 + 2]).toBe(5); // 5 finished psums leave the column once
    // Every buffer read sent down once, the 5 psums up, and 5 × (3 − 1) PE-to-PE hops, all at 3.2 pJ per word.
    const glbReads = c.reads[3] + c.reads[4] + c.reads[5];
    expect(c.networkEnergyPj).toBeCloseTo(3.2 * (glbReads + 5 + 10), 9);
  });

  it('stops the MAC while a pass\'s weights load into a one-port filter spad, at most as fast as their sender sends them', () => {
    const { op, m } = tinyCase();
    const hw = spatial({ rf: { ...noPeCycles, weightsSinglePort: true } });
    const base = spatial({ rf: noPeCycles }).cost.evaluate(op, m, new Cost(3));
    const c = hw.cost.evaluate(op, m, new Cost(3));
    // The PE loads its 2 weights (C) once per K: 4 spad writes, one per cycle; the buffer sends them at once.
    expect(c.writes[0]).toBe(4);
    expect(c.computeCycles - base.computeCycles).toBe(4);
    expect(c.overheadCycles).toBe(4);
    // From DRAM (the buffer bypassed for weights) over a 1-byte-per-cycle link: 4 × 2 bytes take 8 cycles.
    m.keep[1 * 3] = 0;
    const slow = spatial({ rf: { ...noPeCycles, weightsSinglePort: true }, dram: { wordsPerCycle: 0.5, overlapCompute: true } });
    const viaDram = slow.cost.evaluate(op, m, new Cost(3));
    expect(viaDram.readBytes[2 * 3]).toBe(8);
    expect(viaDram.computeCycles - 64).toBe(8);
  });

  it('spends a PE cycle on each partial sum arriving from the PE below (a 3-row column: 5 × 2 arrivals over 3 PEs)', () => {
    const op = macOp({
      name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { R: 3, S: 3, P: 1, Q: 5 },
      operands: [
        { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
        { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
      ],
    });
    const m = emptyMapping(3);
    m.temporal[0 * 8 + 7] = 3;
    m.spatialY[1 * 8 + 6] = 3;
    m.temporal[1 * 8 + 5] = 5;
    const hw = spatial({ array: { rows: 3, cols: 1 }, rf: { ...noPeCycles, psumArrivalsUseAdder: true } });
    const c = hw.cost.evaluate(op, m, new Cost(3));
    // 15 MAC cycles (5 outputs × 3 taps); 5 psums each reduced over 3 PEs: 10 additions spread over 3 PEs → ⌈3.33⌉.
    expect(c.computeCycles).toBe(15 + 4);
    // With the weight fills too (each PE loads its 3-tap row once): ⌈10/3 + 3⌉ = 7.
    const both = spatial({ array: { rows: 3, cols: 1 } }).cost.evaluate(op, m, new Cost(3));
    expect(both.computeCycles).toBe(15 + 7);
  });

  it('charges the NoC on a 1×1 array too (the buffer still feeds its one PE over it)', () => {
    const { op, m } = tinyCase();
    const one = spatial({ array: { rows: 1, cols: 1 }, noc: { mode: 'multicast', chargePer: 'send' } });
    const c = one.cost.evaluate(op, m, new Cost(3));
    expect(evaluate(op, one, m, new Cost(3)).networkEnergyPj).toBe(0); // the engine charges fanouts above 1 only
    expect(c.networkEnergyPj).toBeCloseTo((c.readBytes[3] + c.readBytes[4] + c.readBytes[5] + 32 * 2) * 1.6, 9);
  });
});

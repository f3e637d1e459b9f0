import { describe, expect, it } from 'vitest';
import { Cost, evaluate, perSlot } from '../src/index.js';
import { convOp, hardware, level, mapping } from './helpers.js';

describe('engine, hand-worked cases', () => {
  it('one level: every MAC reads its operands and updates its psum', () => {
    // 2×3 GEMM-ish op: K=2, C=3. All loops at DRAM (no on-chip storage): 6 MACs.
    const op = convOp({ K: 2, C: 3 });
    const hw = hardware([level('dram')]);
    const m = mapping(1, [{ t: { K: 2, C: 3 }, order: 'KC' }]);
    const c = evaluate(op, hw, m, new Cost(1));
    expect(c.reads[0]).toBe(6); // weights: one per MAC
    expect(c.reads[1]).toBe(6); // inputs: one per MAC (no reuse without storage)
    // outputs: 6 updates; reads = 6 − 2 first touches = 4
    expect(c.writes[2]).toBe(6);
    expect(c.reads[2]).toBe(4);
    expect(c.computeCycles).toBe(6);
  });

  it('a register that keeps the weight: reuse across irrelevant inner loops (weight stationary)', () => {
    // K=2, P=4. rf holds 1 word per operand; loop order at DRAM: K outer, P inner → weight loaded twice.
    const op = convOp({ K: 2, P: 4 });
    const hw = hardware([level('rf', { capacityBytes: 6, doubleBuffered: false }) /* 3 words of 2 bytes */, level('dram')]);
    const m = mapping(2, [{}, { t: { K: 2, P: 4 }, order: 'KP' }]);
    const c = evaluate(op, hw, m, new Cost(2));
    expect(c.legal).toBe(true);
    // weights: the rf tile (1 weight) reloads only when K advances: 2 fills, 2 DRAM reads.
    expect(c.writes[0 * 3 + 0]).toBe(2);
    expect(c.reads[1 * 3 + 0]).toBe(2);
    // rf serves the MAC 8 times.
    expect(c.reads[0 * 3 + 0]).toBe(8);
    // inputs: P is innermost relevant → 8 loads of one element.
    expect(c.reads[1 * 3 + 1]).toBe(8);
  });

  it('sliding window: a 3-tap filter row over 4 outputs fetches 6 inputs, not 12', () => {
    // 1-D conv: P=4, R=3, stride 1. The rf tile covers all R (r-loop inside), P advances at DRAM.
    const op = convOp({ P: 4, R: 3 });
    const hw = hardware([level('rf'), level('dram')]);
    const m = mapping(2, [{ t: { R: 3 } }, { t: { P: 4 } }]);
    const c = evaluate(op, hw, m, new Cost(2));
    // First tile: rows 0..2 (3), then each step slides by 1: 3 + 3·1 = 6 input reads from DRAM.
    expect(c.reads[1 * 3 + 1]).toBe(6);
    expect(c.writes[0 * 3 + 1]).toBe(6);
  });

  it('stride 2: each slide brings 2 new rows', () => {
    const op = convOp({ P: 3, R: 3 }, { stride: 2 });
    const hw = hardware([level('rf'), level('dram')]);
    const m = mapping(2, [{ t: { R: 3 } }, { t: { P: 3 } }]);
    const c = evaluate(op, hw, m, new Cost(2));
    // 3 + 2 + 2 = 7 = the whole padded input ((3−1)·2 + 3).
    expect(c.reads[1 * 3 + 1]).toBe(7);
  });

  it('multicast: inputs shared by a spatial K unroll are read once', () => {
    // K=4 unrolled across 4 PEs; C=2 temporal. Each input element goes to all 4 PEs but is read once.
    const op = convOp({ K: 4, C: 2 });
    const hw = hardware([level('rf'), level('glb', { fanoutX: 4 }), level('dram')]);
    const m = mapping(3, [{}, { x: { K: 4 } }, { t: { C: 2 } }]);
    const c = evaluate(op, hw, m, new Cost(3));
    expect(c.reads[1 * 3 + 1]).toBe(2); // glb reads inputs: 2 (multicast)
    expect(c.writes[0 * 3 + 1]).toBe(8); // 4 rf instances × 2 fills
    expect(c.utilization).toBe(1);
    expect(c.computeCycles).toBe(2);
  });

  it('spatial reduction: a C unroll sums psums in the array; the GLB sees one update per output', () => {
    const op = convOp({ K: 1, C: 4, P: 2 });
    const hw = hardware([level('rf', { holds: [true, true, false] }), level('glb', { fanoutX: 4 }), level('dram')]);
    const m = mapping(3, [{ keep: [true, true, false] }, { x: { C: 4 }, t: { P: 2 } }, {}]);
    const c = evaluate(op, hw, m, new Cost(3));
    // MAC → glb (outputs): 2 cycles × 1 reduced value = 2 updates, no read-backs (first touch each); the glb's
    // only reads are the final drain of its 2 outputs to DRAM.
    expect(c.writes[1 * 3 + 2]).toBe(2);
    expect(c.reads[1 * 3 + 2]).toBe(2);
    expect(c.writes[2 * 3 + 2]).toBe(2);
    expect(c.reads[2 * 3 + 2]).toBe(0);
  });

  it('partial folds: K=5 on a 4-wide array takes 2 folds and wastes 3 MAC slots', () => {
    const op = convOp({ K: 5 });
    const hw = hardware([level('rf'), level('glb', { fanoutX: 4 }), level('dram')]);
    const m = mapping(3, [{}, { x: { K: 4 } }, { t: { K: 2 } }]);
    const c = evaluate(op, hw, m, new Cost(3));
    expect(c.computeCycles).toBe(2);
    expect(c.paddedMacs).toBe(3);
    expect(c.utilization).toBeCloseTo(5 / 8, 12);
  });

  it('bandwidth: a single-buffered DRAM serialises, a double-buffered one overlaps', () => {
    const op = convOp({ K: 4, C: 4 });
    const mk = (db: boolean) => hardware([level('rf', { capacityBytes: 128 }), level('dram', { readBytesPerCycle: 2, writeBytesPerCycle: 2, doubleBuffered: db })]);
    const m = mapping(2, [{ t: { K: 4, C: 4 } }, {}]);
    const overlapped = evaluate(op, mk(true), m, new Cost(2));
    const serial = evaluate(op, mk(false), m, new Cost(2));
    // DRAM moves 16 weights + 4 inputs = 20 two-byte reads at 2 bytes/cycle, and 4 output writes.
    expect(overlapped.levelCycles[1]).toBe(20);
    expect(overlapped.cycles).toBe(20); // max(16 compute, 20)
    expect(serial.cycles).toBe(36); // 16 + 20
    expect(serial.stallCycles).toBe(20);
  });

  it('energy is the sum of its components', () => {
    const op = convOp({ K: 4, C: 4, P: 3 });
    const hw = hardware([level('rf', { readPjPerByte: perSlot(0.25) }), level('glb', { fanoutX: 2, readPjPerByte: perSlot(3), networkPjPerByte: 1 }), level('dram', { readPjPerByte: perSlot(100) })], { macEnergyPj: 1 });
    const m = mapping(3, [{ t: { C: 4 } }, { x: { K: 2 } }, { t: { K: 2, P: 3 } }]);
    const c = evaluate(op, hw, m, new Cost(3));
    let sum = c.macEnergyPj + c.aluEnergyPj + c.networkEnergyPj + c.leakageEnergyPj;
    for (const e of c.levelEnergyPj) sum += e;
    expect(c.energyPj).toBeCloseTo(sum, 9);
    expect(c.macEnergyPj).toBe(48);
  });

  it('capacity: a tile that does not fit is illegal with a reason', () => {
    const op = convOp({ K: 8, C: 8 });
    const hw = hardware([level('rf', { capacityBytes: 20 }), level('dram')]);
    const m = mapping(2, [{ t: { K: 8, C: 8 } }, {}]);
    const c = evaluate(op, hw, m, new Cost(2));
    expect(c.legal).toBe(false);
    expect(c.explain(hw)).toMatch(/rf.*capacity/);
  });
});

describe('single-level hierarchies', () => {
  it("Timeloop's 1-level conv1d (R = 3, P = 16): the only level is the backing store", async () => {
    const { Registry, corePlugin, resolveArchitecture, evaluate: ev, Cost: C, macOp } = await import('../src/index.js');
    const r = new Registry().use(corePlugin);
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'trim-1level-')), 'one.yaml');
    writeFileSync(f, 'clockMHz: 1000\nwordBits: 8\nmacEnergyPj: 0.56\nlevels:\n  - { name: Buffer, capacityWords: 64, readEnergyPj: 0.42, doubleBuffered: false }\n');
    const hw = resolveArchitecture(r, f).model;
    expect(hw.levels).toHaveLength(1);
    const byte = (tensor: 'weights' | 'inputs' | 'outputs', projection: 'filter' | 'window' | 'output') => ({ tensor, projection, bytes: 1, density: 1 });
    const op = macOp({ name: 'conv1d', layer: 'conv1d', layerKind: 'conv2d', phase: 'forward', bounds: { P: 16, R: 3 }, operands: [byte('weights', 'filter'), byte('inputs', 'window'), byte('outputs', 'output')] });
    const c = ev(op, hw, mapping(1, [{ t: { R: 3, P: 16 }, order: 'PR' }]), new C(1));
    expect(c.legal).toBe(true);
    // Timeloop v3 (validation/timeloop/fixed-mapping-runs/00): weights 48 reads, inputs 48, outputs 32 reads + 48 updates.
    expect([c.reads[0], c.reads[1], c.reads[2], c.writes[2]]).toEqual([48, 48, 32, 48]);
    expect(c.cycles).toBe(48);
  });
});

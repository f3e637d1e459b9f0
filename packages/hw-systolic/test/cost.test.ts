import { checkCost, Cost, Illegal, operandSize, Port, totalMacUnits, type MacOp } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE_STATIONARY, systolicEnergy, WIRED_REASONS, WS } from '../src/index.js';
import { array, conv, DRAM, FILTER, gemm, IFMAP, keeping, OFMAP, PE, run, SRAM, stationary } from './helpers.js';

/** [SRAM ifmap reads, filter reads, ofmap writes, DRAM ifmap reads, filter reads, ofmap writes] — SCALE-Sim's columns. */
const scaleSimCounts = (c: Cost) => [
  c.reads[SRAM * 3 + IFMAP],
  c.reads[SRAM * 3 + FILTER],
  c.writes[SRAM * 3 + OFMAP],
  c.reads[DRAM * 3 + IFMAP],
  c.reads[DRAM * 3 + FILTER],
  c.writes[DRAM * 3 + OFMAP],
];

describe('SCALE-Sim’s GEMM test case M = 128, N = 64, K = 256 on 32×32 with 64 KB buffers, priced by hw.cost', () => {
  const hw = array(32, 32);
  const op = gemm(128, 64, 256);
  it('weights stationary → ws: 8 × 2 folds of 128 + 2·32 + 32 − 2 = 222 cycles, less the shared first cycle: 3551', () => {
    const c = run(op, hw, 'ws');
    expect(c.cycles).toBe(3551);
    // ifmap 2 column folds × 128 × 256; every weight once; partial sums re-written per row fold: 8 × 128 × 64.
    // DRAM: the 32 768-element ifmap overflows the 32 750-element epoch, so the second column fold re-reads it;
    // ofmap writes + 31: the first drain (above 32 768 writes) rounds a 1-element line up to the 32 columns.
    expect(scaleSimCounts(c)).toEqual([65536, 16384, 65536, 65536, 16384, 65567]);
  });
  it('outputs stationary → os: 4 × 2 folds of 256 + 32 + 32 − 2 = 318 cycles → 2543; ofmap + 8 folds × (32 + 32)', () => {
    const c = run(op, hw, 'os');
    expect(c.cycles).toBe(2543);
    expect(scaleSimCounts(c)).toEqual([65536, 65536, 8704, 65536, 16384, 8192]);
  });
  it('inputs stationary → is: 8 × 4 folds of 64 + 64 + 32 − 2 = 158 cycles → 5055', () => {
    const c = run(op, hw, 'is');
    expect(c.cycles).toBe(5055);
    expect(scaleSimCounts(c)).toEqual([32768, 65536, 65536, 32768, 16384, 65567]);
  });
  it('bytes are elements × 1 byte; the SRAM footprint is each operand, at most its 64 KB partition', () => {
    const c = run(op, hw, 'ws');
    expect(c.readBytes[DRAM * 3 + IFMAP]).toBe(65536);
    expect(c.dramBytes).toBe(65536 + 16384 + 65567);
    expect([c.footprintBytes[SRAM * 3 + FILTER], c.footprintBytes[SRAM * 3 + IFMAP], c.footprintBytes[SRAM * 3 + OFMAP]]).toEqual([16384, 32768, 8192]);
    expect(run(gemm(512, 64, 256), hw, 'ws').footprintBytes[SRAM * 3 + IFMAP]).toBe(65536);
    // The whole 32×32 array is busy; each PE keeps one weight.
    expect([c.instances[PE], c.footprintBytes[PE * 3 + FILTER], c.footprintBytes[PE * 3 + IFMAP]]).toEqual([1024, 1, 0]);
  });
});

describe('hand-worked 4×4 GEMM on a 4×4 array, ws', () => {
  // M = N = K = 4: one fold; 4 pixels + 2·4 + 4 − 2 = 14 cycles, less the first one shared with the op before: 13.
  const energy = { macPj: 1, peRegisterPj: 0.1, ifmapSramPj: 2, filterSramPj: 2, ofmapSramPj: 2, dramPj: 100 };
  const hw = array(4, 4, { energy });
  const op = gemm(4, 4, 4);
  const cost = run(op, hw, 'ws');
  it('cycles and accesses: every operand moves once', () => {
    expect(cost.cycles).toBe(13);
    expect(cost.stallCycles).toBe(0);
    expect(scaleSimCounts(cost)).toEqual([16, 16, 16, 16, 16, 16]);
    // PE registers: 64 MACs read a weight and an input; the 16 weights and 16 inputs are latched in 4 PEs each.
    expect([cost.reads[PE * 3 + FILTER], cost.reads[PE * 3 + IFMAP], cost.writes[PE * 3 + FILTER], cost.writes[PE * 3 + IFMAP]]).toEqual([64, 64, 64, 64]);
    // The partial sum is each MAC's own result register: no PE-level output traffic.
    expect([cost.reads[PE * 3 + OFMAP], cost.writes[PE * 3 + OFMAP]]).toEqual([0, 0]);
  });
  it('energy: MAC 64 × (1 + 0.1 latch) = 70.4, PE 128 latches × 0.1 = 12.8, each SRAM 32 × 2, DRAM 48 × 100 pJ', () => {
    const e = systolicEnergy(hw, cost);
    expect(e.macPj).toBeCloseTo(70.4, 9);
    expect(e.peRegistersPj).toBeCloseTo(12.8, 9);
    // Filter and ifmap buffers: 16 reads + 16 fills; ofmap: 16 writes + 16 drains.
    expect([e.filterSramPj, e.ifmapSramPj, e.ofmapSramPj]).toEqual([64, 64, 64]);
    expect(e.dramPj).toBe(4800);
    expect(e.totalPj).toBeCloseTo(70.4 + 12.8 + 192 + 4800, 9);
  });
  it('DRAM stalls through the level model: the busiest port beyond compute (double-buffered) or all of it (single)', () => {
    // 1 word (byte) per cycle per operand: 16 cycles of transfer each vs 13 of compute → 3 stall cycles.
    const perOperand = run(op, array(4, 4, { dram: { bandwidth: 1, interfaces: 'per-operand' } }), 'ws');
    expect([perOperand.cycles, perOperand.stallCycles]).toEqual([16, 3]);
    // One shared interface: 48 bytes → 48 cycles.
    const shared = run(op, array(4, 4, { dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect([shared.cycles, shared.stallCycles]).toEqual([48, 35]);
    // 2 GB/s at 1 GHz = 2 bytes per cycle → 24 cycles shared.
    expect(run(op, array(4, 4, { clockMHz: 1000, dram: { bandwidth: { GBps: 2 }, interfaces: 'shared' } }), 'ws').cycles).toBe(24);
    // Single-buffered SRAMs wait for every transfer: 13 + 48.
    const single = run(op, array(4, 4, { sram: { ifmapKB: 64, filterKB: 64, ofmapKB: 64, doubleBuffered: false }, dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect([single.cycles, single.stallCycles]).toEqual([61, 48]);
    expect(cost.stallCycles).toBe(0);
  });
  it('units are bytes: 2-byte tensors move 96 bytes (96 cycles at 1 byte per cycle); a 16-bit word per cycle is 2 bytes', () => {
    const op16 = gemm(4, 4, 4, 2);
    const slow = run(op16, array(4, 4, { dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect([slow.dramBytes, slow.cycles]).toEqual([96, 96]);
    const wide = run(op16, array(4, 4, { wordBits: 16, dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect(wide.cycles).toBe(48);
  });
});

describe('1×1 and N×1 arrays (GEMM M = N = K = 2, 8 MACs)', () => {
  const op = gemm(2, 2, 2);
  it('1×1: every fold is T + 2·1 + 1 − 2 (ws, is) or T + 1 + 1 − 2 (os) cycles and no first cycle is shared', () => {
    // os: 2 × 2 folds of 2 cycles = 8 = MACs / PEs (SCALE-Sim's count, 7, is below it).
    expect(run(op, array(1, 1), 'os').cycles).toBe(8);
    // ws: window 2 × filters 2 folds of 2 + 1 = 3; is likewise (filters stream).
    expect(run(op, array(1, 1), 'ws').cycles).toBe(12);
    expect(run(op, array(1, 1), 'is').cycles).toBe(12);
  });
  it('4×1 and 1×4: a column shares the first cycle in every dataflow; a row only in os', () => {
    // 4×1 os: pixels 2 on the rows (1 fold), filters 2 on the column (2 folds), 2 + 4 + 1 − 2 = 5 each → 10 − 1.
    expect(run(op, array(4, 1), 'os').cycles).toBe(9);
    // 4×1 ws: 2 + 8 + 1 − 2 = 9 per fold, 2 folds → 17.
    expect(run(op, array(4, 1), 'ws').cycles).toBe(17);
    // 1×4 ws: window 2 on the single row (2 folds), 2 + 2 + 4 − 2 = 6 each → 12: row 0's weights cannot load while
    // PE(0, 3) finishes.
    expect(run(op, array(1, 4), 'ws').cycles).toBe(12);
    expect(run(op, array(1, 4), 'os').cycles).toBe(2 * (2 + 1 + 4 - 2) - 1);
  });
  it('pass core’s invariants on ws, os and is', () => {
    for (const [rows, cols] of [
      [1, 1],
      [4, 1],
      [1, 4],
      [7, 1],
    ]) {
      const hw = array(rows, cols);
      for (const df of ['ws', 'os', 'is'] as const) for (const o of [op, conv({ K: 3, C: 2, P: 3, Q: 3, R: 2, S: 2 }), gemm(3, 1, 1)]) checkCost(o, hw, run(o, hw, df));
    }
  });
});

describe('the stationary operand is the only thing the template reads from a mapping', () => {
  const op = gemm(64, 32, 48);
  it('keeping none or several operands in the PEs is illegal with a constant reason', () => {
    const hw = array(8, 8);
    for (const keep of [
      [0, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
      [0, 1, 1],
    ] as const) {
      const c = hw.cost.evaluate(op, keeping(keep), new Cost(3));
      expect([c.illegal, c.illegalLevel, c.illegalWhy]).toEqual([Illegal.Template, PE, ONE_STATIONARY]);
      expect(hw.cost.check(op, keeping(keep), new Cost(3)).illegalWhy).toBe(ONE_STATIONARY);
    }
  });
  it('an array wired for one dataflow rejects the other stationary operands, naming the wiring', () => {
    const hw = array(8, 8, { dataflow: 'ws' });
    expect(run(op, hw, 'ws').legal).toBe(true);
    for (const df of ['os', 'is'] as const) {
      expect(run(op, hw, df).illegalWhy).toBe(WIRED_REASONS[WS]);
      expect(hw.cost.check(op, stationary(df), new Cost(3)).illegal).toBe(Illegal.Template);
    }
    expect(WIRED_REASONS[WS]).toMatch(/wired for weight stationary \(dataflow: ws\)/);
  });
  it('tile factors, spatial unrolls and loop orders do not change the price', () => {
    const hw = array(8, 8);
    const m = stationary('os');
    m.temporal.fill(3);
    m.spatialX[8 + 2] = 8;
    m.order.reverse();
    const a = run(op, hw, 'os');
    const b = hw.cost.evaluate(op, m, new Cost(3));
    expect([b.cycles, b.energyPj, b.dramBytes]).toEqual([a.cycles, a.energyPj, a.dramBytes]);
  });
  it('describe gives the loop nest the array runs, keeping the stationary operand only', () => {
    const hw = array(32, 32);
    const d = hw.cost.describe!(conv({ K: 64, C: 16, P: 8, Q: 8, R: 3, S: 3 }), stationary('ws'));
    expect(Array.from(d.keep)).toEqual([1, 0, 0, 1, 1, 1, 1, 1, 1]);
    let rows = 1;
    let cols = 1;
    for (let i = 8; i < 16; i++) {
      rows *= d.spatialY[i];
      cols *= d.spatialX[i];
    }
    expect([rows, cols]).toEqual([32, 32]);
  });
});

describe('levels in bytes', () => {
  it('the DRAM port is per operand or shared as the spec says, and overlaps compute iff the SRAMs double-buffer', () => {
    const a = array(4, 4, { dram: { bandwidth: 8, interfaces: 'per-operand' } });
    expect([a.levels[DRAM].port, a.levels[DRAM].readBytesPerCycle, a.levels[DRAM].doubleBuffered]).toEqual([Port.PerOperand, 8, true]);
    const b = array(4, 4, { wordBits: 16, sram: { ifmapKB: 1, filterKB: 2, ofmapKB: 3, doubleBuffered: false }, dram: { bandwidth: 8, interfaces: 'shared' } });
    expect([b.levels[DRAM].port, b.levels[DRAM].readBytesPerCycle, b.levels[DRAM].doubleBuffered]).toEqual([Port.Shared, 16, false]);
    expect(b.levels[SRAM].slotCapacityBytes).toEqual([2048, 1024, 3072]);
    expect([b.precision, array(4, 4).precision]).toEqual(['int16', 'int8']);
    expect([b.levels[SRAM].readBytesPerCycle, b.arrayLevel]).toEqual([Infinity, 1]);
  });
  it('SCALE-Sim’s epochs count ⌊bytes / element bytes⌋ elements: 2-byte tensors in 64 KB behave as 1-byte ones in 32 KB', () => {
    const op8 = conv({ K: 64, C: 64, P: 28, Q: 28, R: 3, S: 3 });
    const op16 = conv({ K: 64, C: 64, P: 28, Q: 28, R: 3, S: 3 }, 1, {}, 2);
    const a = run(op16, array(32, 32), 'ws');
    const b = run(op8, array(32, 32, { sram: { ifmapKB: 32, filterKB: 32, ofmapKB: 32 } }), 'ws');
    expect(a.reads[DRAM * 3 + IFMAP]).toBe(b.reads[DRAM * 3 + IFMAP]);
    expect(a.writes[DRAM * 3 + OFMAP]).toBe(b.writes[DRAM * 3 + OFMAP]);
    expect(a.readBytes[DRAM * 3 + IFMAP]).toBe(2 * b.readBytes[DRAM * 3 + IFMAP]);
  });
});

describe('groups (depthwise) run one after another', () => {
  it('8 channels of a 3×3 depthwise conv cost 8 × one channel', () => {
    const hw = array(4, 4);
    const one = run(conv({ K: 1, C: 1, P: 6, Q: 6, R: 3, S: 3 }), hw, 'os');
    const dw = run(conv({ G: 8, K: 1, C: 1, P: 6, Q: 6, R: 3, S: 3 }), hw, 'os');
    expect(dw.cycles).toBe(8 * one.cycles);
    expect(dw.reads[DRAM * 3 + IFMAP]).toBe(8 * one.reads[DRAM * 3 + IFMAP]);
  });
});

/** Core's invariants (conservation, compulsory traffic, bandwidth) plus SRAM reads ≥ compulsory, on any array. */
function checkInvariants(op: MacOp, rows: number, cols: number, df: 'ws' | 'os' | 'is', kb = 64, bandwidth: number | 'unbounded' = 'unbounded'): void {
  const hw = array(rows, cols, { sram: { ifmapKB: kb, filterKB: kb, ofmapKB: kb }, dram: { bandwidth, interfaces: 'shared' } });
  const cost = run(op, hw, df);
  checkCost(op, hw, cost);
  expect(cost.cycles).toBeGreaterThanOrEqual(op.macs / totalMacUnits(hw));
  expect(cost.utilization).toBeLessThanOrEqual(1);
  for (const t of [FILTER, IFMAP]) expect(cost.reads[SRAM * 3 + t]).toBeGreaterThanOrEqual(operandSize(op, t));
  expect(cost.writes[SRAM * 3 + OFMAP]).toBeGreaterThanOrEqual(operandSize(op, OFMAP));
  // DRAM never supplies more than the array reads from SRAM.
  for (const t of [FILTER, IFMAP]) expect(cost.reads[DRAM * 3 + t]).toBeLessThanOrEqual(cost.reads[SRAM * 3 + t]);
}

describe('shapes outside the references', () => {
  const dfs = ['ws', 'os', 'is'] as const;
  it('non-square 16×64, tiny 4×4 and TPU-sized 256×256 arrays; depthwise; GEMM; strided conv', () => {
    const ops = [
      conv({ K: 64, C: 32, P: 14, Q: 14, R: 3, S: 3 }),
      conv({ K: 16, C: 3, P: 27, Q: 27, R: 7, S: 7 }, 2),
      conv({ G: 16, K: 1, C: 1, P: 12, Q: 12, R: 3, S: 3 }),
      gemm(200, 300, 170),
      conv({ N: 2, K: 8, C: 8, P: 5, Q: 5, R: 1, S: 1 }),
    ];
    for (const [rows, cols] of [
      [16, 64],
      [4, 4],
      [256, 256],
    ])
      for (const op of ops) for (const df of dfs) checkInvariants(op, rows, cols, df);
  });
  it('random convs on random arrays (1×1 included), buffers and DRAM bandwidths (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          K: fc.integer({ min: 1, max: 40 }),
          C: fc.integer({ min: 1, max: 20 }),
          P: fc.integer({ min: 1, max: 12 }),
          R: fc.integer({ min: 1, max: 4 }),
          stride: fc.integer({ min: 1, max: 3 }),
          rows: fc.integer({ min: 1, max: 40 }),
          cols: fc.integer({ min: 1, max: 40 }),
          kb: fc.constantFrom(0.2, 1, 64),
          bandwidth: fc.constantFrom(0.5, 3, 'unbounded' as const),
          df: fc.constantFrom(...dfs),
        }),
        (s) => checkInvariants(conv({ K: s.K, C: s.C, P: s.P, Q: s.P, R: s.R, S: s.R }, s.stride), s.rows, s.cols, s.df, s.kb, s.bandwidth),
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});

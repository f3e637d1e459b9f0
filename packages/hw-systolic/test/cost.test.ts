import { checkCost, Cost, dataflowCode, evaluateSystolic, operandSize, systolicEnergy, totalMacUnits, type MacOp } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, conv, DRAM, FILTER, gemm, IFMAP, OFMAP, PE, run, SRAM } from './helpers.js';

const energy = { macPj: 1, peRegisterPj: 0.1, ifmapSramPj: 2, filterSramPj: 2, ofmapSramPj: 2, dramPj: 100 };

describe('hand-worked 4×4 GEMM on a 4×4 WS array', () => {
  // M = N = K = 4: one fold; 4 pixels + 2·4 + 4 − 2 = 14 lines, 13 cycles. Every operand moves once.
  const hw = array(4, 4, { energy });
  const cost = run(gemm(4, 4, 4), hw, 'ws');
  it('cycles and accesses', () => {
    expect(cost.cycles).toBe(13);
    expect(cost.stallCycles).toBe(0);
    expect([cost.reads[SRAM * 3 + FILTER], cost.reads[SRAM * 3 + IFMAP], cost.writes[SRAM * 3 + OFMAP]]).toEqual([16, 16, 16]);
    expect([cost.reads[DRAM * 3 + FILTER], cost.reads[DRAM * 3 + IFMAP], cost.writes[DRAM * 3 + OFMAP]]).toEqual([16, 16, 16]);
    // PE registers: 64 MACs read a weight, an input and a psum; words written as they pass 4 PEs.
    expect([cost.reads[PE * 3], cost.writes[PE * 3 + IFMAP], cost.writes[PE * 3 + OFMAP]]).toEqual([64, 64, 64]);
  });
  it('energy by component: MAC 64, PE 19.2 (192 register writes), each SRAM 64, DRAM 4800 pJ', () => {
    const e = systolicEnergy(gemm(4, 4, 4), hw, cost);
    expect(e.macPj).toBe(64);
    expect(e.peRegistersPj).toBeCloseTo(19.2, 9);
    expect([e.filterSramPj, e.ifmapSramPj, e.ofmapSramPj]).toEqual([64, 64, 64]);
    expect(e.dramPj).toBe(4800);
    expect(e.totalPj).toBeCloseTo(5075.2, 9);
  });
  it('finite DRAM bandwidth stalls by what the busiest interface needs beyond compute', () => {
    // 1 word/cycle per operand: 16 cycles of transfer each vs 13 of compute → 3 stall cycles.
    const perOperand = run(gemm(4, 4, 4), array(4, 4, { dram: { bandwidth: 1, interfaces: 'per-operand' } }), 'ws');
    expect([perOperand.cycles, perOperand.stallCycles]).toEqual([16, 3]);
    // One shared interface: 48 words → 48 cycles.
    const shared = run(gemm(4, 4, 4), array(4, 4, { dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect([shared.cycles, shared.stallCycles]).toEqual([48, 35]);
    // GB/s: 2 GB/s at 1 GHz with 1-byte words = 2 words per cycle → 24 cycles shared.
    const gbps = run(gemm(4, 4, 4), array(4, 4, { clockMHz: 1000, dram: { bandwidth: { GBps: 2 }, interfaces: 'shared' } }), 'ws');
    expect(gbps.cycles).toBe(24);
    // Single-buffered SRAMs wait for every transfer: 13 + 48.
    const single = run(gemm(4, 4, 4), array(4, 4, { sram: { ifmapKB: 64, filterKB: 64, ofmapKB: 64, doubleBuffered: false }, dram: { bandwidth: 1, interfaces: 'shared' } }), 'ws');
    expect([single.cycles, single.stallCycles]).toEqual([61, 48]);
    // Unbounded DRAM never stalls.
    expect(run(gemm(4, 4, 4), array(4, 4), 'ws').stallCycles).toBe(0);
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

/** Invariants of any op on any array: core's checkCost plus SRAM reads ≥ compulsory and cycles ≥ stream length. */
function checkInvariants(op: MacOp, rows: number, cols: number, df: 'ws' | 'os' | 'is', kb = 64): void {
  const hw = array(rows, cols, { sram: { ifmapKB: kb, filterKB: kb, ofmapKB: kb } });
  const cost = evaluateSystolic(op, hw, dataflowCode(df), new Cost(3));
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
  it('random convs on random arrays and buffers (property)', () => {
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
          df: fc.constantFrom(...dfs),
        }),
        (s) => checkInvariants(conv({ K: s.K, C: s.C, P: s.P, Q: s.P, R: s.R, S: s.R }, s.stride), s.rows, s.cols, s.df, s.kb),
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});

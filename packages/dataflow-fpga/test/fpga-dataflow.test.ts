import fc from 'fast-check';
import { bestMapping, Cost, evaluate, macOp, type DataflowChoice, type DataflowPlugin, type HardwareModel, type MacOp, type MemoryLevel } from '@trim-dse/core';
import { memoryLevel } from '@trim-dse/core/testkit';
import { describe, expect, it } from 'vitest';
import { fpgaDataflow, inPrecision, tileCandidates } from '../src/index.js';

function level(name: string, over: Partial<MemoryLevel>): MemoryLevel {
  return memoryLevel({ ...over, name });
}

/** A Tm × Tn engine as the fpga template describes it (bank words as in hw-fpga's BufferPlan). */
function engineHw(o: { Tm: number; Tn: number; inputBankWords: number; outputBankWords: number; dramWordsPerCycle: number; weightBankDepth?: number; Tp?: number; Tk?: number }): HardwareModel {
  const Tp = o.Tp ?? 1;
  const Tk = o.Tk ?? 1;
  const engine = { Tm: o.Tm, Tn: o.Tn, Tp, Tk, weightBankDepth: o.weightBankDepth ?? 18, inputBankWords: o.inputBankWords, outputBankWords: o.outputBankWords };
  return {
    name: 'test',
    template: 'fpga',
    clockMHz: 100,
    wordBits: 32,
    levels: [
      level('bram', {
        fanoutX: o.Tm * Tp,
        fanoutY: o.Tn * Tk,
        capacityWords: 1e9,
        slotCapacityWords: [o.Tm * o.Tn * engine.weightBankDepth, o.Tn * o.inputBankWords, 2 * o.Tm * o.outputBankWords],
      }),
      level('dram', { readBandwidth: o.dramWordsPerCycle, writeBandwidth: o.dramWordsPerCycle, sharedPort: true }),
    ],
    macEnergyPj: 1,
    vectorOpsPerCycle: 1,
    aluEnergyPj: 0.1,
    meta: { fpga: { wordBytes: 4, organisation: 'single-engine', engine, stages: {} } },
  };
}

// M = 4 output channels, N = 2 input channels, 4 × 4 outputs, 3 × 3 kernel, stride 1 (a 6 × 6 input).
const small: MacOp = macOp({
  name: 'c',
  layer: 'c',
  layerKind: 'conv2d',
  phase: 'forward',
  bounds: { K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 },
  operands: [
    { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
  ],
});

const zhangOnly: DataflowChoice = { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'zhang' } };

describe('tileCandidates', () => {
  it('the smallest tile for each tile count', () => {
    expect(tileCandidates(5)).toEqual([5, 3, 2, 1]);
    expect(tileCandidates(7)).toEqual([7, 4, 3, 2, 1]);
    expect(tileCandidates(1)).toEqual([1]);
  });
});

describe('fpga-unrolled on a 2 × 1 engine', () => {
  it('whole-plane tile: cycles = ⌈4/2⌉·⌈2/1⌉·4·4·9 = 576; DRAM words as Zhang (144 in, 72 w, 64 out)', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 72, outputBankWords: 16, dramWordsPerCycle: 1 });
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(576);
    expect(r.cost.cycles).toBe(576);
    // Zhang's order (rows, cols, to, ti) with one plane tile: inputs reload per output-channel tile.
    expect(r.cost.reads[1 * 3 + 1]).toBe(2 * 2 * 36);
    expect(r.cost.reads[1 * 3 + 0]).toBe(72);
    expect(r.cost.writes[1 * 3 + 2]).toBe(64);
    expect(r.cost.reads[1 * 3 + 2]).toBe(0);
  });
  it('memory bound: at 0.25 words per cycle the 280 DRAM words take 1120 cycles > 576 compute (CTC roofline)', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 72, outputBankWords: 16, dramWordsPerCycle: 0.25 });
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.cycles).toBe(1120);
    expect(r.cost.stallCycles).toBe(1120 - 576);
  });
  it('a small input bank forces Tr = Tc = 2 tiles (4 × 4 window ≤ 16 words a half): still 576 cycles', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 32, outputBankWords: 16, dramWordsPerCycle: 100 });
    let maxWindow = 0;
    fpgaDataflow.mapspace(small, hw, (m) => {
      const tr = m.temporal[4];
      const tc = m.temporal[5];
      maxWindow = Math.max(maxWindow, (tr + 2) * (tc + 2));
    }, { loopOrders: 'zhang' });
    expect(maxWindow).toBeLessThanOrEqual(16);
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(576);
  });
  it('3-wide windows need 3 input rows: with 2-row tiles forced, Tr = 3 pads to ⌈4/3⌉·3 = 6 rows', () => {
    // Input half of 12 words: a 2 × 2 tile needs a 4 × 4 = 16 window (too big); 1 × 4 needs 3 × 6 = 18; 1 × 2 → 3 × 4 = 12.
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 24, outputBankWords: 16, dramWordsPerCycle: 100 });
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(576);
    expect(r.mapping.temporal[4] * r.mapping.temporal[5]).toBe(2);
  });
  it('evaluates in the design precision, not the workload’s: 2-byte operands move as 4-byte words', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 72, outputBankWords: 16, dramWordsPerCycle: 0.25 });
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.dramBytes).toBe(280 * 4);
    // The core engine on the 2-byte op would count half the words.
    const raw = evaluate(small, hw, r.mapping, new Cost(2));
    expect(raw.dramBytes).toBe(280 * 2);
    expect(inPrecision(small, 4).operands[0].bytes).toBe(4);
    expect(inPrecision(small, 4)).toBe(inPrecision(small, 4));
  });
  it('pixel and kernel unroll (Ma et al.): Tp = 2, Tk = 3 → 2·2·4·⌈4/2⌉·3·⌈3/3⌉ = 96 cycles, a sixth of 576', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, Tp: 2, Tk: 3, inputBankWords: 36, outputBankWords: 8, dramWordsPerCycle: 100 });
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(96);
    expect(r.cost.utilization).toBeCloseTo(1152 / (96 * 12), 12);
  });
  it('does not support a kernel larger than the weight banks, nor hardware of another template', () => {
    const hw = engineHw({ Tm: 2, Tn: 1, inputBankWords: 72, outputBankWords: 16, dramWordsPerCycle: 1, weightBankDepth: 16 });
    expect(fpgaDataflow.supports?.(small, hw)).toBe(false);
    expect(fpgaDataflow.supports?.(small, { ...hw, meta: {} })).toBe(false);
  });
  it('layer-pipelined: each op runs on its layer’s stage', () => {
    const base = engineHw({ Tm: 2, Tn: 1, inputBankWords: 72, outputBankWords: 16, dramWordsPerCycle: 100 });
    const fpga = base.meta.fpga as Record<string, unknown>;
    const stage = { Tm: 4, Tn: 2, Tp: 1, Tk: 1, weightBankDepth: 18, inputBankWords: 72, outputBankWords: 16 };
    const hw: HardwareModel = {
      ...base,
      levels: [{ ...base.levels[0], fanoutX: 4, fanoutY: 2, slotCapacityWords: [8 * 18, 2 * 72, 2 * 4 * 16] }, base.levels[1]],
      meta: { fpga: { ...fpga, organisation: 'layer-pipelined', engine: stage, stages: { c: stage } } },
    };
    const r = bestMapping(small, hw, zhangOnly, 'latency');
    if (!('mapping' in r)) throw new Error(r.reason);
    expect(r.cost.computeCycles).toBe(4 * 4 * 9);
    expect(fpgaDataflow.supports?.({ ...small, layer: 'other' }, hw)).toBe(false);
  });
});

describe('properties', () => {
  const arb = fc.record({
    K: fc.integer({ min: 1, max: 40 }),
    C: fc.integer({ min: 1, max: 20 }),
    P: fc.integer({ min: 1, max: 20 }),
    R: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    Tm: fc.integer({ min: 1, max: 16 }),
    Tn: fc.integer({ min: 1, max: 8 }),
    inputBankWords: fc.integer({ min: 2, max: 2000 }),
    outputBankWords: fc.integer({ min: 1, max: 500 }),
  });
  it('every emitted mapping is legal for the core engine and computes ⌈K/Tm⌉⌈C/Tn⌉⌈P/Tr⌉⌈Q/Tc⌉·Tr·Tc·R·S cycles', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const op = macOp({
          name: 'x',
          layer: 'x',
          layerKind: 'conv2d',
          phase: 'forward',
          bounds: { K: a.K, C: a.C, P: a.P, Q: a.P, R: a.R, S: a.R },
          strideH: a.stride,
          strideW: a.stride,
          operands: small.operands,
        });
        const hw = engineHw({ Tm: a.Tm, Tn: a.Tn, inputBankWords: a.inputBankWords, outputBankWords: a.outputBankWords, dramWordsPerCycle: 4, weightBankDepth: 50 });
        const cost = new Cost(2);
        fpgaDataflow.mapspace(op, hw, (m) => {
          fpgaDataflow.evaluate!(op, hw, m, cost);
          expect(cost.legal).toBe(true);
          const tr = m.temporal[4];
          const tc = m.temporal[5];
          const expected = Math.ceil(a.K / a.Tm) * Math.ceil(a.C / a.Tn) * Math.ceil(a.P / tr) * Math.ceil(a.P / tc) * tr * tc * a.R * a.R;
          expect(cost.computeCycles).toBe(expected);
          expect(cost.cycles).toBeGreaterThanOrEqual(expected);
        }, { loopOrders: 'all' });
      }),
      { numRuns: 60 },
    );
  });
});

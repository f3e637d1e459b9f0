import { Cost, DIM_COUNT, emptyMapping, Illegal, K, macOp, P, Q, type MacOp, type Mapping } from '@trim-dse/core';
import { capabilityOf } from '@trim-dse/core';
import { fpgaEngineCapability } from '@trim-dse/fpga-kit';
import { describe, expect, it } from 'vitest';
import { bankedEngine, BRAM_KEEPS_ALL, buildFpga, engineRules, fpgaSchema, INPUT_BANK, OUTPUT_BANK, WEIGHT_BANK, WIRING, type FpgaSpecInput } from '../src/index.js';
import { convOperands, smallConv, zhangMapping } from './helpers.js';

const build = (s: Partial<FpgaSpecInput>) => buildFpga(fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 2, Tn: 1, ...s }), 'small');

// Banks sized for a 2 × 2 tile of 3 × 3 kernels at stride 1 (hw-fpga's planBuffers with a fixed tile):
// weights 2 · 3 · ⌈3/1⌉ = 18 entries; inputs 2 halves × 4 × 4 window = 32 words; outputs 2 × 2 = 4 words.
const SMALL = { tile: { Tr: 2, Tc: 2 }, maxKernel: 3, maxStride: 1 };
const e = bankedEngine({ Tm: 2, Tn: 1, Tp: 1, Tk: 1 }, { weightBankDepth: 18, inputBankWords: 32, outputBankWords: 4 }, 4);

function rules(op: MacOp, m: Mapping): Cost {
  const out = new Cost(2);
  out.reset();
  engineRules(op, m, e, out);
  return out;
}

describe('the engine the template publishes is the one its rules check', () => {
  it('2 × 1 engine, fixed 2 × 2 tile: 18 weight entries, 32 input words, 4 output words', () => {
    const facts = capabilityOf(build(SMALL), fpgaEngineCapability);
    expect(facts?.engine).toEqual({ Tm: 2, Tn: 1, Tp: 1, Tk: 1, weightBankDepth: 18, inputBankWords: 32, outputBankWords: 4 });
  });
});

describe('bank rules (bytes at the operand’s precision; Illegal.Capacity at bram)', () => {
  it('2 × 2 tile, 3 × 3 kernel, fp32: every bank exactly full — weights 2·9·4 = 72 of 72 B, inputs 2·16·4 = 128 of 128 B, outputs 2·4·4 = 32 of 32 B', () => {
    expect(rules(smallConv(), zhangMapping(smallConv(), { Tm: 2, Tn: 1 }, 2, 2)).legal).toBe(true);
  });
  it('kernel: a 5 × 5 fp32 kernel needs 2·25·4 = 200 B of a 72 B weight lane', () => {
    const op = smallConv({ R: 5 });
    const out = rules(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 1, 1));
    expect([out.illegal, out.illegalLevel, out.illegalWhy]).toEqual([Illegal.Capacity, 0, WEIGHT_BANK]);
  });
  it('kernel in bytes: the same 5 × 5 kernel in int8 needs 2·25·1 = 50 B and fits', () => {
    const op = smallConv({ R: 5, bytes: 1 });
    expect(rules(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 1, 1)).legal).toBe(true);
  });
  it('input window: a 3 × 2 tile reads a 5 × 4 window, 2·20·4 = 160 B of a 128 B input bank', () => {
    const out = rules(smallConv(), zhangMapping(smallConv(), { Tm: 2, Tn: 1 }, 3, 2));
    expect([out.illegal, out.illegalLevel, out.illegalWhy]).toEqual([Illegal.Capacity, 0, INPUT_BANK]);
  });
  it('output tile: a 4 × 1 tile is 2·4·4 = 32 B of 32 B; with 3-word memories (24 B) it overflows', () => {
    const m = zhangMapping(smallConv(), { Tm: 2, Tn: 1 }, 4, 1);
    const out = new Cost(2);
    out.reset();
    const narrow = bankedEngine({ Tm: 2, Tn: 1, Tp: 1, Tk: 1 }, { weightBankDepth: 18, inputBankWords: 48, outputBankWords: 3 }, 4);
    expect(engineRules(smallConv(), m, narrow, out)).toBe(false);
    expect([out.illegal, out.illegalWhy]).toEqual([Illegal.Capacity, OUTPUT_BANK]);
  });
  it('lanes, not totals: 3 output channels on 2 lanes put 2 channels × 2 rows = 4 words in one 3-word memory, though 3·2 = 6 words fit the 2 × 3 of both', () => {
    // 1 × 1 convolution, K = 3, P = 2; banks for a 3 × 1 tile of 2 × 2 kernels: weights 2·2·2 = 8, inputs 2·4·2 = 16, outputs 3.
    const hw = build({ tile: { Tr: 3, Tc: 1 }, maxKernel: 2, maxStride: 1 });
    const op = macOp({ name: 'pw', layer: 'pw', layerKind: 'conv2d', phase: 'forward', bounds: { K: 3, C: 1, P: 2 }, operands: convOperands(4) });
    const m = emptyMapping(2);
    m.temporal[K] = 3;
    m.temporal[P] = 2;
    const out = new Cost(2);
    hw.cost.check(op, m, out);
    expect([out.illegal, out.illegalLevel, out.illegalWhy]).toEqual([Illegal.Capacity, 0, OUTPUT_BANK]);
    // The core's partition check alone passes: 3·2 words × 2 halves × 4 B = 48 B of 2 lanes × 2 × 3 words × 4 B.
    expect(out.footprintBytes[2]).toBe(48);
    expect(hw.levels[0].slotCapacityBytes?.[2]).toBe(48);
  });
});

describe('wiring and keep rules (Illegal.Template, constant reasons)', () => {
  const op = smallConv();
  const fail = (m: Mapping) => {
    const out = rules(op, m);
    return [out.illegal, out.illegalWhy, out.illegalDim];
  };
  it('output rows across x: the lanes of x are output channels and columns only', () => {
    const m = zhangMapping(op, { Tm: 1, Tn: 1 }, 2, 4);
    m.spatialX[P] = 2;
    m.temporal[DIM_COUNT + P] = 1;
    expect(fail(m)).toEqual([Illegal.Template, WIRING, P]);
  });
  it('output columns beyond Tp = 1', () => {
    const m = zhangMapping(op, { Tm: 1, Tn: 1 }, 4, 2);
    m.spatialX[Q] = 2;
    m.temporal[DIM_COUNT + Q] = 1;
    expect(fail(m)).toEqual([Illegal.Template, WIRING, Q]);
  });
  it('a y lane over a dim the output keeps (backward-weight’s reduction form writes a filter-shaped gradient over C)', () => {
    const bw = macOp({
      name: 'dw',
      layer: 'dw',
      layerKind: 'conv2d',
      phase: 'backward-weight',
      bounds: { K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 },
      operands: [
        { tensor: 'grad-outputs', projection: 'output', bytes: 4, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 4, density: 1 },
        { tensor: 'grad-weights', projection: 'filter', bytes: 4, density: 1 },
      ],
    });
    const m = zhangMapping(bw, { Tm: 2, Tn: 2 }, 2, 2);
    const out = new Cost(2);
    out.reset();
    const e2 = bankedEngine({ Tm: 2, Tn: 2, Tp: 1, Tk: 1 }, { weightBankDepth: 100, inputBankWords: 100, outputBankWords: 100 }, 4);
    engineRules(bw, m, e2, out);
    expect([out.illegal, out.illegalWhy]).toEqual([Illegal.Template, WIRING]);
  });
  it('bram must keep every operand: the lanes have no path to DRAM', () => {
    const m = zhangMapping(op, { Tm: 2, Tn: 1 }, 2, 2);
    m.keep[1] = 0;
    expect(fail(m)).toEqual([Illegal.Template, BRAM_KEEPS_ALL, -1]);
  });
});

describe('the cost model applies the rules for every mapping', () => {
  const hw = build(SMALL);
  it('Zhang’s 2 × 2 tiles: legal, ⌈4/2⌉·⌈2/1⌉·⌈4/2⌉·⌈4/2⌉·2·2·9 = 576 compute cycles', () => {
    const op = smallConv();
    const out = hw.cost.evaluate(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 2, 2), new Cost(2));
    expect(out.legal).toBe(true);
    expect(out.computeCycles).toBe(576);
  });
  it('a P-on-x mapping the core engine accepts (2 ≤ fanout 2) is rejected with the wiring reason', () => {
    const op = smallConv();
    const m = zhangMapping(op, { Tm: 1, Tn: 1 }, 2, 2);
    m.spatialX[P] = 2;
    m.temporal[P] = 1;
    m.temporal[DIM_COUNT + K] = 4;
    const out = hw.cost.evaluate(op, m, new Cost(2));
    expect([out.illegal, out.illegalWhy]).toEqual([Illegal.Template, WIRING]);
    expect(out.explain(hw)).toContain(WIRING);
    expect(out.cycles).toBe(Infinity);
  });
});

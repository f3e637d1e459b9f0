import { C, Cost, DIM_COUNT, emptyMapping, G, Illegal, isTrimUserError, K, macOp, P, Q, R, S } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { bankedEngine, buildFpga, DEPTHWISE, designOf, engineRules, fpgaSchema, WINOGRAD, WIRING, type FpgaSpecInput } from '../src/index.js';
import { convOperands } from './helpers.js';

const spec = (s: Partial<FpgaSpecInput>) => fpgaSchema.parse({ device: 'zc706', precision: 'int16', clockMHz: 150, Tm: 2, Tn: 1, maxKernel: 3, maxStride: 1, ...s });

describe('engine families: multipliers, DSPs and banks (hand-worked)', () => {
  it('convolver (Qiu FPGA’16): 2 PEs × 4 convolvers × 3 × 3 = 72 int16 multipliers = 72 DSP48E1; a PE reads 4·9 weights per entry', () => {
    const d = designOf(spec({ engine: 'convolver', Tm: 2, Tn: 4, kernelUnroll: 3, kernelRowUnroll: 3 }), 'q');
    expect([d.resources.macUnits, d.resources.multipliers, d.resources.dsp]).toEqual([72, 72, 72]);
    const b = d.buffers[0];
    // Weights: 2 banks of 36-word entries, 2 · ⌈3/3⌉ · ⌈3/3⌉ = 2 deep: shallow → distributed RAM, 36 · 16 bits × 2 LUTs.
    expect([b.weightBanks, b.weightBankWidth, b.weightBankDepth, b.weightBlocks, b.weightLuts]).toEqual([2, 36, 2, 0, 1152]);
    // One input bank per input channel (the line buffers build the window), one output memory pair per PE.
    expect([b.inputBanks, b.outputLanes]).toEqual([4, 2]);
  });

  it('unrolled-reuse (Ma FPGA’17): 64 × 7 × 7 = 3136 MACs; 100 in logic, the other 3036 two per Arria 10 DSP block = 1518', () => {
    const d = designOf(fpgaSchema.parse({ device: 'arria10', precision: 'int16', clockMHz: 150, engine: 'unrolled-reuse', Tm: 64, Tn: 1, pixelUnroll: 7, rowUnroll: 7, macsInLogic: 100, utilizationLimits: { dsp: 1 }, maxKernel: 3, maxStride: 1 }), 'ma');
    expect([d.resources.macUnits, d.resources.dsp]).toEqual([3136, 1518]);
    const b = d.buffers[0];
    // Inputs shift along a row of PEs: one bank per input channel and row lane (1 · 7); outputs drain per channel (64).
    expect([b.inputBanks, b.outputLanes, b.weightBanks]).toEqual([7, 64, 64]);
    // 18-deep 16-bit weight banks in MLABs (32 deep, 1 ALUT per bit): 16 each.
    expect(b.weightLuts).toBe(16);
    // LUTs: shell 20000 + 3136 · 30 per MAC + 100 soft 16 × 16 multipliers of 256 + 64 · 16 distributed weight RAM.
    expect(d.resources.lut).toBe(20000 + 3136 * 30 + 100 * 256 + 64 * 16);
  });

  it('winograd F(4×4, 3×3): 16 × 4 PEs of 36 multipliers = 2304 DSPs for 16 · 4 · 144 = 9216 effective MAC lanes', () => {
    const hw = buildFpga(fpgaSchema.parse({ device: 'zcu102', precision: 'int16', clockMHz: 200, engine: 'winograd', winograd: { m: 4, r: 3 }, Tm: 16, Tn: 4, utilizationLimits: { dsp: 1 }, maxKernel: 3, maxStride: 1 }), 'w');
    expect(hw.resources).toMatchObject({ macUnits: 9216, multipliers: 2304, dsp: 2304 });
    // Peak: effective 2 · 9216 · 200 MHz = 3686.4 GOPS; real multiplies 921.6 GOPS.
    expect(hw.resources?.peakGops).toBeCloseTo(3686.4, 9);
    expect(hw.resources?.peakRealGops).toBeCloseTo(921.6, 9);
    // The array: x = Tm · m · m = 256 output lanes, y = Tn · r · r = 36 reduction lanes.
    expect([hw.levels[0].fanoutX, hw.levels[0].fanoutY]).toEqual([256, 36]);
  });

  it('depthwise: the 8 output lanes also take groups, each with its own input bank (max(Tn, Tm) = 8)', () => {
    const d = designOf(spec({ engine: 'depthwise', Tm: 8, Tn: 1, kernelUnroll: 3, kernelRowUnroll: 3 }), 'dw');
    expect(d.resources.multipliers).toBe(72);
    expect(d.buffers[0].inputBanks).toBe(8);
  });

  it('a winograd engine needs its F(m×m, r×r), and nothing else takes one', () => {
    expect(() => spec({ engine: 'winograd' })).toThrow(/winograd/);
    expect(() => spec({ winograd: { m: 2, r: 3 } })).toThrow(/winograd/);
  });

  it('macsInLogic cannot exceed the multipliers', () => {
    try {
      designOf(spec({ macsInLogic: 3 }), 'x');
      throw new Error('expected a user error');
    } catch (e) {
      expect(isTrimUserError(e) && e.field).toBe('macsInLogic');
    }
  });
});

/** A 3 × 3 conv, K = 16, C = 4, 8 × 8 outputs, int16, at `stride`. */
function conv3x3(stride: number) {
  return macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { K: 16, C: 4, P: 8, Q: 8, R: 3, S: 3 }, strideH: stride, strideW: stride, operands: convOperands(2) });
}

/** One tile on the Winograd engine: K × C across the PEs, a q × p output block and the kernel per PE. */
function winogradMapping(q: number, p: number, s: number, r: number) {
  const m = emptyMapping(2);
  m.spatialX[K] = 16;
  m.spatialY[C] = 4;
  m.spatialX[Q] = q;
  m.spatialX[P] = p;
  m.spatialY[S] = s;
  m.spatialY[R] = r;
  m.temporal[Q] = 8 / q;
  m.temporal[P] = 8 / p;
  m.temporal[S] = 3 / s;
  m.temporal[R] = 3 / r;
  return m;
}

describe('engine family rules', () => {
  const wino = buildFpga(fpgaSchema.parse({ device: 'zcu102', precision: 'int16', clockMHz: 200, engine: 'winograd', winograd: { m: 4, r: 3 }, Tm: 16, Tn: 4, utilizationLimits: { dsp: 1 }, tile: { Tr: 8, Tc: 8 }, maxKernel: 3, maxStride: 1 }), 'w');
  const e = bankedEngine({ Tm: 16, Tn: 4, Tp: 1, Tk: 1, family: 'winograd', winograd: { m: 4, r: 3 } }, { weightBankDepth: 2, inputBankWords: 1e6, outputBankWords: 1e6 }, 2);
  const rules = (op: ReturnType<typeof conv3x3>, m: ReturnType<typeof emptyMapping>) => {
    const out = new Cost(2);
    out.reset();
    engineRules(op, m, e, out);
    return out;
  };

  it('the transform (4 × 4 outputs, the whole 3 × 3 kernel per PE: 144 lanes on 36 multipliers) takes a 3 × 3 kernel at stride 1 only', () => {
    expect(rules(conv3x3(1), winogradMapping(4, 4, 3, 3)).legal).toBe(true);
    const strided = rules(conv3x3(2), winogradMapping(4, 4, 3, 3));
    expect([strided.illegal, strided.illegalWhy]).toEqual([Illegal.Template, WINOGRAD]);
  });

  it('direct on the multipliers: 4 × 1 outputs × 3 × 3 = 36 lanes per PE is legal at any stride', () => {
    expect(rules(conv3x3(2), winogradMapping(4, 1, 3, 3)).legal).toBe(true);
  });

  it('the transform costs the real multiplies: 8 × 8 outputs in 4 cycles, MAC energy × 36 / 144', () => {
    const op = conv3x3(1);
    const m = winogradMapping(4, 4, 3, 3);
    const c = wino.cost.evaluate(op, m, new Cost(2));
    expect(c.legal).toBe(true);
    expect(c.computeCycles).toBe(4);
    expect(c.macEnergyPj).toBeCloseTo(op.macs * wino.macEnergyPj * 0.25, 9);
  });

  it('depthwise: groups on the output lanes only on a depthwise engine, and K · G within Tm', () => {
    const dw = bankedEngine({ Tm: 8, Tn: 1, Tp: 1, Tk: 3, Tr: 3, family: 'depthwise' }, { weightBankDepth: 1e6, inputBankWords: 1e6, outputBankWords: 1e6 }, 2);
    const plain = bankedEngine({ Tm: 8, Tn: 1, Tp: 1, Tk: 3, Tr: 3 }, { weightBankDepth: 1e6, inputBankWords: 1e6, outputBankWords: 1e6 }, 2);
    const op = macOp({ name: 'dw', layer: 'dw', layerKind: 'conv2d', phase: 'forward', bounds: { G: 16, P: 4, Q: 4, R: 3, S: 3 }, operands: convOperands(2) });
    const m = emptyMapping(2);
    m.spatialX[G] = 8;
    m.spatialY[S] = 3;
    m.spatialY[R] = 3;
    m.temporal[P] = 4;
    m.temporal[Q] = 4;
    m.temporal[DIM_COUNT + G] = 2;
    const run = (en: typeof dw) => {
      const out = new Cost(2);
      out.reset();
      engineRules(op, m, en, out);
      return out;
    };
    expect(run(dw).legal).toBe(true);
    expect(run(plain).illegalWhy).toBe(WIRING);
    const wide = bankedEngine({ Tm: 4, Tn: 1, Tp: 1, Tk: 3, Tr: 3, family: 'depthwise' }, { weightBankDepth: 1e6, inputBankWords: 1e6, outputBankWords: 1e6 }, 2);
    expect(run(wide).illegalWhy).toBe(WIRING);
    m.spatialX[G] = 4;
    m.spatialX[K] = 2;
    const k2 = macOp({ name: 'g', layer: 'g', layerKind: 'conv2d', phase: 'forward', bounds: { G: 16, K: 2, P: 4, Q: 4, R: 3, S: 3 }, operands: convOperands(2) });
    const out = new Cost(2);
    out.reset();
    engineRules(k2, m, wide, out);
    expect(out.illegalWhy).toBe(DEPTHWISE);
  });
});

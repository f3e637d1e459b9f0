import fc from 'fast-check';
import {
  bestMapping,
  Cost,
  defineDataflow,
  macOp,
  tiledMapspace,
  type DataflowChoice,
  type DataflowPlugin,
  type MacOp,
} from '@trim-dse/core';
import { fpgaDataflow } from '@trim-dse/dataflow-fpga';
import { buildFpga, fpgaSchema, WIRING, type FpgaSpecInput } from '@trim-dse/hw-fpga';
import { describe, expect, it } from 'vitest';

const operands = [
  { tensor: 'weights', projection: 'filter', bytes: 4, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 4, density: 1 },
  { tensor: 'outputs', projection: 'output', bytes: 4, density: 1 },
] as const;

// M = 4 output channels, N = 2 input channels, 4 × 4 outputs, 3 × 3 kernel, stride 1 (a 6 × 6 input), fp32.
const small: MacOp = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 }, operands: [...operands] });

/** A 2 × 1 fp32 engine on the VC707 whose banks are sized for a fixed tile of 3 × 3 kernels at stride 1. */
const engine = (o: Partial<FpgaSpecInput>) =>
  buildFpga(fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 2, Tn: 1, maxKernel: 3, maxStride: 1, ...o }), 'engine');

const zhangOnly: DataflowChoice = { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'zhang' } };

function best(op: MacOp, o: Partial<FpgaSpecInput>, df: DataflowChoice = zhangOnly) {
  const r = bestMapping(op, engine(o), df, 'latency');
  if (!('mapping' in r)) throw new Error(r.reason);
  return r;
}

describe('fpga-unrolled on the fpga template (2 × 1 engine)', () => {
  it('whole-plane tile (banks: 18 weight entries, 72 input words, 16 output words): ⌈4/2⌉·⌈2/1⌉·4·4·9 = 576 cycles; Zhang’s DRAM words 144 in, 72 w, 64 out', () => {
    const r = best(small, { tile: { Tr: 4, Tc: 4 } });
    expect(r.cost.computeCycles).toBe(576);
    expect(r.cost.cycles).toBe(576);
    // Zhang's order (rows, cols, to, ti) with one plane tile: inputs reload per output-channel tile.
    expect(r.cost.reads[1 * 3 + 1]).toBe(2 * 2 * 36);
    expect(r.cost.reads[1 * 3 + 0]).toBe(72);
    expect(r.cost.writes[1 * 3 + 2]).toBe(64);
    expect(r.cost.reads[1 * 3 + 2]).toBe(0);
  });
  it('memory bound: at 0.1 GB/s (1 byte per cycle) the 280 × 4 DRAM bytes take 1120 cycles > 576 compute (CTC roofline)', () => {
    const r = best(small, { tile: { Tr: 4, Tc: 4 }, dramGBps: 0.1 });
    expect(r.cost.dramBytes).toBe(1120);
    expect(r.cost.cycles).toBe(1120);
    expect(r.cost.stallCycles).toBe(1120 - 576);
  });
  it('a 32-word input bank (2 × 2 tile) allows only 4 × 4 windows a half: Tr = Tc = 2, still 576 cycles', () => {
    const r = best(small, { tile: { Tr: 2, Tc: 2 } });
    expect([r.mapping.temporal[4], r.mapping.temporal[5]]).toEqual([2, 2]);
    expect(r.cost.computeCycles).toBe(576);
  });
  it('a 24-word input bank (1 × 2 tile): 3-row windows allow 1 × 2 tiles only, 576 cycles', () => {
    const r = best(small, { tile: { Tr: 1, Tc: 2 } });
    expect(r.mapping.temporal[4] * r.mapping.temporal[5]).toBe(2);
    expect(r.cost.computeCycles).toBe(576);
  });
  it('pixel and kernel unroll (Ma et al.): Tp = 2, Tk = 3 → 2·2·4·⌈4/2⌉·3·⌈3/3⌉ = 96 cycles, a sixth of 576', () => {
    const r = best(small, { tile: { Tr: 4, Tc: 4 }, pixelUnroll: 2, kernelUnroll: 3 });
    expect(r.cost.computeCycles).toBe(96);
    expect(r.cost.utilization).toBeCloseTo(1152 / (96 * 12), 12);
  });
  it('a 5 × 5 kernel does not fit banks sized for 3 × 3: no mapping, and the template’s reason reaches the user', () => {
    const op = macOp({ ...small, name: 'k5', layer: 'k5', bounds: { K: 4, C: 2, P: 4, Q: 4, R: 5, S: 5 }, operands: [...operands] });
    const r = bestMapping(op, engine({ tile: { Tr: 4, Tc: 4 } }), zhangOnly, 'latency');
    expect('reason' in r && r.reason).toMatch(/level bram/);
  });
});

describe('the template prices a mapping the same for every dataflow, and enforces its rules for all', () => {
  it('an outside dataflow proposing fpga-unrolled’s best mapping gets the same cost', () => {
    const r = best(small, { tile: { Tr: 2, Tc: 2 } });
    const replay = defineDataflow({ name: 'replay', description: 'test', templates: '*', mapspace: (_op, _hw, emit) => emit(r.mapping) });
    const again = best(small, { tile: { Tr: 2, Tc: 2 } }, { plugin: replay as unknown as DataflowPlugin<unknown>, config: {} });
    expect(again.cost.cycles).toBe(r.cost.cycles);
    expect(again.cost.energyPj).toBe(r.cost.energyPj);
    expect(Array.from(again.cost.reads)).toEqual(Array.from(r.cost.reads));
  });
  it('an outside tiled dataflow unrolling output rows across x is rejected by the engine’s wiring', () => {
    const rows = defineDataflow({
      name: 'rows-on-x',
      description: 'test',
      templates: '*',
      mapspace: (op, hw, emit) => tiledMapspace(op, hw, { spatialX: ['P'], spatialY: ['C'], peOrder: [], outerOrders: [['K', 'C', 'P', 'Q']] }, emit),
    });
    const r = bestMapping(small, engine({ tile: { Tr: 4, Tc: 4 } }), { plugin: rows as unknown as DataflowPlugin<unknown>, config: {} }, 'latency');
    expect('reason' in r && r.reason).toContain(WIRING);
  });
});

describe('properties on the real template', () => {
  const arb = fc.record({
    K: fc.integer({ min: 1, max: 40 }),
    C: fc.integer({ min: 1, max: 20 }),
    P: fc.integer({ min: 1, max: 20 }),
    R: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    Tm: fc.integer({ min: 1, max: 16 }),
    Tn: fc.integer({ min: 1, max: 8 }),
    Tr: fc.integer({ min: 1, max: 12 }),
    Tc: fc.integer({ min: 1, max: 12 }),
  });
  it('every proposed mapping is legal and computes ⌈K/Tm⌉⌈C/Tn⌉⌈P/Tr⌉⌈Q/Tc⌉·Tr·Tc·R·S cycles', () => {
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
          operands: [...operands],
        });
        const hw = buildFpga(
          fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: a.Tm, Tn: a.Tn, tile: { Tr: a.Tr, Tc: a.Tc }, maxKernel: a.R, maxStride: a.stride }),
          'p',
        );
        const cost = new Cost(2);
        let n = 0;
        fpgaDataflow.mapspace(op, hw, (m) => {
          n++;
          hw.cost.evaluate(op, m, cost);
          expect(cost.legal).toBe(true);
          const tr = m.temporal[4];
          const tc = m.temporal[5];
          const expected = Math.ceil(a.K / a.Tm) * Math.ceil(a.C / a.Tn) * Math.ceil(a.P / tr) * Math.ceil(a.P / tc) * tr * tc * a.R * a.R;
          expect(cost.computeCycles).toBe(expected);
          expect(cost.cycles).toBeGreaterThanOrEqual(expected);
        }, { loopOrders: 'all' });
        expect(n).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });
});

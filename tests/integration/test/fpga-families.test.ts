import { bestMapping, macOp, type DataflowChoice, type DataflowPlugin, type MacOp } from '@trim-dse/core';
import { fpgaDataflow } from '@trim-dse/dataflow-fpga';
import { buildFpga, fpgaSchema, type FpgaSpecInput } from '@trim-dse/hw-fpga';
import { describe, expect, it } from 'vitest';

const operands = [
  { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
  { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
] as const;

function conv(bounds: Parameters<typeof macOp>[0]['bounds'], stride = 1): MacOp {
  return macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds, strideH: stride, strideW: stride, operands: [...operands] });
}

/** An int16 engine on the ZC706, banks sized by the block RAM left (tiles searched), for 3 × 3 kernels. */
const engine = (o: Partial<FpgaSpecInput>) =>
  buildFpga(fpgaSchema.parse({ device: 'zc706', precision: 'int16', clockMHz: 100, Tm: 2, Tn: 1, maxKernel: 3, maxStride: 2, ...o }), 'engine');

const dataflow: DataflowChoice = { plugin: fpgaDataflow as unknown as DataflowPlugin<unknown>, config: { loopOrders: 'all' } };

function cycles(op: MacOp, o: Partial<FpgaSpecInput>): number {
  const r = bestMapping(op, engine(o), dataflow, 'latency');
  if (!('cost' in r)) throw new Error(r.reason);
  expect(r.cost.legal).toBe(true);
  return r.cost.computeCycles;
}

describe('fpga-unrolled on every engine family (compute cycles worked by hand)', () => {
  it('convolver 2 PEs × 4 convolvers of 3 × 3: K 4, C 8, 6 × 6 outputs → ⌈4/2⌉ · ⌈8/4⌉ · 36 = 144 (the kernel in space)', () => {
    expect(cycles(conv({ K: 4, C: 8, P: 6, Q: 6, R: 3, S: 3 }), { engine: 'convolver', Tm: 2, Tn: 4, kernelUnroll: 3, kernelRowUnroll: 3 })).toBe(144);
  });

  it('unrolled-reuse Pof 4 × Pox 2 × Poy 2: K 4, C 2, 4 × 4 outputs, 3 × 3 → 2 · (4/2) · (4/2) · 9 = 72', () => {
    expect(cycles(conv({ K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 }), { engine: 'unrolled-reuse', Tm: 4, Tn: 1, pixelUnroll: 2, rowUnroll: 2 })).toBe(72);
  });

  it('winograd F(2×2, 3×3), 4 × 2 PEs: stride 1 uses the transform (2 × 2 outputs per PE and cycle) → (4/2)² = 4 cycles', () => {
    expect(cycles(conv({ K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 }), { engine: 'winograd', winograd: { m: 2, r: 3 }, Tm: 4, Tn: 2 })).toBe(4);
  });

  it('winograd at stride 2 runs directly on the 16 multipliers of a PE: one output and the 3 × 3 kernel per cycle → 16 cycles', () => {
    expect(cycles(conv({ K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 }, 2), { engine: 'winograd', winograd: { m: 2, r: 3 }, Tm: 4, Tn: 2 })).toBe(16);
  });

  it('depthwise: 16 groups of a 3 × 3 depthwise conv on 8 lanes with the kernel in space → ⌈16/8⌉ · 16 = 32; the plain engine needs 16 · 16 · 9', () => {
    const dw = conv({ G: 16, P: 4, Q: 4, R: 3, S: 3 });
    expect(cycles(dw, { engine: 'depthwise', Tm: 8, Tn: 1, kernelUnroll: 3, kernelRowUnroll: 3 })).toBe(32);
    expect(cycles(dw, { Tm: 8, Tn: 1 })).toBe(16 * 16 * 9);
  });
});

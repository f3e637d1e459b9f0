import { checkCost, Cost, macOp, precisionBytes } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { buildFpga, DEVICES, deviceDdrGBps, fpgaSchema } from '../src/index.js';
import { convOperands, smallConv, zhangMapping } from './helpers.js';

// fp32 design, 2 × 1 engine, banks for a whole 4 × 4 plane of 3 × 3 kernels, DRAM at 0.1 GB/s = 1 byte per 100 MHz cycle.
const hw = buildFpga(
  fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 2, Tn: 1, tile: { Tr: 4, Tc: 4 }, maxKernel: 3, maxStride: 1, dramGBps: 0.1 }),
  'slow-ddr',
);

describe('tensor precision comes from the ops, not the design', () => {
  // Zhang's order, one 4 × 4 plane tile: weights 4·2·9 = 72, inputs 2 output-channel tiles × 2·36 = 144, outputs 64.
  const run = (bytes: number) => {
    const op = smallConv({ bytes });
    const c = hw.cost.evaluate(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 4, 4), new Cost(2));
    checkCost(op, hw, c);
    return c;
  };
  it('fp32 tensors: 280 DRAM elements × 4 B = 1120 B; at 1 B/cycle 1120 cycles > 576 compute (memory bound)', () => {
    const c = run(4);
    expect([c.reads[3], c.reads[4], c.writes[5]]).toEqual([72, 144, 64]);
    expect(c.dramBytes).toBe(1120);
    expect(c.computeCycles).toBe(576);
    expect(c.cycles).toBe(1120);
  });
  it('int8 tensors on the same fp32 design move 1 byte per element: 280 B, 280 cycles of DDR under 576 of compute', () => {
    const c = run(1);
    expect([c.reads[3], c.reads[4], c.writes[5]]).toEqual([72, 144, 64]);
    expect([c.readBytes[3], c.readBytes[4], c.writeBytes[5]]).toEqual([72, 144, 64]);
    expect(c.dramBytes).toBe(280);
    expect(c.cycles).toBe(576);
  });
  it('DRAM time = bytes ÷ (GB/s): 1120 B at 0.1 GB/s = 11.2 µs', () => {
    const c = run(4);
    expect(c.levelCycles[1] / (hw.clockMHz * 1e6)).toBeCloseTo(1120 / 0.1e9, 15);
  });
  it('the model’s native word is its precision (the default for tensors)', () => {
    expect(precisionBytes(hw.precision)).toBe(4);
  });
});

describe('no design moves more bytes per second than its board’s DDR', () => {
  // A 32 × 8 int8 engine at 1 GHz streaming a 1 × 1 convolution of fp32 tensors (tensor bytes come from the op):
  // 256 compute cycles for (32·8 + 8·256 + 32·256)·4 = 41,984 DRAM bytes, more than any board moves in that time.
  const op = macOp({ name: 'pw', layer: 'pw', layerKind: 'conv2d', phase: 'forward', bounds: { K: 32, C: 8, P: 16, Q: 16 }, operands: convOperands(4) });
  for (const d of Object.values(DEVICES)) {
    it(`${d.key}: DRAM bytes ÷ seconds at the peak ${deviceDdrGBps(d).toFixed(2)} GB/s, never above`, () => {
      const h = buildFpga(fpgaSchema.parse({ device: d.key, precision: 'int8', clockMHz: 1000, Tm: 32, Tn: 8 }), d.key);
      const c = h.cost.evaluate(op, zhangMapping(op, { Tm: 32, Tn: 8 }, 16, 16), new Cost(2));
      checkCost(op, h, c);
      expect(c.computeCycles).toBe(256);
      expect(c.dramBytes).toBe(41984);
      const GBps = c.dramBytes / (c.cycles / (h.clockMHz * 1e6)) / 1e9;
      expect(GBps).toBeLessThanOrEqual(deviceDdrGBps(d));
      expect(GBps).toBeGreaterThan(0.99 * deviceDdrGBps(d));
    });
  }
});

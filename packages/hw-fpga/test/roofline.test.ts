import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attainableGops, computationalRoofGops, ctcRatio, externalWords, layerMacs, zhangCycles } from '../src/index.js';

// AlexNet CONV1 and CONV2 per group as in Zhang et al. FPGA'15 (two groups each).
const conv1 = { M: 48, N: 3, R: 55, C: 55, K: 11, S: 4, groups: 1 };
const conv2 = { M: 128, N: 48, R: 27, C: 27, K: 5, S: 1, groups: 1 };
const small = { M: 4, N: 2, R: 4, C: 4, K: 3, S: 1, groups: 1 };

describe("Zhang's cycle formula ⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉·Tr·Tc·K²", () => {
  it('CONV1 group on 64 × 7, whole plane: 1·1·1·1·55·55·121 = 366 025', () => {
    expect(zhangCycles(conv1, { Tm: 64, Tn: 7, Tr: 55, Tc: 55 })).toBe(366025);
  });
  it('CONV2 group on 64 × 7: 2·7·27·27·25 = 255 150', () => {
    expect(zhangCycles(conv2, { Tm: 64, Tn: 7, Tr: 27, Tc: 27 })).toBe(255150);
  });
  it('tiles that do not divide the plane pad: CONV1 with Tr = Tc = 10 → 6·6·100·121 = 435 600', () => {
    expect(zhangCycles(conv1, { Tm: 64, Tn: 7, Tr: 10, Tc: 10 })).toBe(435600);
  });
  it('groups run one after another', () => {
    expect(zhangCycles({ ...conv1, groups: 2 }, { Tm: 64, Tn: 7, Tr: 55, Tc: 55 })).toBe(2 * 366025);
  });
  it('property: never fewer cycles than MACs / (Tm·Tn)', () => {
    fc.assert(
      fc.property(
        fc.record({ M: fc.integer({ min: 1, max: 300 }), N: fc.integer({ min: 1, max: 300 }), R: fc.integer({ min: 1, max: 60 }), K: fc.integer({ min: 1, max: 11 }) }),
        fc.record({ Tm: fc.integer({ min: 1, max: 128 }), Tn: fc.integer({ min: 1, max: 32 }), Tr: fc.integer({ min: 1, max: 60 }) }),
        (l, t) => {
          const layer = { M: l.M, N: l.N, R: l.R, C: l.R, K: l.K, S: 1, groups: 1 };
          const tiling = { Tm: t.Tm, Tn: t.Tn, Tr: Math.min(t.Tr, l.R), Tc: Math.min(t.Tr, l.R) };
          expect(zhangCycles(layer, tiling) * t.Tm * t.Tn).toBeGreaterThanOrEqual(layerMacs(layer));
        },
      ),
    );
  });
});

describe('CTC roofline', () => {
  // M=4, N=2, 4×4 outputs, 3×3 kernel, stride 1; Tm=2, Tn=1, Tr=Tc=2:
  // 4 plane tiles; α_in = α_w = 2·2·4 = 16, α_out = 2·4 = 8; tiles: inputs 1·4·4 = 16, weights 2·1·9 = 18,
  // outputs 2·2·2 = 8 → 256 + 288 + 64 = 608 words = 2432 bytes for 2·1152 = 2304 ops: CTC = 0.947 op/byte.
  const t = { Tm: 2, Tn: 1, Tr: 2, Tc: 2 };
  it('external words and CTC, hand-worked', () => {
    expect(externalWords(small, t)).toEqual({ inputs: 256, weights: 288, outputs: 64 });
    expect(ctcRatio(small, t, 4)).toBeCloseTo(2304 / 2432, 12);
  });
  it('computational roof: 2·1152 ops in 576 cycles at 100 MHz = 0.4 GOPS', () => {
    expect(zhangCycles(small, t)).toBe(576);
    expect(computationalRoofGops(small, t, 100)).toBeCloseTo(0.4, 12);
  });
  it('attainable = min(roof, CTC × bandwidth)', () => {
    expect(attainableGops(small, t, 100, 4, 1)).toBeCloseTo(0.4, 12);
    expect(attainableGops(small, t, 100, 4, 0.1)).toBeCloseTo((0.1 * 2304) / 2432, 12);
  });
});

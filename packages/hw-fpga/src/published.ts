import type { FpgaSpecInput } from './schema.js';

/**
 * Published FPGA designs as built-in architectures: each paper's own engine at its own size, on its board, precision
 * and clock (`trim eval --arch <name>`). The validation suite evaluates them against the papers' measurements. Their
 * buffers are sized by the template's defaults (kernels up to 11 × 11 at stride 4), so that every built-in also runs
 * AlexNet's CONV1.
 */

/** Zhang et al., FPGA 2015, Table 4 and Sec. 5: fp32, 100 MHz, Tm = 64, Tn = 7 (their cross-layer unified unroll). */
export const zhangVc707: FpgaSpecInput = { name: 'zhang-fpga15-vc707', device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 64, Tn: 7 };

/**
 * Ma, Cao, Vrudhula, Seo, FPGA 2017 ("Optimizing Loop Operation and Dataflow in FPGA Acceleration of Deep CNNs"):
 * Arria 10 GX 1150, 16-bit fixed point, 150 MHz, Pof × Poy × Pox = 64 × 7 × 7 = 3136 MACs (Pif = Pkx = Pky = 1),
 * inputs shifted between neighbouring PEs. 3136 multipliers exceed the 1518 blocks × 2 int16 multipliers = 3036 of
 * the device: the other 100 are built from logic, and the DSPs are all used (the paper reports 100 %).
 */
export const maArria10: FpgaSpecInput = {
  name: 'ma-fpga17-arria10',
  device: 'arria10',
  precision: 'int16',
  clockMHz: 150,
  engine: 'unrolled-reuse',
  Tm: 64,
  Tn: 1,
  pixelUnroll: 7,
  rowUnroll: 7,
  // 3136 − 2 × 1518 multipliers in logic.
  macsInLogic: 100,
  // The paper's design uses every DSP block (Sec. 6: 1518 of 1518).
  utilizationLimits: { dsp: 1 },
};

/**
 * Lu, Liang, Xiao, Yan, FCCM 2017 ("Evaluating Fast Algorithms for CNNs on FPGAs"): ZCU102, 16-bit fixed point,
 * 200 MHz, Winograd F(4×4, 3×3) PEs. The PE count is not in the reference data: 16 × 4 = 64 PEs of 36 multipliers
 * (2304 DSP48E2) is inferred from the board's 2520 DSPs (the largest power-of-two PE array that fits), not quoted.
 */
export const luZcu102: FpgaSpecInput = {
  name: 'lu-fccm17-zcu102',
  device: 'zcu102',
  precision: 'int16',
  clockMHz: 200,
  engine: 'winograd',
  winograd: { m: 4, r: 3 },
  Tm: 16,
  Tn: 4,
  // 2304 of 2520 DSPs (91 %), above UG949's 80 % guideline as the published design is.
  utilizationLimits: { dsp: 1 },
};

/**
 * Wang, Xu, Jiang, FPT 2017 ("PipeCNN: An OpenCL-Based Open-Source FPGA Accelerator for Convolution Neural
 * Networks"), DE5-Net (Stratix V GX A7), 8-bit fixed point, 198 MHz (Table I). The convolution kernel's compute units
 * each take a vector of VEC_SIZE input channels per cycle into a multiplier-adder tree and accumulate one output
 * channel: Zhang's Tm × Tn engine with Tm = CU_NUM = 28 and Tn = VEC_SIZE = 16, the best point of the paper's DE5-Net
 * design-space exploration (Sec. III-B, Fig. 6).
 */
export const wangDe5net: FpgaSpecInput = {
  name: 'wang-fpt17-de5net',
  device: 'de5net',
  precision: 'int8',
  clockMHz: 198,
  Tm: 28,
  Tn: 16,
  // 448 multipliers in 224 of the 256 DSP blocks (88 %): above UG949's 80 % guideline, as the published design is
  // (Table I: 247 DSPs with the other kernels).
  utilizationLimits: { dsp: 1 },
};

export const PUBLISHED_DESIGNS: Readonly<Record<string, FpgaSpecInput>> = {
  'zhang-fpga15-vc707': zhangVc707,
  'ma-fpga17-arria10': maArria10,
  'lu-fccm17-zcu102': luZcu102,
  'wang-fpt17-de5net': wangDe5net,
};

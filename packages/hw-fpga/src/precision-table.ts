import type { DspFamily } from './devices.js';

export const FPGA_PRECISIONS = ['fp32', 'fp16', 'int16', 'int8'] as const;
export type FpgaPrecision = (typeof FPGA_PRECISIONS)[number];

export const PRECISION_BITS: Readonly<Record<FpgaPrecision, number>> = { fp32: 32, fp16: 16, int16: 16, int8: 8 };

/**
 * DSP blocks per multiply-accumulate unit, by DSP family and precision.
 * - DSP48E1/E2 fp32: a multiplier (3 DSPs, "full usage") and an adder (2 DSPs, "full usage") of the Floating-Point
 *   Operator (PG060 resource tables); Zhang et al. FPGA'15 used the same 5 DSPs per MAC (2240 DSPs / 448 MACs).
 * - fp16: a half-precision multiplier in 1 DSP and an adder in 1 DSP (PG060, half precision, full usage) — estimate.
 * - int16: one 25×18 (E1) / 27×18 (E2) multiplier with the 48-bit post-adder accumulating (UG479, UG579).
 * - int8: 1 on DSP48E1; two MACs sharing one operand per DSP48E2 (WP486 "Deep Learning with INT8 Optimization").
 * - Arria 10 variable-precision DSP: one hardened IEEE-754 single-precision multiply-add per block; no native fp16
 *   (runs in the fp32 mode); two 18×19 multipliers per block for int16 and int8 (A10-OVERVIEW, "Variable-Precision
 *   DSP Block"; Ma et al. FPGA'17 ran 3136 16-bit MACs on 1518 DSP blocks plus logic).
 * - Stratix V variable-precision DSP: one 27×27 multiplier (the significand of an fp32 or fp16 multiply; no hardened
 *   float adder, so the add is logic — estimate) or two 18×18 multipliers per block (Stratix V Device Handbook,
 *   "Variable Precision DSP Blocks"); int8 two per block as Wang et al., FPT 2017 (PipeCNN) did: "two 8 × 8
 *   multipliers were also grouped and mapped into one DSP block".
 */
export const DSP_PER_MAC: Readonly<Record<DspFamily, Readonly<Record<FpgaPrecision, number>>>> = {
  dsp48e1: { fp32: 5, fp16: 2, int16: 1, int8: 1 },
  dsp48e2: { fp32: 5, fp16: 2, int16: 1, int8: 0.5 },
  'arria10-vp': { fp32: 1, fp16: 1, int16: 0.5, int8: 0.5 },
  'stratixv-vp': { fp32: 1, fp16: 1, int16: 0.5, int8: 0.5 },
};

/**
 * Coarse logic per MAC unit beyond its DSPs (operand registers, alignment/normalisation of floats, accumulator
 * control, buffer read muxes), 6-input LUTs and flip-flops. Floats: order of the PG060 resource tables for a
 * full-DSP-usage multiplier plus adder (a few hundred LUTs); fixed point: operand and result registers only.
 * These are estimates for feasibility, not calibrated figures.
 */
export const LOGIC_PER_MAC: Readonly<Record<FpgaPrecision, { readonly lut: number; readonly ff: number }>> = {
  fp32: { lut: 300, ff: 500 },
  fp16: { lut: 150, ff: 250 },
  int16: { lut: 30, ff: 60 },
  int8: { lut: 20, ff: 40 },
};

/** Hardened floats on Arria 10 need no LUT-side normalisation; the fixed-point figures apply there. */
export function logicPerMac(family: DspFamily, p: FpgaPrecision): { lut: number; ff: number } {
  if (family === 'arria10-vp' && p === 'fp32') return LOGIC_PER_MAC.int16;
  return LOGIC_PER_MAC[p];
}

/**
 * LUTs of one multiplier built from logic (a design that has used every DSP block builds the rest in fabric): an
 * n × n array multiplier adds n partial products of n bits, about one LUT (with the carry chain) per partial-product
 * bit, n² for the significand width n (fp32 24 bits, fp16 11, int16 16, int8 8). An estimate, like the figures above.
 */
export function softMultiplierLuts(p: FpgaPrecision): number {
  const n = p === 'fp32' ? 24 : p === 'fp16' ? 11 : PRECISION_BITS[p];
  return n * n;
}

/** Fixed control and DRAM interface logic of the accelerator shell (DMA engines, AXI/Avalon interconnect), estimate. */
export const SHELL_LOGIC = { lut: 20000, ff: 30000 } as const;

/**
 * Utilisation ceilings a design should stay under to close timing and route: UltraFast Design Methodology Guide
 * (UG949), "Utilization guidelines": LUT 70 %, FF 50 %, DSP 80 %, block RAM / UltraRAM 80 %.
 */
export const UTILIZATION_LIMITS = { dsp: 0.8, bram: 0.8, uram: 0.8, lut: 0.7, ff: 0.5 } as const;

export function dspPerMac(family: DspFamily, p: FpgaPrecision): number {
  return DSP_PER_MAC[family][p];
}

import type { SystolicSpec } from './schema.js';

/**
 * Silicon area when the spec gives none, scaled from the TPU v1 floor plan (Jouppi et al., ISCA 2017, Fig. 2 and
 * Table 2, 28 nm): of a ≤ 331 mm² die, compute is 30 % (65 536 8-bit MACs → 1.52e-3 mm² per PE) and data buffers 37 %
 * (24 MiB + 4 MiB + 256 KiB → 4.34 mm² per MiB). I/O and control are not counted. A PE scales with the square of the
 * word width (the multiplier dominates).
 */
export const PE_AREA_MM2_8BIT = (0.3 * 331) / 65536;
export const SRAM_AREA_MM2_PER_MIB = (0.37 * 331) / (24 + 4 + 0.25);

export function estimateAreaMm2(spec: SystolicSpec): number {
  const width = spec.wordBits / 8;
  const pes = spec.rows * spec.cols * PE_AREA_MM2_8BIT * width * width;
  const mib = (spec.sram.ifmapKB + spec.sram.filterKB + spec.sram.ofmapKB) / 1024;
  return pes + mib * SRAM_AREA_MM2_PER_MIB;
}

import { ORGANISATIONS } from '@trim-dse/fpga-kit';
import { z } from 'zod';
import { DEVICE_KEYS } from './devices.js';
import { FPGA_PRECISIONS } from './precision-table.js';

export { ORGANISATIONS, type Organisation } from '@trim-dse/fpga-kit';

// Physical ranges (the .max bounds): beyond them a spec is a typo, and counts derived from it would overflow.
const count = z.number().int().positive().max(2 ** 40);

/** One engine of a layer-pipelined design: the layer it runs and its unroll. */
export const stageSchema = z.object({
  layer: z.string().min(1),
  Tm: count,
  Tn: count,
});

const fraction = z.number().min(1e-6).max(1);

/**
 * An FPGA accelerator built around Zhang et al.'s unrolled convolution engine (FPGA'15): Tm output channels × Tn
 * input channels per cycle (optionally × pixelUnroll output columns × kernelUnroll filter columns, as in Ma et al.
 * FPGA'17), fed by banked, double-buffered on-chip buffers, tiled Tr × Tc over the output plane.
 */
export const fpgaSchema = z.object({
  name: z.string().optional(),
  device: z.enum(DEVICE_KEYS as [string, ...string[]]),
  precision: z.enum(FPGA_PRECISIONS),
  clockMHz: z.number().min(1e-6).max(1e5),
  Tm: count,
  Tn: count,
  pixelUnroll: count.default(1),
  kernelUnroll: count.default(1),
  /** Fixed tile of the output plane; absent = buffers take the block RAM left (under its limit), tiles searched. */
  tile: z.object({ Tr: count, Tc: count }).optional(),
  /** Largest kernel and stride the buffers are sized for (AlexNet CONV1: 11 and 4). */
  maxKernel: count.default(11),
  maxStride: count.default(4),
  organisation: z.enum(ORGANISATIONS).default('single-engine'),
  /** Per-layer engines of a layer-pipelined design (Tm, Tn above are then ignored). */
  stages: z.array(stageSchema).min(1).optional(),
  /** External memory bandwidth the design uses, GB/s (default: every DDR channel of the board at peak). */
  dramGBps: z.number().min(1e-6).max(1e9).optional(),
  /** Fractions of each resource a design may use (default UG949 guidelines). */
  utilizationLimits: z
    .object({ dsp: fraction, bram: fraction, uram: fraction, lut: fraction, ff: fraction })
    .partial()
    .optional(),
});

export type FpgaSpec = z.infer<typeof fpgaSchema>;
export type FpgaSpecInput = z.input<typeof fpgaSchema>;
export type StageSpec = z.infer<typeof stageSchema>;

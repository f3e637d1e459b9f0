import { ENGINE_FAMILIES, ORGANISATIONS } from '@trim-dse/fpga-kit';
import { depthFirstSpecSchema, epilogueSpecSchema } from '@trim-dse/core';
import { z } from 'zod';
import { DEVICE_KEYS } from './devices.js';
import { FPGA_PRECISIONS } from './precision-table.js';

export { ORGANISATIONS, type Organisation } from '@trim-dse/fpga-kit';

// Physical ranges (the .max bounds): beyond them a spec is a typo, and counts derived from it would overflow.
const count = z.number().int().positive().max(2 ** 40);

/** One engine of a layer-pipelined design: the layer it runs and its unroll. */
export const stageSchema = z.object({
  layer: z.string().min(1).describe('The layer this engine runs.'),
  Tm: count.describe('Output channels per cycle.'),
  Tn: count.describe('Input channels per cycle.'),
});

const fraction = z.number().min(1e-6).max(1);

/**
 * An FPGA accelerator built around Zhang et al.'s unrolled convolution engine (FPGA'15): Tm output channels × Tn
 * input channels per cycle (optionally × pixelUnroll output columns × kernelUnroll filter columns, as in Ma et al.
 * FPGA'17), fed by banked, double-buffered on-chip buffers, tiled Tr × Tc over the output plane.
 */
export const fpgaSchema = z.object({
  name: z.string().optional().describe('Name of the architecture in reports.'),
  device: z.enum(DEVICE_KEYS as [string, ...string[]]).describe('The FPGA board (trim list shows the fpga-<device> spaces).'),
  precision: z.enum(FPGA_PRECISIONS).describe('Number format of the datapath (sets DSPs per MAC and the tensor precision).'),
  clockMHz: z.number().min(1e-6).max(1e5).describe('Clock frequency, MHz.'),
  Tm: count.describe('Output channels computed per cycle (Zhang et al. FPGA 2015).'),
  Tn: count.describe('Input channels consumed per cycle.'),
  pixelUnroll: count.default(1).describe('Output columns per cycle (Ma et al. FPGA 2017).'),
  kernelUnroll: count.default(1).describe('Filter columns per cycle.'),
  /** Output rows per cycle (Ma et al.'s Poy). */
  rowUnroll: count.default(1).describe('Output rows per cycle (Ma et al. FPGA 2017, Poy).'),
  /** Filter rows per cycle (Ma et al.'s Pky; with kernelUnroll, a convolver's K × K). */
  kernelRowUnroll: count.default(1).describe('Filter rows per cycle (Ma et al. FPGA 2017, Pky; a convolver engine\'s K).'),
  /** The engine family (how lanes are fed and banked); see @trim-dse/fpga-kit. */
  engine: z
    .enum(ENGINE_FAMILIES)
    .default('unrolled')
    .describe('Engine family: unrolled (Zhang FPGA 2015), unrolled-reuse (Ma FPGA 2017), convolver (Qiu FPGA 2016), winograd, depthwise.'),
  /** F(m×m, r×r) of a winograd engine (then Tp = Ty = m and Tk = Tr = r). */
  winograd: z
    .object({ m: count.describe('Output tile side m.'), r: count.describe('Kernel side r.') })
    .strict()
    .optional()
    .describe('F(m×m, r×r) of a winograd engine: m×m outputs of an r×r kernel per tile (needs engine: winograd).'),
  /** Multipliers built from LUTs instead of DSP blocks (a design that has used every DSP). */
  macsInLogic: z.number().int().nonnegative().max(2 ** 40).default(0).describe('Multipliers built from logic (LUTs) instead of DSP blocks.'),
  /** Fixed tile of the output plane; absent = buffers take the block RAM left (under its limit), tiles searched. */
  tile: z
    .object({ Tr: count.describe('Output rows per tile.'), Tc: count.describe('Output columns per tile.') })
    .optional()
    .describe('Fixed tile of the output plane; absent: the buffers take the block RAM left and tiles are searched.'),
  /** Largest kernel and stride the buffers are sized for (AlexNet CONV1: 11 and 4). */
  maxKernel: count.default(11).describe('Largest kernel the input buffers are sized for.'),
  maxStride: count.default(4).describe('Largest stride the input buffers are sized for.'),
  organisation: z.enum(ORGANISATIONS).default('single-engine').describe('One engine for every layer, or one engine per layer (layer-pipelined, with stages).'),
  /** Per-layer engines of a layer-pipelined design (Tm, Tn above are then ignored). */
  stages: z.array(stageSchema).min(1).optional().describe('Per-layer engines of a layer-pipelined design (Tm and Tn are then ignored).'),
  epilogue: epilogueSpecSchema.optional(),
  depthFirst: depthFirstSpecSchema.default(false),
  /** External memory bandwidth the design uses, GB/s (default: every DDR channel of the board at peak). */
  dramGBps: z.number().min(1e-6).max(1e9).optional().describe('External memory bandwidth the design uses, GB/s (default: every DDR channel of the board at peak).'),
  /** Fractions of each resource a design may use (default UG949 guidelines). */
  utilizationLimits: z
    .object({
      dsp: fraction.describe('Share of the DSPs.'),
      bram: fraction.describe('Share of the block RAM.'),
      uram: fraction.describe('Share of the UltraRAM.'),
      lut: fraction.describe('Share of the LUTs.'),
      ff: fraction.describe('Share of the flip-flops.'),
    })
    .partial()
    .optional()
    .describe('Fractions of each resource a design may use (default: the UG949 guidelines).'),
})
  // A winograd engine needs its F(m×m, r×r); other families take none.
  .refine((s) => (s.engine === 'winograd') === (s.winograd !== undefined), {
    message: 'engine winograd needs winograd: { m, r }, and winograd needs engine: winograd',
    path: ['winograd'],
  });

export type FpgaSpec = z.infer<typeof fpgaSchema>;
export type FpgaSpecInput = z.input<typeof fpgaSchema>;
export type StageSpec = z.infer<typeof stageSchema>;

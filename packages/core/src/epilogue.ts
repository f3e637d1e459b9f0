import { z } from 'zod';

/**
 * What a template's output path can apply to a producer's results as they leave the array, before they are stored
 * (the accumulator → activation unit → buffer path of a TPU, the ReLU on Eyeriss's ofmap path, an FPGA engine's
 * ReLU/pooling modules):
 * - `activation`: an element-wise non-linearity (ReLU, ReLU6, GELU, sigmoid, tanh, SiLU, identity);
 * - `bias`: a per-channel affine shift; at inference a BatchNorm folds into it (its scale moves into the producer's
 *   weights offline, its shift becomes the bias: one add per element);
 * - `residual-add`: an element-wise add of a second tensor (the skip), read while the output streams out;
 * - `pool`: max/average pooling over windows of the output (a line buffer on the output path).
 * Requantisation is not listed: precision changes are not layers of TRIM's IR (a tensor's precision is an attribute).
 */
export const EPILOGUE_KINDS = ['activation', 'bias', 'residual-add', 'pool'] as const;
export type EpilogueKind = (typeof EPILOGUE_KINDS)[number];

/** A template's output path: the kinds it applies and its throughput (element operations per cycle). */
export interface Epilogue {
  readonly kinds: readonly EpilogueKind[];
  readonly opsPerCycle: number;
}

/** How much the scheduler fuses: nothing, element-wise/pooling epilogues, or epilogues and fused attention. */
export const FUSION_MODES = ['none', 'epilogue', 'full'] as const;
export type FusionMode = (typeof FUSION_MODES)[number];

/**
 * The `epilogue` field of a template's spec (each template gives its own defaults, the same for every workload).
 * `kinds: []` turns fusion off for that architecture; `opsPerCycle` absent takes the template's own default.
 */
export const epilogueSpecSchema = z
  .object({
    kinds: z.array(z.enum(EPILOGUE_KINDS)).describe('What the output path applies to results before they are stored.'),
    opsPerCycle: z.number().positive().finite().optional().describe("Element operations per cycle of the output path (default: the template's)."),
  })
  .strict()
  .describe('The output path (fused epilogues): the operations it applies as results leave the array, and its throughput.');
export type EpilogueSpec = z.infer<typeof epilogueSpecSchema>;

/** The `depthFirst` field of a template's spec (each template gives its default with the reason). */
export const depthFirstSpecSchema = z
  .boolean()
  .describe('The controller can run consecutive layers band by band (depth-first stacks under --fusion full).');

/** The model's epilogue from a spec field (undefined: the template's default kinds), with the template's default throughput. */
export function epilogueOf(spec: EpilogueSpec | undefined, defaults: { kinds: readonly EpilogueKind[]; opsPerCycle: number }): Epilogue {
  const kinds = spec?.kinds ?? defaults.kinds;
  return { kinds: [...new Set(kinds)].sort((a, b) => EPILOGUE_KINDS.indexOf(a) - EPILOGUE_KINDS.indexOf(b)), opsPerCycle: spec?.opsPerCycle ?? defaults.opsPerCycle };
}

import { PRECISIONS } from '@trim-dse/core';
import { z } from 'zod';

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

export const RECOMPUTE_POLICIES = ['none', 'checkpoint-blocks', 'selective'] as const;
export type RecomputePolicy = (typeof RECOMPUTE_POLICIES)[number];

/** The tensors of a training step whose number format can be chosen. */
export const PRECISION_ROLES = ['activations', 'weights', 'gradients', 'weightGradients', 'masterWeights', 'optimizerState'] as const;
export type PrecisionRole = (typeof PRECISION_ROLES)[number];

const precision = z.enum(PRECISIONS);

/**
 * Number format per tensor role. Unset roles default to the network's own precision (activations: each tensor's,
 * weights: the layer input's); `masterWeights` and `optimizerState` default to `weights`. A `masterWeights` wider
 * than `weights` turns on mixed-precision training: the update reads and writes the master copy and writes a
 * low-precision copy for the next step.
 */
export const precisionSchema = z
  .object({
    activations: precision.optional(),
    weights: precision.optional(),
    gradients: precision.optional(),
    weightGradients: precision.optional(),
    masterWeights: precision.optional(),
    optimizerState: precision.optional(),
  })
  .strict();
export type PrecisionConfig = z.infer<typeof precisionSchema>;

export const trainingSchema = z.object({
  /** Batch size is baked into the network by the workload source; accepted here so `{ batch }` parses. */
  batch: z.number().int().positive().optional(),
  optimizer: z.enum(OPTIMIZERS).default('sgd'),
  recompute: z.enum(RECOMPUTE_POLICIES).default('none'),
  /**
   * Mixed-precision shorthand: activations, weights and gradients in this format, master weights and optimizer
   * state in fp32 (Micikevicius et al., "Mixed precision training", ICLR 2018). Explicit `precision` fields win.
   */
  mixed: z.enum(['fp16', 'bf16', 'fp8']).optional(),
  precision: precisionSchema.default({}),
  /**
   * Loop nest of backward-weight. 'reduction' (the core contract): the forward nest reduced over N, P, Q, slots
   * [dY 'output', X 'window', dW 'filter']. 'convolution': the same MACs as a convolution whose filter is dY
   * (batch as input channels, output positions as taps, stride and dilation exchanged), slots [dY 'filter',
   * X 'window', dW 'output'], for dataflows that map only convolution-shaped nests. 'auto' (default): the reduction,
   * with the convolution attached as an equivalent form; each dataflow maps whichever it can, the best wins.
   */
  weightGradient: z.enum(['auto', 'reduction', 'convolution']).default('auto'),
  /** Per-phase overrides of `precision` (e.g. `{ forward: { activations: 'fp8' } }`). */
  phasePrecision: z
    .object({
      forward: precisionSchema.optional(),
      'backward-data': precisionSchema.optional(),
      'backward-weight': precisionSchema.optional(),
      update: precisionSchema.optional(),
    })
    .strict()
    .default({}),
});

export type TrainingConfig = z.infer<typeof trainingSchema>;
export type TrainingConfigInput = z.input<typeof trainingSchema>;

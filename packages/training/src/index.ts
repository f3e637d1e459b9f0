import { definePhaseModel, definePlugin, type ConfigSchema } from '@trim-dse/core';
import { trainingSchema, type TrainingConfig } from './schema.js';
import { trainingOps } from './step.js';

export * from './schema.js';
export { PrecisionPlan } from './precision.js';
export { TrainingGraph, hasParams, isPassThrough } from './graph.js';
export { checkpointBlocks, cutPoints, type Block } from './blocks.js';
export { tapClasses, convBackwardData, convBackwardWeight, linearBackwardData, matmulBackward } from './mac-backward.js';
export { einsumBackward, einsumElements } from './einsum-backward.js';
export { vectorBackward, lossGradient, gradientSum } from './vector-backward.js';
export { updateOp, paramCount, STATE_TENSORS } from './update.js';
export { trainingStep, trainingOps, type TrainingStep } from './step.js';
export { stepFootprint, trainingFootprint, type StepFootprint, type TrainingFootprint } from './footprint.js';
export { phaseSummary, type PhaseSummary } from './summary.js';

/** Training: forward, backward-data, backward-weight and the optimizer update of every layer, in one step. */
export const trainingPhase = definePhaseModel<TrainingConfig>({
  name: 'training',
  description: 'One training step: forward, backward-data, backward-weight and optimizer update (SGD, momentum, Adam)',
  configSchema: trainingSchema as unknown as ConfigSchema<TrainingConfig>,
  // Models with dropout (GPT-2) train with it: its masks are part of the activation stash.
  workloadOptions: { dropout: true },
  ops: (net, config) => trainingOps(net, config),
});

export default definePlugin({ name: '@trim-dse/training', phaseModels: [trainingPhase] });

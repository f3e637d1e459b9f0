import { precisionBytes, type Phase, type Precision } from '@trim-dse/core';
import type { PrecisionRole, TrainingConfig } from './schema.js';

/**
 * Number format of a tensor role in a phase: the phase override, else the step-wide choice, else the role's
 * default chain (weight gradients → gradients; optimizer state → master weights → weights), else the network's own
 * precision for that tensor (`fallback`).
 */
export class PrecisionPlan {
  constructor(private readonly cfg: Pick<TrainingConfig, 'precision' | 'phasePrecision'>) {}

  precision(role: PrecisionRole, phase: Phase, fallback: Precision): Precision {
    const chosen = this.cfg.phasePrecision[phase]?.[role] ?? this.cfg.precision[role];
    if (chosen) return chosen;
    switch (role) {
      case 'weightGradients':
        return this.precision('gradients', phase, fallback);
      case 'masterWeights':
        return this.precision('weights', phase, fallback);
      case 'optimizerState':
        return this.precision('masterWeights', phase, fallback);
      default:
        return fallback;
    }
  }

  bytes(role: PrecisionRole, phase: Phase, fallback: Precision): number {
    return precisionBytes(this.precision(role, phase, fallback));
  }
}

import { precisionBytes, type Phase, type Precision } from '@trim-dse/core';
import type { PrecisionRole, TrainingConfig } from './schema.js';

/**
 * Number format of a tensor role in a phase: the phase override, else the step-wide choice, else the `mixed`
 * shorthand, else the role's default chain (weight gradients → gradients; optimizer state → master weights → weights), else the network's own
 * precision for that tensor (`fallback`).
 */
export class PrecisionPlan {
  constructor(private readonly cfg: Pick<TrainingConfig, 'precision' | 'phasePrecision' | 'mixed'>) {}

  precision(role: PrecisionRole, phase: Phase, fallback: Precision): Precision {
    const perPhase: Readonly<Record<string, Partial<Record<PrecisionRole, Precision>> | undefined>> = this.cfg.phasePrecision;
    const explicit = (r: PrecisionRole) => perPhase[phase]?.[r] ?? this.cfg.precision[r];
    const chosen = explicit(role) ?? (role === 'weightGradients' ? explicit('gradients') : undefined) ?? this.mixed(role);
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

  /** The `mixed` shorthand: low precision for the working tensors, fp32 master weights and optimizer state. */
  private mixed(role: PrecisionRole): Precision | undefined {
    const low = this.cfg.mixed;
    if (!low) return undefined;
    return role === 'masterWeights' || role === 'optimizerState' ? 'fp32' : low;
  }

  bytes(role: PrecisionRole, phase: Phase, fallback: Precision): number {
    return precisionBytes(this.precision(role, phase, fallback));
  }
}

import { z } from 'zod';
import type { Goal } from '../evaluate.js';

export const EXPLORE_GOALS = ['latency', 'energy', 'edp', 'throughput-per-area', 'throughput-per-watt'] as const;
export type ExploreGoalName = (typeof EXPLORE_GOALS)[number];

/**
 * What the outer search minimises. A name, or a weighted mix: the weighted geometric mean of latency (s), energy
 * (pJ) and area (mm²) — scale-free, so a weight means the same whatever the units.
 */
export const goalSchema = z.union([
  z.enum(EXPLORE_GOALS),
  z
    .object({
      mix: z
        .object({ latency: z.number().nonnegative().optional(), energy: z.number().nonnegative().optional(), area: z.number().nonnegative().optional() })
        .strict()
        .refine((m) => (m.latency ?? 0) + (m.energy ?? 0) + (m.area ?? 0) > 0, 'give at least one positive weight'),
    })
    .strict(),
]);
export type GoalSpec = z.infer<typeof goalSchema>;

/** Limits a point must meet to count as feasible. */
export const constraintsSchema = z
  .object({
    areaMm2: z.number().positive().optional(),
    /** Average power over the workload, W. */
    powerW: z.number().positive().optional(),
    /** Weighted workload latency, s. */
    latencySeconds: z.number().positive().optional(),
  })
  .strict();
export type Constraints = z.infer<typeof constraintsSchema>;

/** The figures a goal is computed from. */
export interface GoalInputs {
  readonly seconds: number;
  readonly energyPj: number;
  readonly edp: number;
  readonly areaMm2: number | undefined;
}

/** Whether the goal needs the template's area estimate. */
export function goalNeedsArea(goal: GoalSpec): boolean {
  return goal === 'throughput-per-area' || (typeof goal === 'object' && (goal.mix.area ?? 0) > 0);
}

/**
 * The score to minimise. Throughput per area is maximised by minimising seconds × mm²; throughput per watt
 * (steps/s ÷ J/s) by minimising the energy of a step.
 */
export function goalScore(goal: GoalSpec, v: GoalInputs): number {
  switch (goal) {
    case 'latency':
      return v.seconds;
    case 'energy':
    case 'throughput-per-watt':
      return v.energyPj;
    case 'edp':
      return v.edp;
    case 'throughput-per-area':
      return v.seconds * (v.areaMm2 ?? NaN);
    default: {
      const m = goal.mix;
      let log = 0;
      if (m.latency) log += m.latency * Math.log(v.seconds);
      if (m.energy) log += m.energy * Math.log(v.energyPj);
      if (m.area) log += m.area * Math.log(v.areaMm2 ?? NaN);
      return Math.exp(log);
    }
  }
}

/** What the inner mapper minimises for a given outer goal. */
export function mapperGoal(goal: GoalSpec): Goal {
  switch (goal) {
    case 'latency':
    case 'throughput-per-area':
      return 'latency';
    case 'energy':
    case 'throughput-per-watt':
      return 'energy';
    default:
      return 'edp';
  }
}

/** A goal as text (for tables). */
export function goalLabel(goal: GoalSpec): string {
  if (typeof goal === 'string') return goal;
  return `mix(${Object.entries(goal.mix).map(([k, w]) => `${k}^${w}`).join('·')})`;
}

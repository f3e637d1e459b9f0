import { z } from 'zod';

/** Options of simulated annealing. Temperatures are in units of ln(score): 0.1 ≈ accepting a 10 % worse point. */
export const annealSchema = z
  .object({
    initialTemperature: z.number().positive().default(0.3),
    finalTemperature: z.number().positive().default(0.003),
    /** Neighbours of the current point proposed (and evaluated in parallel) per step. */
    neighbours: z.number().int().min(1).default(4),
  })
  .strict();
export type AnnealConfig = z.infer<typeof annealSchema>;

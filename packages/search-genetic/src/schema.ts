import { z } from 'zod';

/** Options of the genetic search. */
export const geneticSchema = z
  .object({
    /** Points per generation. */
    population: z.number().int().min(2).default(16),
    /** Chance that a child mixes two parents (uniform crossover) rather than copying one. */
    crossoverRate: z.number().min(0).max(1).default(0.9),
    /** Chance per gene to mutate; default 1 / number of parameters. */
    mutationRate: z.number().min(0).max(1).optional(),
    /** Parents are the best of this many random picks from the elite. */
    tournament: z.number().int().min(1).default(2),
  })
  .strict();
export type GeneticConfig = z.infer<typeof geneticSchema>;

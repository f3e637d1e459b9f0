import { z } from 'zod';

/** Options of the exhaustive search. */
export const exhaustiveSchema = z
  .object({
    /** Enumerate from this point index (0 = the first point). */
    start: z.number().int().nonnegative().default(0),
  })
  .strict();
export type ExhaustiveConfig = z.infer<typeof exhaustiveSchema>;

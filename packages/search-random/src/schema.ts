import { z } from 'zod';

/** Options of the random search (none yet: the seed and budget come from the explorer). */
export const randomSchema = z.object({}).strict();
export type RandomConfig = z.infer<typeof randomSchema>;

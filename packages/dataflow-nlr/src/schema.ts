import { z } from 'zod';

/** Options of the no-local-reuse dataflow. */
export const nlrSchema = z.object({
  /** Tile-factor candidates per loop and level. */
  maxCandidates: z.number().int().min(2).max(16).default(6),
});

export type NlrConfig = z.infer<typeof nlrSchema>;

import { z } from 'zod';

/** Options of the free dataflow. */
export const freeSchema = z
  .object({
    /** Tile-factor candidates per loop and level (more = slower search, rarely better). */
    maxCandidates: z.number().int().min(2).max(16).default(6),
  })
  .strict();

export type FreeConfig = z.infer<typeof freeSchema>;

import { z } from 'zod';

/** Options of the output-stationary dataflow (they apply to the generic and spatial templates; the systolic array has one mapping). */
export const osSchema = z
  .object({
    /** Tile-factor candidates per loop and level on tiled templates (more = slower search, rarely better). */
    maxCandidates: z.number().int().min(2).max(16).default(6),
  })
  .strict();

export type OSConfig = z.infer<typeof osSchema>;

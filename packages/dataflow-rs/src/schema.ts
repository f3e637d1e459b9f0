import { z } from 'zod';

/** Options of the row-stationary dataflow. */
export const rsSchema = z.object({
  /** Tile-factor candidates per loop and level (more = slower search, rarely better). */
  maxCandidates: z.number().int().min(2).max(16).default(6),
  /**
   * Dims that may replicate the logical R × E PE set across the array's spare rows (y) and columns (x), as Eyeriss's
   * t (filters, K), q-across-PEs (channels, C), batch (N) and the fold of E (output rows, P) onto more rows.
   */
  replicateY: z.array(z.enum(['P', 'K', 'C', 'N'])).default(['P', 'K', 'C', 'N']),
  replicateX: z.array(z.enum(['K', 'C', 'N'])).default(['K', 'C', 'N']),
});

export type RsConfig = z.infer<typeof rsSchema>;

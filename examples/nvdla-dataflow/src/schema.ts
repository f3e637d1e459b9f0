import { z } from 'zod';

/**
 * Options of the NVDLA-like dataflow: defaults for everything; users set them in trim.config.yaml or with
 * `--plugin-option nvdla.maxCandidates=4`, and TRIM parses them with this schema before calling the mapspace.
 */
export const nvdlaSchema = z
  .object({
    /** Tile-factor candidates per loop and buffer level (more = slower search, rarely better). */
    maxCandidates: z.number().int().min(2).max(16).default(6),
    /** Also try keeping weights in the buffer across the whole output plane, not only accumulating outputs there. */
    weightReuseOrders: z.boolean().default(true),
  })
  .strict();

export type NvdlaConfig = z.infer<typeof nvdlaSchema>;

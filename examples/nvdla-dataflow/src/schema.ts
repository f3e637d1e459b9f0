import { z } from 'zod';

/** Options of the NVDLA-like dataflow; the CLI uses the defaults, programs pass their own (see docs/plugins.md). */
export const nvdlaSchema = z
  .object({
    /** Tile-factor candidates per loop and buffer level (more = slower search, rarely better). */
    maxCandidates: z.number().int().min(2).max(16).default(6),
    /** Also try keeping weights in the buffer across the whole output plane, not only accumulating outputs there. */
    weightReuseOrders: z.boolean().default(true),
  })
  .strict();

export type NvdlaConfig = z.infer<typeof nvdlaSchema>;

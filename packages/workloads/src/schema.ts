import { PRECISIONS } from '@trim-dse/core';
import { z } from 'zod';

/** Options `load(ref, options)` accepts. Unknown keys (other plug-ins' options) are ignored. */
export const loadOptionsSchema = z.object({
  batch: z.number().int().positive(),
  /** Tokens per sequence for transformer workloads (BERT); default 128. */
  seqLen: z.number().int().positive().optional(),
  /** Precision of every tensor; default int16. */
  precision: z.enum(PRECISIONS).optional(),
});

export type LoadOptions = z.infer<typeof loadOptionsSchema>;

import { PRECISIONS } from '@trim-dse/core';
import { z } from 'zod';

/** Options `load(ref, options)` accepts. Unknown keys (other plug-ins' options) are ignored. */
export const loadOptionsSchema = z.object({
  batch: z.number().int().positive(),
  /** Tokens per sequence for transformer workloads (BERT); default 128. */
  seqLen: z.number().int().positive().optional(),
  /** Decoder workloads: `decode` builds one generation step over a KV cache of `context` tokens. */
  mode: z.enum(['forward', 'prefill', 'decode']).optional(),
  context: z.number().int().positive().optional(),
  /** Causal attention skips the masked key blocks (default dense). */
  causal: z.boolean().optional(),
  /** Build the model's dropout layers (the training phase asks for them). */
  dropout: z.boolean().optional(),
  /**
   * Precision of every tensor (no file this source reads declares one that binds the accelerator): the pipeline
   * passes the user's `--precision`, else the architecture's native word.
   */
  precision: z.enum(PRECISIONS),
});

export type LoadOptions = z.infer<typeof loadOptionsSchema>;

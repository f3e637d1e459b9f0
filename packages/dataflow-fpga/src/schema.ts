import { z } from 'zod';

/** `zhang`: only Zhang et al.'s order (rows, columns, output channels, input channels; outermost first). */
export const fpgaDataflowSchema = z.object({
  loopOrders: z.enum(['zhang', 'all']).default('all'),
});

export type FpgaDataflowConfig = z.infer<typeof fpgaDataflowSchema>;

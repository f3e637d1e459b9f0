import { defineHardware } from '@trim-dse/core';
import { buildSystolic } from './build.js';
import { systolicBuiltins } from './builtins.js';
import { scaleSimImporter } from './scalesim-cfg.js';
import { systolicSchema, type SystolicSpec } from './schema.js';

export const systolicHardware = defineHardware<SystolicSpec>({
  name: 'systolic',
  description: 'R×C systolic array (TPU / SCALE-Sim) with ifmap, filter and ofmap SRAMs over DRAM',
  configSchema: systolicSchema as unknown as import('zod').z.ZodType<SystolicSpec>,
  builtins: systolicBuiltins,
  build: buildSystolic,
  importers: [scaleSimImporter],
});

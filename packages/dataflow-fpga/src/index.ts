import { defineDataflow, definePlugin, type HardwareModel, type MacOp } from '@trim-dse/core';
import type { z } from 'zod';
import { fpgaMapspace, hasEngine } from './mapspace.js';
import { fpgaDataflowSchema, type FpgaDataflowConfig } from './schema.js';

export const fpgaDataflow = defineDataflow<FpgaDataflowConfig>({
  name: 'fpga-unrolled',
  description: 'Zhang et al. FPGA 2015 engine: Tm output × Tn input channels unrolled, Tr×Tc tiles and tile loop order searched',
  templates: ['fpga'],
  configSchema: fpgaDataflowSchema as unknown as z.ZodType<FpgaDataflowConfig>,
  // Applicability only: the hardware has an unrolled engine. Whether a mapping is legal is the template's to say.
  // The engine's loop tiling is the conv nest's (Zhang et al.): einsum ops of other dims are not its shape.
  supports: (op: MacOp, hw: HardwareModel) => op.nest.conv && hasEngine(hw),
  mapspace: fpgaMapspace,
});

export default definePlugin({ name: '@trim-dse/dataflow-fpga', dataflows: [fpgaDataflow] });
export { fpgaMapspace, hasEngine, ZHANG_ORDER } from './mapspace.js';
export { tileCandidates } from './tiles.js';
export { fpgaDataflowSchema, type FpgaDataflowConfig } from './schema.js';

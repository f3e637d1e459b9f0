import { defineDataflow, definePlugin, type HardwareModel, type MacOp } from '@trim-dse/core';
import type { z } from 'zod';
import { fpgaEvaluate, inPrecision } from './evaluate.js';
import { fpgaMapspace, kernelFits } from './mapspace.js';
import { engineFor, fpgaView } from './meta.js';
import { fpgaDataflowSchema, type FpgaDataflowConfig } from './schema.js';

export const fpgaDataflow = defineDataflow<FpgaDataflowConfig>({
  name: 'fpga-unrolled',
  description: 'Zhang et al. FPGA 2015 engine: Tm output × Tn input channels unrolled, Tr×Tc tiles and tile loop order searched',
  templates: ['fpga'],
  configSchema: fpgaDataflowSchema as unknown as z.ZodType<FpgaDataflowConfig>,
  supports(op: MacOp, hw: HardwareModel): boolean {
    const view = fpgaView(hw);
    const e = view && engineFor(view, op);
    return e !== undefined && kernelFits(op, e);
  },
  mapspace(op, hw, emit, config) {
    const view = fpgaView(hw);
    if (view) inPrecision(op, view.wordBytes);
    fpgaMapspace(op, hw, emit, config);
  },
  evaluate: fpgaEvaluate,
});

export default definePlugin({ name: '@trim-dse/dataflow-fpga', dataflows: [fpgaDataflow] });
export { fpgaMapspace, kernelFits, ZHANG_ORDER } from './mapspace.js';
export { fpgaEvaluate, inPrecision } from './evaluate.js';
export { fpgaView, engineFor, type FpgaView, type EngineView } from './meta.js';
export { tileCandidates } from './tiles.js';
export { fpgaDataflowSchema, type FpgaDataflowConfig } from './schema.js';

import { definePlugin } from '@trim-dse/core';
import { fpgaSpaces } from './spaces.js';
import { fpgaHardware } from './template.js';
import { fpgaValidation } from './validation.js';

export default definePlugin({
  name: '@trim-dse/hw-fpga',
  hardware: [fpgaHardware],
  spaces: fpgaSpaces,
  validationSuites: [fpgaValidation],
});

export { DEVICES, DEVICE_KEYS, deviceByKey, deviceDdrGBps, channelGBps, type FpgaDevice, type DdrChannel, type DspFamily } from './devices.js';
export { BRAM18, URAM288, M20K, blocksForBank, wordsInBlocks, type MemoryBlockType, type BlockConfig } from './memory-blocks.js';
export { DSP_PER_MAC, FPGA_PRECISIONS, PRECISION_BITS, UTILIZATION_LIMITS, dspPerMac, logicPerMac, softMultiplierLuts, type FpgaPrecision } from './precision-table.js';
export { planBuffers, resourceUse, checkFits, resourceLimits, engineMacs, engineMultipliers, fullEngine, type EngineShape, type FullEngine, type BufferPlan, type ResourceUse, type Limits } from './resources.js';
export { bankLayout, type BankLayout } from './bank-layout.js';
export { PUBLISHED_DESIGNS, luZcu102, maArria10, zhangVc707 } from './published.js';
export { fpgaSchema, ORGANISATIONS, type FpgaSpec, type FpgaSpecInput, type Organisation } from './schema.js';
export { buildFpga, designOf, fpgaHardware, type FpgaDesign } from './template.js';
export { fpgaCostModel, type DesignEngines } from './cost.js';
export { bankedEngine, laneElements, type BankedEngine } from './banks.js';
export { engineRules, winogradFits, NO_STAGE, BRAM_KEEPS_ALL, WIRING, WEIGHT_BANK, INPUT_BANK, OUTPUT_BANK, DEPTHWISE, WINOGRAD } from './rules.js';
export { zhangCycles, computationalRoofGops, ctcRatio, attainableGops, externalWords, layerMacs, type ConvLayerShape, type EngineTiling } from './roofline.js';
export { planPipeline, type PipelinePlan, type PipelineStage } from './pipeline.js';
export { fpgaSpaces, TM_VALUES, TN_VALUES } from './spaces.js';
export { BRAM_TOLERANCE, DSP_TOLERANCE, fpgaValidation, LOGIC_TOLERANCE, runPaperDesign, runSearchedCase, THROUGHPUT_TOLERANCE } from './validation.js';

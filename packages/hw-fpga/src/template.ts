import { defineHardware, TrimUserError, type HardwareModel, type MemoryLevel } from '@trim-dse/core';
import type { z } from 'zod';
import { deviceByKey, deviceDdrGBps, DEVICE_KEYS, type FpgaDevice } from './devices.js';
import { dspPerMac, PRECISION_BITS, type FpgaPrecision } from './precision-table.js';
import { checkFits, engineMacs, planBuffers, resourceLimits, resourceUse, type BufferPlan, type EngineShape, type ResourceUse } from './resources.js';
import { fpgaSchema, type FpgaSpec, type FpgaSpecInput } from './schema.js';

/** One engine as the FPGA dataflow reads it from `HardwareModel.meta.fpga`. Bank words as in `BufferPlan`. */
export interface FpgaEngineMeta {
  readonly Tm: number;
  readonly Tn: number;
  readonly Tp: number;
  readonly Tk: number;
  /** Entries per weight bank (Tm·Tk banks, each entry Tn words). */
  readonly weightBankDepth: number;
  readonly inputBankWords: number;
  readonly outputBankWords: number;
}

/** What the template puts in `HardwareModel.meta.fpga` (plain data). */
export interface FpgaMeta {
  readonly device: string;
  readonly part: string;
  readonly precision: FpgaPrecision;
  readonly wordBytes: number;
  readonly organisation: 'single-engine' | 'layer-pipelined';
  readonly dramGBps: number;
  readonly dramWordsPerCycle: number;
  readonly maxKernel: number;
  readonly maxStride: number;
  /** The time-shared engine (single-engine) or the largest stage (layer-pipelined). */
  readonly engine: FpgaEngineMeta;
  /** Per-layer engines of a layer-pipelined design, by layer name. */
  readonly stages: Readonly<Record<string, FpgaEngineMeta>>;
  /** Peak throughput, GOPS (2 operations per MAC). */
  readonly peakGops: number;
}

function engineMeta(e: EngineShape, b: BufferPlan): FpgaEngineMeta {
  return { Tm: e.Tm, Tn: e.Tn, Tp: e.Tp, Tk: e.Tk, weightBankDepth: b.weightBankDepth, inputBankWords: b.inputBankWords, outputBankWords: b.outputBankWords };
}

/**
 * Energies: ASIC 45 nm figures of M. Horowitz, "Computing's energy problem", ISSCC 2014 (Fig. 1.1.9) — fp32
 * multiply 3.7 + add 0.9 pJ, fp16 1.1 + 0.4, 8-bit multiply 0.2 + add 0.03 (16-bit interpolated 0.8 + 0.05);
 * 8 KB SRAM 10 pJ and DRAM ≈ 1950 pJ (midpoint of 1.3–2.6 nJ) per 64-bit access. Relative figures only: FPGA
 * energy is not calibrated.
 */
const MAC_PJ: Readonly<Record<FpgaPrecision, number>> = { fp32: 4.6, fp16: 1.5, int16: 0.85, int8: 0.23 };
const SRAM_PJ_PER_64B = 10;
const DRAM_PJ_PER_64B = 1950;

export interface FpgaDesign {
  readonly device: FpgaDevice;
  readonly engines: readonly EngineShape[];
  readonly buffers: readonly BufferPlan[];
  readonly resources: ResourceUse;
}

/** Engines, buffers and resources of a parsed spec; throws a TrimUserError naming the resource that overflows. */
export function designOf(spec: FpgaSpec, name: string): FpgaDesign {
  const device = deviceByKey(spec.device);
  if (!device) throw new TrimUserError(`unknown FPGA device "${spec.device}" (known: ${DEVICE_KEYS.join(', ')})`, { field: 'device' });
  const limits = resourceLimits(spec.utilizationLimits);
  let engines: EngineShape[];
  if (spec.organisation === 'layer-pipelined') {
    if (!spec.stages) {
      throw new TrimUserError(`architecture ${name}: organisation layer-pipelined needs stages (one { layer, Tm, Tn } per layer)`, {
        field: 'stages',
        fix: 'list the stages, or plan them with planPipeline() from @trim-dse/hw-fpga',
      });
    }
    engines = spec.stages.map((s) => ({ Tm: s.Tm, Tn: s.Tn, Tp: spec.pixelUnroll, Tk: spec.kernelUnroll }));
  } else {
    engines = [{ Tm: spec.Tm, Tn: spec.Tn, Tp: spec.pixelUnroll, Tk: spec.kernelUnroll }];
  }
  const what = `architecture ${name} (${spec.organisation}, ${spec.precision} on ${device.key})`;
  // DSPs first: the buffer plan below assumes the engines exist.
  let macs = 0;
  for (const e of engines) macs += engineMacs(e);
  const dsp = engines.reduce((a, e) => a + Math.ceil(engineMacs(e) * dspPerMac(device.dspFamily, spec.precision)), 0);
  checkFits(device, { macUnits: macs, dsp, bram: 0, uram: 0, lut: 0, ff: 0 }, limits, what);
  const sizing = { tile: spec.tile, maxKernel: spec.maxKernel, maxStride: spec.maxStride };
  const buffers = planBuffers(device, spec.precision, engines, sizing, limits);
  const resources = resourceUse(device, spec.precision, engines, buffers);
  checkFits(device, resources, limits, what);
  return { device, engines, buffers, resources };
}

export function buildFpga(spec: FpgaSpec, name: string): HardwareModel {
  const d = designOf(spec, name);
  const bits = PRECISION_BITS[spec.precision];
  const wordBytes = bits / 8;
  const dramGBps = spec.dramGBps ?? deviceDdrGBps(d.device);
  // GB/s over (clock × bytes per word): words per cycle.
  const dramWordsPerCycle = (dramGBps * 1e9) / (spec.clockMHz * 1e6) / wordBytes;
  let big = 0;
  for (let i = 1; i < d.engines.length; i++) if (engineMacs(d.engines[i]) > engineMacs(d.engines[big])) big = i;
  const e = d.engines[big];
  const b = d.buffers[big];
  // The core model has one array: with per-layer stages it spans the widest stage on each axis and the largest
  // buffers per operand (the dataflow checks each op against its own stage's banks).
  let fanoutX = 0;
  let fanoutY = 0;
  const slots: [number, number, number] = [0, 0, 0];
  d.engines.forEach((en, i) => {
    const bu = d.buffers[i];
    fanoutX = Math.max(fanoutX, en.Tm * en.Tp);
    fanoutY = Math.max(fanoutY, en.Tn * en.Tk);
    slots[0] = Math.max(slots[0], bu.weightBanks * bu.weightBankDepth * bu.weightBankWidth);
    slots[1] = Math.max(slots[1], bu.inputBanks * bu.inputBankWords);
    slots[2] = Math.max(slots[2], 2 * bu.outputLanes * bu.outputBankWords);
  });
  const stages: Record<string, FpgaEngineMeta> = {};
  if (spec.organisation === 'layer-pipelined' && spec.stages) {
    spec.stages.forEach((s, i) => (stages[s.layer] = engineMeta(d.engines[i], d.buffers[i])));
  }
  const sramPj = (SRAM_PJ_PER_64B * bits) / 64;
  const dramPj = (DRAM_PJ_PER_64B * bits) / 64;
  const bram: MemoryLevel = {
    name: 'bram',
    capacityWords: slots[0] + slots[1] + slots[2],
    slotCapacityWords: slots,
    holds: [true, true, true],
    fanoutX,
    fanoutY,
    // One word per bank per cycle by construction of the banks.
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    readEnergyPj: sramPj,
    writeEnergyPj: sramPj,
    networkEnergyPj: 0,
    doubleBuffered: true,
    leakageMw: 0,
  };
  const dram: MemoryLevel = {
    name: 'dram',
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: dramWordsPerCycle,
    writeBandwidth: dramWordsPerCycle,
    // One DDR bus carries reads and writes.
    sharedPort: true,
    readEnergyPj: dramPj,
    writeEnergyPj: dramPj,
    networkEnergyPj: 0,
    doubleBuffered: true,
    leakageMw: 0,
  };
  const meta: FpgaMeta = {
    device: d.device.key,
    part: d.device.part,
    precision: spec.precision,
    wordBytes,
    organisation: spec.organisation,
    dramGBps,
    dramWordsPerCycle,
    maxKernel: spec.maxKernel,
    maxStride: spec.maxStride,
    engine: engineMeta(e, b),
    stages,
    peakGops: (2 * d.resources.macUnits * spec.clockMHz) / 1000,
  };
  const r = d.resources;
  const resources = {
    macUnits: r.macUnits,
    dsp: r.dsp,
    bram: r.bram,
    uram: r.uram,
    lut: r.lut,
    ff: r.ff,
    dspUtilization: r.dsp / d.device.dsp,
    bramUtilization: r.bram / d.device.blockRam.count,
    lutUtilization: r.lut / d.device.lut,
    ffUtilization: r.ff / d.device.ff,
  };
  return {
    name: spec.name ?? name,
    template: 'fpga',
    clockMHz: spec.clockMHz,
    wordBits: bits,
    levels: [bram, dram],
    macEnergyPj: MAC_PJ[spec.precision],
    aluEnergyPj: MAC_PJ[spec.precision] / 4,
    vectorOpsPerCycle: e.Tm * e.Tp,
    meta: { fpga: meta, resources },
  };
}

/** Zhang et al. FPGA'15 on the VC707: fp32, 100 MHz, Tm = 64, Tn = 7 (their cross-layer unified unroll). */
const zhangVc707: FpgaSpecInput = { name: 'zhang-fpga15-vc707', device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 64, Tn: 7 };

export const fpgaHardware = defineHardware<FpgaSpec>({
  name: 'fpga',
  description: 'FPGA unrolled convolution engine (Zhang et al. FPGA 2015): Tm×Tn MACs, banked double-buffered BRAM, DSP/BRAM/LUT budgets',
  configSchema: fpgaSchema as unknown as z.ZodType<FpgaSpec>,
  builtins: { 'zhang-fpga15-vc707': zhangVc707 },
  build: buildFpga,
});

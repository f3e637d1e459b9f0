import { capabilities, defineHardware, epilogueOf, perSlot, Port, provide, TrimUserError, withCostModel, type HardwareModel, type MemoryLevel } from '@trim-dse/core';
import { fpgaEngineCapability, type FpgaEngine, type FpgaEngineFacts } from '@trim-dse/fpga-kit';
import type { z } from 'zod';
import { bankedEngine } from './banks.js';
import { fpgaCostModel } from './cost.js';
import { deviceByKey, deviceDdrGBps, DEVICE_KEYS, type FpgaDevice } from './devices.js';
import { dspPerMac, PRECISION_BITS, type FpgaPrecision } from './precision-table.js';
import { checkFits, engineMacs, engineMultipliers, fullEngine, planBuffers, resourceLimits, resourceUse, type BufferPlan, type EngineShape, type ResourceUse } from './resources.js';
import { PUBLISHED_DESIGNS } from './published.js';
import { fpgaSchema, type FpgaSpec } from './schema.js';

/**
 * Energies: ASIC 45 nm figures of M. Horowitz, "Computing's energy problem", ISSCC 2014 (Fig. 1.1.9) — fp32
 * multiply 3.7 + add 0.9 pJ, fp16 1.1 + 0.4, 8-bit multiply 0.2 + add 0.03 (16-bit interpolated 0.8 + 0.05);
 * 8 KB SRAM 10 pJ and DRAM ≈ 1950 pJ (midpoint of 1.3–2.6 nJ) per 64-bit access. Relative figures only: FPGA
 * energy is not calibrated.
 */
const MAC_PJ: Readonly<Record<FpgaPrecision, number>> = { fp32: 4.6, fp16: 1.5, int16: 0.85, int8: 0.23 };
// Horowitz ISSCC'14 Fig. 1.1.9: 8 KB SRAM 10 pJ per 64-bit (8-byte) access.
const SRAM_PJ_PER_BYTE = 10 / 8;
// Horowitz ISSCC'14 Fig. 1.1.9: DRAM 1.3–2.6 nJ per 64-bit (8-byte) access, midpoint.
const DRAM_PJ_PER_BYTE = 1950 / 8;

/** An engine and its banks as the `fpga-engine` capability publishes them (bank sizes in datapath words). */
function engineFacts(e: EngineShape, b: BufferPlan): FpgaEngine {
  const f = fullEngine(e);
  const facts: FpgaEngine = {
    Tm: f.Tm,
    Tn: f.Tn,
    Tp: f.Tp,
    Tk: f.Tk,
    weightBankDepth: b.weightBankDepth,
    inputBankWords: b.inputBankWords,
    outputBankWords: b.outputBankWords,
  };
  // The fields beyond Zhang's engine only when they say something (a Zhang engine publishes what it always did).
  return {
    ...facts,
    ...(f.Ty > 1 ? { Ty: f.Ty } : {}),
    ...(f.Tr > 1 ? { Tr: f.Tr } : {}),
    ...(f.family !== 'unrolled' ? { family: f.family } : {}),
    ...(e.winograd ? { winograd: { m: e.winograd.m, r: e.winograd.r } } : {}),
  };
}

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
      throw new TrimUserError(`architecture "${name}": organisation layer-pipelined needs stages (one { layer, Tm, Tn } per layer)`, {
        field: 'stages',
        fix: 'list the stages, or plan them with planPipeline() from @trim-dse/hw-fpga',
      });
    }
    const seen = new Set<string>();
    for (const s of spec.stages) {
      if (seen.has(s.layer)) throw new TrimUserError(`architecture "${name}": stages list layer ${s.layer} twice (one engine per layer)`, { field: 'stages' });
      seen.add(s.layer);
    }
    engines = spec.stages.map((s) => engineOfSpec(spec, s.Tm, s.Tn));
  } else {
    engines = [engineOfSpec(spec, spec.Tm, spec.Tn)];
  }
  const what = `architecture "${name}" (${spec.organisation}, ${spec.precision} on ${device.key})`;
  // DSPs first: the buffer plan below assumes the engines exist.
  let macs = 0;
  let multipliers = 0;
  for (const e of engines) {
    macs += engineMacs(e);
    multipliers += engineMultipliers(e);
  }
  if (spec.macsInLogic > multipliers) {
    throw new TrimUserError(`${what}: macsInLogic ${spec.macsInLogic} exceeds the engine's ${multipliers} multipliers`, { field: 'macsInLogic', fix: `use at most ${multipliers}` });
  }
  const dsp = Math.ceil((multipliers - spec.macsInLogic) * dspPerMac(device.dspFamily, spec.precision));
  checkFits(device, { macUnits: macs, multipliers, dsp, bram: 0, uram: 0, lut: 0, ff: 0 }, limits, what);
  const sizing = { tile: spec.tile, maxKernel: spec.maxKernel, maxStride: spec.maxStride };
  const buffers = planBuffers(device, spec.precision, engines, sizing, limits);
  const resources = resourceUse(device, spec.precision, engines, buffers, spec.macsInLogic);
  checkFits(device, resources, limits, what);
  return { device, engines, buffers, resources };
}

/** One engine of a spec: the unrolls it gives, with `Tm` × `Tn` (of the design, or of a pipeline stage). */
function engineOfSpec(spec: FpgaSpec, Tm: number, Tn: number): EngineShape {
  return {
    Tm,
    Tn,
    Tp: spec.pixelUnroll,
    Tk: spec.kernelUnroll,
    Ty: spec.rowUnroll,
    Tr: spec.kernelRowUnroll,
    family: spec.engine,
    ...(spec.winograd ? { winograd: spec.winograd } : {}),
  };
}

export function buildFpga(spec: FpgaSpec, name: string): HardwareModel {
  const d = designOf(spec, name);
  const wordBytes = PRECISION_BITS[spec.precision] / 8;
  const ddrGBps = deviceDdrGBps(d.device);
  const dramGBps = spec.dramGBps ?? ddrGBps;
  // Relative slack for the sum of channel rates (12.8 written for 8 bytes × 1600 MT/s).
  if (dramGBps > ddrGBps * (1 + 1e-9)) {
    throw new TrimUserError(`architecture "${name}": dramGBps ${dramGBps} exceeds the ${ddrGBps} GB/s peak of the ${d.device.board} DDR`, {
      field: 'dramGBps',
      fix: `use at most ${ddrGBps} GB/s, or omit dramGBps for the peak`,
    });
  }
  // GB/s over the clock: bytes per cycle (1e9 / 1e6 = 1e3).
  const dramBytesPerCycle = (dramGBps * 1e3) / spec.clockMHz;
  let big = 0;
  for (let i = 1; i < d.engines.length; i++) if (engineMacs(d.engines[i]) > engineMacs(d.engines[big])) big = i;
  // The core model has one array: with per-layer stages it spans the widest stage on each axis and the largest
  // buffers per operand; the cost model checks each op against its own stage's lanes and banks.
  let fanoutX = 0;
  let fanoutY = 0;
  const slots: [number, number, number] = [0, 0, 0];
  d.engines.forEach((en, i) => {
    const bu = d.buffers[i];
    const f = fullEngine(en);
    fanoutX = Math.max(fanoutX, f.Tm * f.Tp * f.Ty);
    fanoutY = Math.max(fanoutY, f.Tn * f.Tk * f.Tr);
    slots[0] = Math.max(slots[0], bu.weightBanks * bu.weightBankDepth * bu.weightBankWidth * wordBytes);
    slots[1] = Math.max(slots[1], bu.inputBanks * bu.inputBankWords * wordBytes);
    slots[2] = Math.max(slots[2], 2 * bu.outputLanes * bu.outputBankWords * wordBytes);
  });
  const pipelined = spec.organisation === 'layer-pipelined' && spec.stages !== undefined;
  const stages: Record<string, FpgaEngine> = {};
  const byLayer = new Map<string, number>();
  if (pipelined) {
    spec.stages!.forEach((s, i) => {
      stages[s.layer] = engineFacts(d.engines[i], d.buffers[i]);
      byLayer.set(s.layer, i);
    });
  }
  const bram: MemoryLevel = {
    name: 'bram',
    capacityBytes: slots[0] + slots[1] + slots[2],
    slotCapacityBytes: slots,
    holds: [true, true, true],
    fanoutX,
    fanoutY,
    // One word per bank per cycle by construction of the banks (every lane reads its word each cycle).
    readBytesPerCycle: Infinity,
    writeBytesPerCycle: Infinity,
    port: Port.Split,
    readPjPerByte: perSlot(SRAM_PJ_PER_BYTE),
    writePjPerByte: perSlot(SRAM_PJ_PER_BYTE),
    networkPjPerByte: 0,
    doubleBuffered: true,
    leakageMw: 0,
  };
  const dram: MemoryLevel = {
    name: 'dram',
    capacityBytes: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBytesPerCycle: dramBytesPerCycle,
    writeBytesPerCycle: dramBytesPerCycle,
    // One DDR bus carries reads and writes.
    port: Port.Shared,
    readPjPerByte: perSlot(DRAM_PJ_PER_BYTE),
    writePjPerByte: perSlot(DRAM_PJ_PER_BYTE),
    networkPjPerByte: 0,
    doubleBuffered: true,
    leakageMw: 0,
  };
  const facts: FpgaEngineFacts = {
    organisation: spec.organisation,
    wordBytes,
    engine: engineFacts(d.engines[big], d.buffers[big]),
    stages,
  };
  const r = d.resources;
  const resources = {
    macUnits: r.macUnits,
    multipliers: r.multipliers,
    dsp: r.dsp,
    bram: r.bram,
    uram: r.uram,
    lut: r.lut,
    ff: r.ff,
    dspUtilization: r.dsp / d.device.dsp,
    bramUtilization: r.bram / d.device.blockRam.count,
    lutUtilization: r.lut / d.device.lut,
    ffUtilization: r.ff / d.device.ff,
    dramGBps,
    // Peak throughput, GOPS (2 operations per MAC): effective (a Winograd engine's m²·r² MACs per PE), and real
    // (its (m+r−1)² multiplies); the same for other engines.
    peakGops: (2 * r.macUnits * spec.clockMHz) / 1000,
    peakRealGops: (2 * r.multipliers * spec.clockMHz) / 1000,
  };
  const engines = d.engines.map((e, i) => bankedEngine(e, d.buffers[i], wordBytes));
  return withCostModel(
    {
      name: spec.name ?? name,
      template: 'fpga',
      clockMHz: spec.clockMHz,
      precision: spec.precision,
      levels: [bram, dram],
      macEnergyPj: MAC_PJ[spec.precision],
      aluEnergyPj: MAC_PJ[spec.precision] / 4,
      vectorOpsPerCycle: d.engines[big].Tm * fullEngine(d.engines[big]).Tp,
      // The published engines apply ReLU and pooling to the output tile before it is written back (Zhang et al.,
      // FPGA 2015, section 4; Qiu et al., FPGA 2016, the non-linearity and pooling modules after the convolvers;
      // Ma et al., FPGA 2017, ReLU/pooling/BatchNorm-scale modules), at the engine's output rate (Tm lanes).
      epilogue: epilogueOf(spec.epilogue, { kinds: ['activation', 'bias', 'pool'], opsPerCycle: d.engines[big].Tm * fullEngine(d.engines[big]).Tp }),
      // The published engines run one layer at a time; fused-layer FPGA designs (Alwani et al., MICRO 2016) are
      // another controller: depthFirst: true in the spec.
      depthFirst: spec.depthFirst,
      // The BRAM level's fanout reaches the MAC lanes (also for a 1 × 1 engine).
      arrayLevel: 0,
      capabilities: capabilities(provide(fpgaEngineCapability, facts)),
      resources,
    },
    (hw) => fpgaCostModel(hw, { engines, ...(pipelined ? { byLayer } : {}) }),
  );
}


export const fpgaHardware = defineHardware<FpgaSpec>({
  name: 'fpga',
  description: 'FPGA convolution engines (Zhang FPGA 2015 Tm×Tn, Ma FPGA 2017 loop unrolling with reuse, Qiu FPGA 2016 convolvers, Winograd, depthwise): banked double-buffered BRAM, DSP/BRAM/LUT budgets',
  configSchema: fpgaSchema as unknown as z.ZodType<FpgaSpec>,
  builtins: { ...PUBLISHED_DESIGNS },
  build: buildFpga,
});

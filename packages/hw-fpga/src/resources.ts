import { TrimUserError } from '@trim-dse/core';
import type { FpgaDevice } from './devices.js';
import { blocksForBank, URAM288, wordsInBlocks } from './memory-blocks.js';
import { dspPerMac, logicPerMac, PRECISION_BITS, SHELL_LOGIC, UTILIZATION_LIMITS, type FpgaPrecision } from './precision-table.js';

/** The unroll of one engine: Tm output channels × Tn input channels × Tp output columns × Tk filter columns. */
export interface EngineShape {
  readonly Tm: number;
  readonly Tn: number;
  readonly Tp: number;
  readonly Tk: number;
}

export function engineMacs(e: EngineShape): number {
  return e.Tm * e.Tn * e.Tp * e.Tk;
}

/**
 * Banked on-chip buffers of one engine. Every cycle each MAC lane reads the word it needs, all at one address:
 * - weights: Tm·Tk banks (one per output channel and kernel column phase), each entry Tn words wide (one weight
 *   per input-channel lane, read together), deep enough for a kernel slice of two tiles (ping-pong halves in one
 *   memory: one port written from DRAM, one read by the MACs);
 * - inputs: Tn·Tp banks (one input channel, one column phase), ping-pong halves in one memory;
 * - outputs: Tm·Tp lanes, each two memories (ping accumulates with read-modify-write on both ports, pong drains).
 * `weightBankDepth` counts Tn-word entries; `...Words` are words per bank (both halves for inputs, one memory for
 * outputs).
 */
export interface BufferPlan {
  readonly weightBanks: number;
  readonly weightBankDepth: number;
  /** Words per weight entry (Tn). */
  readonly weightBankWidth: number;
  readonly inputBanks: number;
  readonly inputBankWords: number;
  readonly outputLanes: number;
  readonly outputBankWords: number;
  /** Where the input and output memories live (weights are always in block RAM). */
  readonly ioMemory: 'bram' | 'uram';
  /** Blocks used by each bank of each kind (of `ioMemory` for inputs and outputs). */
  readonly weightBlocks: number;
  readonly inputBlocks: number;
  readonly outputBlocks: number;
}

export interface ResourceUse {
  readonly macUnits: number;
  readonly dsp: number;
  /** Blocks of the device's block RAM (BRAM18 on Xilinx, M20K on Intel). */
  readonly bram: number;
  readonly uram: number;
  readonly lut: number;
  readonly ff: number;
}

export interface Limits {
  readonly dsp: number;
  readonly bram: number;
  readonly uram: number;
  readonly lut: number;
  readonly ff: number;
}

export function resourceLimits(override: Partial<Limits> | undefined): Limits {
  return { ...UTILIZATION_LIMITS, ...(override ?? {}) };
}

export interface BufferSizing {
  /** A fixed output tile; undefined = split the block RAM left after the weights evenly among the other banks. */
  readonly tile: { readonly Tr: number; readonly Tc: number } | undefined;
  readonly maxKernel: number;
  readonly maxStride: number;
}

/** Weight bank entries: a maxKernel × ⌈maxKernel/Tk⌉ slice, twice (ping-pong). */
function weightDepth(e: EngineShape, s: BufferSizing): number {
  return 2 * s.maxKernel * Math.ceil(s.maxKernel / e.Tk);
}

/**
 * Plans the buffers of the engines of a design (one engine, or one per pipeline stage) on a device. With a fixed
 * tile each bank is sized for it; otherwise the block RAM under its limit, less the weight banks, is shared evenly
 * by all input and output memories. Throws a TrimUserError naming block RAM when the weights alone overflow it.
 */
export function planBuffers(device: FpgaDevice, precision: FpgaPrecision, engines: readonly EngineShape[], sizing: BufferSizing, limits: Limits): BufferPlan[] {
  const bits = PRECISION_BITS[precision];
  const type = device.blockRam.type;
  const budget = Math.floor(limits.bram * device.blockRam.count);
  if (sizing.tile) {
    const { Tr, Tc } = sizing.tile;
    const rows = (Tr - 1) * sizing.maxStride + sizing.maxKernel;
    const cols = (Tc - 1) * sizing.maxStride + sizing.maxKernel;
    return engines.map((e) => {
      const wDepth = weightDepth(e, sizing);
      const inWords = 2 * rows * Math.ceil(cols / e.Tp);
      const outWords = Tr * Math.ceil(Tc / e.Tp);
      return {
        weightBanks: e.Tm * e.Tk,
        weightBankDepth: wDepth,
        weightBankWidth: e.Tn,
        inputBanks: e.Tn * e.Tp,
        inputBankWords: inWords,
        outputLanes: e.Tm * e.Tp,
        outputBankWords: outWords,
        weightBlocks: blocksForBank(wDepth, e.Tn * bits, type),
        ioMemory: 'bram' as const,
        inputBlocks: blocksForBank(inWords, bits, type),
        outputBlocks: blocksForBank(outWords, bits, type),
      };
    });
  }
  let weightTotal = 0;
  let otherBanks = 0;
  for (const e of engines) {
    weightTotal += e.Tm * e.Tk * blocksForBank(weightDepth(e, sizing), e.Tn * bits, type);
    otherBanks += e.Tn * e.Tp + 2 * e.Tm * e.Tp;
  }
  const left = budget - weightTotal;
  const bramPer = left > 0 ? Math.floor(left / otherBanks) : 0;
  // UltraRAM, where the device has it, may hold the input and output memories instead (whichever gives more words).
  const uramPer = left >= 0 && device.uram > 0 ? Math.floor(Math.floor(limits.uram * device.uram) / otherBanks) : 0;
  const bramWords = bramPer >= 1 ? wordsInBlocks(bramPer, bits, type) : 0;
  const uramWords = uramPer >= 1 ? wordsInBlocks(uramPer, bits, URAM288) : 0;
  if (bramWords === 0 && uramWords === 0) {
    throw new TrimUserError(
      `the weight buffers take ${weightTotal} ${type.kind} blocks and leave ${Math.max(0, left)} of the ${budget} allowed (${Math.round(limits.bram * 100)} % of ${device.blockRam.count}) for ${otherBanks} input/output memories: block RAM (bram) overflows`,
      { field: 'bram', fix: 'lower Tm or Tn, or give a smaller maxKernel' },
    );
  }
  const inUram = uramWords > bramWords;
  const words = inUram ? uramWords : bramWords;
  const perBank = inUram ? uramPer : bramPer;
  return engines.map((e) => {
    const wDepth = weightDepth(e, sizing);
    return {
      weightBanks: e.Tm * e.Tk,
      weightBankDepth: wDepth,
      weightBankWidth: e.Tn,
      inputBanks: e.Tn * e.Tp,
      inputBankWords: words,
      outputLanes: e.Tm * e.Tp,
      outputBankWords: words,
      weightBlocks: blocksForBank(wDepth, e.Tn * bits, type),
      ioMemory: inUram ? 'uram' : 'bram',
      inputBlocks: perBank,
      outputBlocks: perBank,
    };
  });
}

/** DSP, block RAM, LUT and FF use of a design's engines and buffers (plus the fixed shell logic). */
export function resourceUse(device: FpgaDevice, precision: FpgaPrecision, engines: readonly EngineShape[], buffers: readonly BufferPlan[]): ResourceUse {
  const logic = logicPerMac(device.dspFamily, precision);
  let macUnits = 0;
  let dsp = 0;
  let bram = 0;
  let uram = 0;
  for (let i = 0; i < engines.length; i++) {
    const macs = engineMacs(engines[i]);
    macUnits += macs;
    dsp += Math.ceil(macs * dspPerMac(device.dspFamily, precision));
    const b = buffers[i];
    const io = b.inputBanks * b.inputBlocks + 2 * b.outputLanes * b.outputBlocks;
    bram += b.weightBanks * b.weightBlocks + (b.ioMemory === 'bram' ? io : 0);
    if (b.ioMemory === 'uram') uram += io;
  }
  return {
    macUnits,
    dsp,
    bram,
    uram,
    lut: SHELL_LOGIC.lut + macUnits * logic.lut,
    ff: SHELL_LOGIC.ff + macUnits * logic.ff,
  };
}

/** Throws a TrimUserError naming the first resource (DSP, block RAM, LUT, FF) the design overflows. */
export function checkFits(device: FpgaDevice, use: ResourceUse, limits: Limits, what: string): void {
  const rows: Array<[keyof Limits, number, number, string, string]> = [
    ['dsp', use.dsp, device.dsp, 'DSP slices (dsp)', 'lower Tm or Tn, or pick a precision with fewer DSPs per MAC'],
    ['bram', use.bram, device.blockRam.count, `${device.blockRam.type.kind} blocks (bram)`, 'use a smaller tile, or lower Tm or Tn'],
    ['uram', use.uram, device.uram, 'UltraRAM blocks (uram)', 'use a smaller tile'],
    ['lut', use.lut, device.lut, 'LUTs (lut)', 'lower Tm or Tn'],
    ['ff', use.ff, device.ff, 'flip-flops (ff)', 'lower Tm or Tn'],
  ];
  for (const [key, used, total, name, fix] of rows) {
    const allowed = Math.floor(limits[key] * total);
    if (used > allowed) {
      throw new TrimUserError(`${what} needs ${used} ${name} but ${device.key} allows ${allowed} (${Math.round(limits[key] * 100)} % of ${total})`, {
        field: key,
        fix,
      });
    }
  }
}

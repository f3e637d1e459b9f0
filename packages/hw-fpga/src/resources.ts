import { DIM_COUNT, P, Q, TrimUserError } from '@trim-dse/core';
import { bankLayout } from './bank-layout.js';
import type { FpgaDevice } from './devices.js';
import { blocksForBank, URAM288, wordsInBlocks } from './memory-blocks.js';
import type { EngineFamily } from '@trim-dse/fpga-kit';
import { dspPerMac, logicPerMac, PRECISION_BITS, SHELL_LOGIC, softMultiplierLuts, UTILIZATION_LIMITS, type FpgaPrecision } from './precision-table.js';

/**
 * The unroll of one engine: Tm output channels × Tn input channels × Tp output columns × Tk filter columns (Zhang
 * et al. FPGA'15; Ma et al. FPGA'17's Pof, Pif, Pox, Pkx), × Ty output rows and Tr filter rows (Ma's Poy, Pky; a
 * convolver's K × K), in one of the published engine families (`EngineFamily`). A Winograd engine has Tp = Ty = m
 * and Tk = Tr = r. Absent fields: 1, and the `unrolled` family.
 */
export interface EngineShape {
  readonly Tm: number;
  readonly Tn: number;
  readonly Tp: number;
  readonly Tk: number;
  readonly Ty?: number;
  readonly Tr?: number;
  readonly family?: EngineFamily;
  readonly winograd?: { readonly m: number; readonly r: number };
}

/** An engine with every field given. */
export interface FullEngine {
  readonly family: EngineFamily;
  readonly Tm: number;
  readonly Tn: number;
  readonly Tp: number;
  readonly Ty: number;
  readonly Tk: number;
  readonly Tr: number;
  /** Transformed values a Winograd PE multiplies per cycle per input channel ((m+r−1)²); 0 for other families. */
  readonly tileValues: number;
}

export function fullEngine(e: EngineShape): FullEngine {
  const family = e.family ?? 'unrolled';
  if (family === 'winograd' && e.winograd) {
    const { m, r } = e.winograd;
    return { family, Tm: e.Tm, Tn: e.Tn, Tp: m, Ty: m, Tk: r, Tr: r, tileValues: (m + r - 1) ** 2 };
  }
  return { family, Tm: e.Tm, Tn: e.Tn, Tp: e.Tp, Ty: e.Ty ?? 1, Tk: e.Tk, Tr: e.Tr ?? 1, tileValues: 0 };
}

/** MAC lanes: MACs per cycle at full use (a Winograd engine's effective MACs: m²·r² per PE and cycle). */
export function engineMacs(e: EngineShape): number {
  const f = fullEngine(e);
  return f.Tm * f.Tn * f.Tp * f.Ty * f.Tk * f.Tr;
}

/** Multipliers the engine builds: one per MAC lane, or (m+r−1)² per Winograd PE (Lavin and Gray, CVPR 2016). */
export function engineMultipliers(e: EngineShape): number {
  const f = fullEngine(e);
  return f.tileValues > 0 ? f.Tm * f.Tn * f.tileValues : engineMacs(e);
}

/**
 * Banked on-chip buffers of one engine, laid out by its family (`bankLayout`) so that every MAC lane reads its word
 * in the same cycle at one address:
 * - weights: `weightBanks` banks of `weightBankWidth`-word entries (Zhang's Tm·Tk banks of Tn words), deep enough
 *   for a kernel slice of two tiles (ping-pong halves in one memory: one port written from DRAM, one read);
 * - inputs: `inputBanks` banks, ping-pong halves in one memory;
 * - outputs: `outputLanes` lanes, each two memories (ping accumulates with read-modify-write on both ports, pong drains).
 * `weightBankDepth` counts entries; `...Words` are words per bank (both halves for inputs, one memory for outputs).
 */
export interface BufferPlan {
  readonly weightBanks: number;
  readonly weightBankDepth: number;
  /** Words per weight entry. */
  readonly weightBankWidth: number;
  readonly inputBanks: number;
  readonly inputBankWords: number;
  readonly outputLanes: number;
  readonly outputBankWords: number;
  /** Where the input and output memories live (weights are always in block RAM). */
  readonly ioMemory: 'bram' | 'uram';
  /** Blocks used by each bank of each kind (of `ioMemory` for inputs and outputs); 0 for a weight bank in LUTs. */
  readonly weightBlocks: number;
  /** LUTs of a weight bank too shallow for a block (distributed RAM); 0 in block RAM. */
  readonly weightLuts: number;
  readonly inputBlocks: number;
  readonly outputBlocks: number;
}

export interface ResourceUse {
  /** MAC lanes (effective MACs per cycle; a Winograd engine's m²·r² per PE). */
  readonly macUnits: number;
  /** Multipliers built (a Winograd engine's (m+r−1)² per PE; otherwise one per MAC lane). */
  readonly multipliers: number;
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

/** Weight bank entries: a ⌈maxKernel/Tr⌉ × ⌈maxKernel/Tk⌉ slice of the engine's kernel blocks, twice (ping-pong). */
function weightDepth(e: FullEngine, s: BufferSizing): number {
  return 2 * Math.ceil(s.maxKernel / e.Tr) * Math.ceil(s.maxKernel / e.Tk);
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
  const full = engines.map(fullEngine);
  const layouts = full.map(bankLayout);
  // A weight bank too shallow for a block goes to distributed RAM (LUTs), as synthesis maps it.
  const weights = (i: number) => {
    const depth = weightDepth(full[i], sizing);
    const widthBits = layouts[i].weightBankWidth * bits;
    if (depth <= device.lutRam.depth) return { depth, blocks: 0, luts: widthBits * device.lutRam.lutsPerBit };
    return { depth, blocks: blocksForBank(depth, widthBits, type), luts: 0 };
  };
  if (sizing.tile) {
    const { Tr, Tc } = sizing.tile;
    const rows = (Tr - 1) * sizing.maxStride + sizing.maxKernel;
    const cols = (Tc - 1) * sizing.maxStride + sizing.maxKernel;
    return full.map((_e, i) => {
      const l = layouts[i];
      const w = weights(i);
      const inWords = 2 * Math.ceil(rows / l.lanes[DIM_COUNT + P]) * Math.ceil(cols / l.lanes[DIM_COUNT + Q]);
      const outWords = Math.ceil(Tr / l.lanes[2 * DIM_COUNT + P]) * Math.ceil(Tc / l.lanes[2 * DIM_COUNT + Q]);
      return {
        weightBanks: l.weightBanks,
        weightBankDepth: w.depth,
        weightBankWidth: l.weightBankWidth,
        inputBanks: l.inputBanks,
        inputBankWords: inWords,
        outputLanes: l.outputLanes,
        outputBankWords: outWords,
        weightBlocks: w.blocks,
        weightLuts: w.luts,
        ioMemory: 'bram' as const,
        inputBlocks: blocksForBank(inWords, bits, type),
        outputBlocks: blocksForBank(outWords, bits, type),
      };
    });
  }
  let weightTotal = 0;
  let otherBanks = 0;
  layouts.forEach((l, i) => {
    weightTotal += l.weightBanks * weights(i).blocks;
    otherBanks += l.inputBanks + 2 * l.outputLanes;
  });
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
  return layouts.map((l, i) => {
    const w = weights(i);
    return {
      weightBanks: l.weightBanks,
      weightBankDepth: w.depth,
      weightBankWidth: l.weightBankWidth,
      inputBanks: l.inputBanks,
      inputBankWords: words,
      outputLanes: l.outputLanes,
      outputBankWords: words,
      weightBlocks: w.blocks,
      weightLuts: w.luts,
      ioMemory: inUram ? 'uram' : 'bram',
      inputBlocks: perBank,
      outputBlocks: perBank,
    };
  });
}

/**
 * DSP, block RAM, LUT and FF use of a design's engines and buffers (plus the fixed shell logic). Every multiplier
 * takes `dspPerMac` DSP blocks, except the `macsInLogic` built from LUTs (`softMultiplierLuts` each), as a design
 * that has used every DSP block does.
 */
export function resourceUse(device: FpgaDevice, precision: FpgaPrecision, engines: readonly EngineShape[], buffers: readonly BufferPlan[], macsInLogic = 0): ResourceUse {
  const logic = logicPerMac(device.dspFamily, precision);
  let macUnits = 0;
  let multipliers = 0;
  let bram = 0;
  let uram = 0;
  let lutRam = 0;
  for (let i = 0; i < engines.length; i++) {
    macUnits += engineMacs(engines[i]);
    multipliers += engineMultipliers(engines[i]);
    const b = buffers[i];
    const io = b.inputBanks * b.inputBlocks + 2 * b.outputLanes * b.outputBlocks;
    bram += b.weightBanks * b.weightBlocks + (b.ioMemory === 'bram' ? io : 0);
    lutRam += b.weightBanks * b.weightLuts;
    if (b.ioMemory === 'uram') uram += io;
  }
  const soft = Math.min(macsInLogic, multipliers);
  return {
    macUnits,
    multipliers,
    dsp: Math.ceil((multipliers - soft) * dspPerMac(device.dspFamily, precision)),
    bram,
    uram,
    lut: SHELL_LOGIC.lut + multipliers * logic.lut + soft * softMultiplierLuts(precision) + lutRam,
    ff: SHELL_LOGIC.ff + multipliers * logic.ff,
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

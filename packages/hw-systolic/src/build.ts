import type { HardwareModel, MemoryLevel, SystolicMeta } from '@trim-dse/core';
import { estimateAreaMm2 } from './area.js';
import { defaultAluPj, defaultDramPj, defaultMacPj, defaultPeRegisterPj, defaultSramPj } from './energy.js';
import type { SystolicSpec } from './schema.js';

/** DRAM words per cycle from the spec's bandwidth (GB/s → bytes per cycle at the clock → words). */
export function dramWordsPerCycle(spec: SystolicSpec): number {
  const bw = spec.dram.bandwidth;
  if (bw === 'unbounded') return Infinity;
  if (typeof bw === 'number') return bw;
  return (bw.GBps * 1e9) / (spec.clockMHz * 1e6) / (spec.wordBits / 8);
}

/** Words of a buffer of `kB` kilobytes (1 KB = 1024 bytes). */
export function kbToWords(kB: number, wordBits: number): number {
  return Math.floor((kB * 1024 * 8) / wordBits);
}

/**
 * The engine's view of a systolic array. Levels, innermost first:
 * 0 `pe`: one register per operand in each PE (1 word each);
 * 1 `sram`: the ifmap, filter and ofmap buffers (per-operand partitions: filter → slot 0, ifmap → slot 1,
 *   ofmap → slot 2), fanning out to rows × cols PEs;
 * 2 `dram`: the backing store.
 * `meta` carries what the dataflows need (`SystolicMeta` of @trim-dse/core).
 */
export function buildSystolic(spec: SystolicSpec, name: string): HardwareModel {
  const e = spec.energy;
  const bits = spec.wordBits;
  const sramWords: [number, number, number] = [
    kbToWords(spec.sram.filterKB, bits),
    kbToWords(spec.sram.ifmapKB, bits),
    kbToWords(spec.sram.ofmapKB, bits),
  ];
  const sramEnergyPj: [number, number, number] = [
    e.filterSramPj ?? defaultSramPj(spec.sram.filterKB, bits),
    e.ifmapSramPj ?? defaultSramPj(spec.sram.ifmapKB, bits),
    e.ofmapSramPj ?? defaultSramPj(spec.sram.ofmapKB, bits),
  ];
  const peEnergy = e.peRegisterPj ?? defaultPeRegisterPj(bits);
  const dramPj = e.dramPj ?? defaultDramPj(bits);
  const bw = dramWordsPerCycle(spec);
  const pe: MemoryLevel = {
    name: 'pe',
    capacityWords: 3,
    slotCapacityWords: [1, 1, 1],
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    // Operand fetch from the PE register is inside the MAC figure; latching a word costs `peRegisterPj`.
    readEnergyPj: 0,
    writeEnergyPj: peEnergy,
    networkEnergyPj: 0,
    doubleBuffered: false,
    leakageMw: 0,
  };
  const sram: MemoryLevel = {
    name: 'sram',
    capacityWords: sramWords[0] + sramWords[1] + sramWords[2],
    slotCapacityWords: sramWords,
    holds: [true, true, true],
    fanoutX: spec.cols,
    fanoutY: spec.rows,
    // Ports sized to the array's edges: SCALE-Sim never stalls on SRAM.
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    // The engine has one energy per level; the systolic cost model uses the per-operand energies of `meta`.
    readEnergyPj: Math.max(...sramEnergyPj),
    writeEnergyPj: Math.max(...sramEnergyPj),
    networkEnergyPj: 0,
    doubleBuffered: spec.sram.doubleBuffered,
    leakageMw: 0,
  };
  const dram: MemoryLevel = {
    name: 'dram',
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: bw,
    writeBandwidth: bw,
    sharedPort: spec.dram.interfaces === 'shared' && bw !== Infinity,
    readEnergyPj: dramPj,
    writeEnergyPj: dramPj,
    networkEnergyPj: 0,
    doubleBuffered: true,
    leakageMw: 0,
  };
  const meta: SystolicMeta = {
    rows: spec.rows,
    cols: spec.cols,
    dataflow: spec.dataflow,
    sramWords,
    dramWordsPerCycle: bw,
    dramPerOperand: spec.dram.interfaces === 'per-operand',
    sramEnergyPj,
  };
  return {
    name,
    template: 'systolic',
    clockMHz: spec.clockMHz,
    wordBits: bits,
    levels: [pe, sram, dram],
    macEnergyPj: e.macPj ?? defaultMacPj(bits),
    // Pooling and element-wise work runs on a vector unit as wide as the array's columns (TPU v1's activation unit).
    vectorOpsPerCycle: spec.vectorOpsPerCycle ?? spec.cols,
    aluEnergyPj: e.aluPj ?? defaultAluPj(bits),
    areaMm2: spec.areaMm2 ?? estimateAreaMm2(spec),
    meta: meta as unknown as Record<string, unknown>,
  };
}

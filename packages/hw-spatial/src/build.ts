import type { DataEffects, HardwareModel, MemoryLevel } from '@trim-dse/core';
import { accessEnergiesPj, dramWordsPerCycle, meanHops } from './energy.js';
import type { SpatialSpec } from './schema.js';

/** What the spatial template's own dataflows read from `HardwareModel.meta`. */
export interface SpatialMeta {
  readonly array: { readonly rows: number; readonly cols: number };
  readonly dataEffects: DataEffects;
  readonly noc: { readonly mode: 'multicast' | 'unicast'; readonly energyPerWordPj: number };
}

const bw = (v: number | 'unbounded'): number => (v === 'unbounded' ? Infinity : v);

/**
 * Builds the engine's view of a spatial array: [rf (per PE, one MAC below it), glb (fanout cols × rows), dram].
 * The glb's per-slot capacities are each operand's upper bound (filters: the filter buffer; inputs and partial
 * sums: every shared bank); the bank split between the two is enforced by `meta.dataEffects.sharedBanks`.
 */
export function buildSpatial(spec: SpatialSpec, name: string): HardwareModel {
  const e = accessEnergiesPj(spec.energy);
  const wordBytes = spec.wordBits / 8;
  const { rows, cols } = spec.array;
  const rf: MemoryLevel = {
    name: 'rf',
    capacityWords: spec.rf.weightsWords + spec.rf.inputsWords + spec.rf.outputsWords,
    slotCapacityWords: [spec.rf.weightsWords, spec.rf.inputsWords, spec.rf.outputsWords],
    holds: [spec.rf.weightsWords > 0, spec.rf.inputsWords > 0, spec.rf.outputsWords > 0],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    readEnergyPj: e.rf,
    writeEnergyPj: e.rf,
    networkEnergyPj: 0,
    doubleBuffered: false,
    leakageMw: spec.rf.leakageMw,
  };
  const weightsWords = Math.floor((spec.glb.weightsKB * 1024) / wordBytes);
  const bankWords = Math.floor((spec.glb.bankKB * 1024) / wordBytes);
  const sharedWords = bankWords * spec.glb.banks;
  const nocPj = spec.noc.energyModel === 'per-hop' ? e.noc * meanHops(rows, cols) : e.noc;
  const glb: MemoryLevel = {
    name: 'glb',
    capacityWords: weightsWords + sharedWords,
    slotCapacityWords: [weightsWords, sharedWords, sharedWords],
    holds: [weightsWords > 0, true, true],
    fanoutX: cols,
    fanoutY: rows,
    readBandwidth: bw(spec.glb.readWordsPerCycle),
    writeBandwidth: bw(spec.glb.writeWordsPerCycle),
    sharedPort: false,
    readEnergyPj: e.glb,
    writeEnergyPj: e.glb,
    networkEnergyPj: nocPj,
    doubleBuffered: spec.glb.doubleBuffered,
    leakageMw: spec.glb.leakageMw,
  };
  const link = dramWordsPerCycle(spec.dram, spec.wordBits, spec.clockMHz);
  const dram: MemoryLevel = {
    name: 'dram',
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: link,
    writeBandwidth: link,
    sharedPort: true,
    readEnergyPj: e.dram,
    writeEnergyPj: e.dram,
    networkEnergyPj: 0,
    doubleBuffered: spec.dram.overlapCompute,
    leakageMw: 0,
  };
  const dataEffects: DataEffects = {
    sharedBanks: { level: 1, banks: spec.glb.banks, wordsPerBank: bankWords },
    zeroGating: spec.zeroGating,
    // A psum hop between neighbouring PEs is one inter-PE transfer (ISCA 2016's "array" level).
    interPeEnergyPj: e.noc,
    upwardNetwork: true,
    operandsThroughRf: spec.rf.macReadsRfOnly,
    unicastNetwork: spec.noc.mode === 'unicast' || spec.noc.chargePer === 'receiver',
    ...(spec.dramRlc !== undefined ? { dramRlc: spec.dramRlc } : {}),
  };
  const meta: SpatialMeta = { array: { rows, cols }, dataEffects, noc: { mode: spec.noc.mode, energyPerWordPj: nocPj } };
  return {
    name,
    template: 'spatial',
    clockMHz: spec.clockMHz,
    wordBits: spec.wordBits,
    levels: [rf, glb, dram],
    macEnergyPj: spec.energy.macPj,
    vectorOpsPerCycle: rows * cols,
    aluEnergyPj: spec.energy.aluPj,
    ...(spec.areaMm2 !== undefined ? { areaMm2: spec.areaMm2 } : {}),
    meta: meta as unknown as Readonly<Record<string, unknown>>,
  };
}

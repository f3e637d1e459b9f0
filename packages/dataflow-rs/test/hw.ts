import type { DataEffects, HardwareModel, MemoryLevel } from '@trim-dse/core';

/** A hand-built [rf, glb, dram] spatial hierarchy with round energies (MAC 1, rf 1, noc 2, glb 6, dram 200 pJ). */
export function smallSpatial(rows: number, cols: number, rfWords: [number, number, number] = [224, 12, 24]): HardwareModel {
  const level = (l: Partial<MemoryLevel> & Pick<MemoryLevel, 'name'>): MemoryLevel => ({
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    readEnergyPj: 0,
    writeEnergyPj: 0,
    networkEnergyPj: 0,
    doubleBuffered: false,
    leakageMw: 0,
    ...l,
  });
  const dataEffects: DataEffects = { interPeEnergyPj: 2, upwardNetwork: true };
  return {
    name: 'small',
    template: 'spatial',
    clockMHz: 100,
    wordBits: 16,
    macEnergyPj: 1,
    vectorOpsPerCycle: rows * cols,
    aluEnergyPj: 0.1,
    levels: [
      level({ name: 'rf', capacityWords: 260, slotCapacityWords: rfWords, holds: [rfWords[0] > 0, rfWords[1] > 0, rfWords[2] > 0], readEnergyPj: 1, writeEnergyPj: 1 }),
      level({ name: 'glb', capacityWords: 8192, slotCapacityWords: [2048, 4096, 4096], fanoutX: cols, fanoutY: rows, readEnergyPj: 6, writeEnergyPj: 6, networkEnergyPj: 2 }),
      level({ name: 'dram', readEnergyPj: 200, writeEnergyPj: 200 }),
    ],
    meta: { dataEffects },
  };
}

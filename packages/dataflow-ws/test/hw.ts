import type { HardwareModel, MemoryLevel, SystolicDataflow, SystolicMeta } from '@trim-dse/core';

function level(l: Partial<MemoryLevel> & Pick<MemoryLevel, 'name'>): MemoryLevel {
  return {
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    readEnergyPj: 1,
    writeEnergyPj: 1,
    networkEnergyPj: 0,
    doubleBuffered: true,
    leakageMw: 0,
    ...l,
  };
}

/**
 * A hand-built `systolic` model (what @trim-dse/hw-systolic builds; plug-ins do not import each other):
 * SCALE-Sim's reference array by default — 32×32, 64 KB (1-byte words) per operand, unbounded DRAM.
 */
export function systolic(rows = 32, cols = 32, dataflow: SystolicDataflow | 'any' = 'any'): HardwareModel {
  const sramWords: [number, number, number] = [65536, 65536, 65536];
  const meta: SystolicMeta = { rows, cols, dataflow, sramWords, dramWordsPerCycle: Infinity, dramPerOperand: true, sramEnergyPj: [3.5, 3.5, 3.5] };
  return {
    name: `systolic-${rows}x${cols}`,
    template: 'systolic',
    clockMHz: 1000,
    wordBits: 8,
    levels: [
      level({ name: 'pe', capacityWords: 3, slotCapacityWords: [1, 1, 1], doubleBuffered: false, readEnergyPj: 0.23, writeEnergyPj: 0.23 }),
      level({ name: 'sram', slotCapacityWords: sramWords, fanoutX: cols, fanoutY: rows, readEnergyPj: 3.5, writeEnergyPj: 3.5 }),
      level({ name: 'dram', readEnergyPj: 244, writeEnergyPj: 244 }),
    ],
    macEnergyPj: 0.23,
    vectorOpsPerCycle: cols,
    aluEnergyPj: 0.03,
    meta: meta as unknown as Record<string, unknown>,
  };
}

/** A hand-built Eyeriss-like `spatial` model: [rf per PE, glb over rows × cols, dram], with inter-PE data effects. */
export function spatial(rows = 12, cols = 14): HardwareModel {
  return {
    name: 'spatial-test',
    template: 'spatial',
    clockMHz: 200,
    wordBits: 16,
    levels: [
      level({ name: 'rf', capacityWords: 260, slotCapacityWords: [224, 12, 24], doubleBuffered: false, readEnergyPj: 1, writeEnergyPj: 1 }),
      level({ name: 'glb', capacityWords: 65536, slotCapacityWords: [16384, 24576, 24576], fanoutX: cols, fanoutY: rows, readEnergyPj: 6, writeEnergyPj: 6, networkEnergyPj: 2 }),
      level({ name: 'dram', readEnergyPj: 200, writeEnergyPj: 200 }),
    ],
    macEnergyPj: 1,
    vectorOpsPerCycle: rows * cols,
    aluEnergyPj: 0.1,
    meta: { dataEffects: { interPeEnergyPj: 2, upwardNetwork: true } },
  };
}

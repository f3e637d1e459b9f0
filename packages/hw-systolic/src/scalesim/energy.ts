import type { Cost, HardwareModel } from '@trim-dse/core';
import { DRAM, PE, SRAM } from './cost.js';

/** Energy of one op on a systolic array by component, pJ (for reports; allocates). */
export interface SystolicEnergy {
  /** Multiply-adds, each latching its result (the partial sum) into its PE's register. */
  macPj: number;
  /** Weights and inputs latched into PE registers as they cross the array. */
  peRegistersPj: number;
  filterSramPj: number;
  ifmapSramPj: number;
  ofmapSramPj: number;
  dramPj: number;
  leakagePj: number;
  totalPj: number;
}

/** Splits a composed cost of the systolic model into MAC, PE registers, each SRAM (its own pJ per byte) and DRAM. */
export function systolicEnergy(hw: HardwareModel, cost: Cost): SystolicEnergy {
  const lv = hw.levels[SRAM];
  const sramPj = [0, 0, 0];
  for (let t = 0; t < 3; t++) {
    const i = SRAM * 3 + t;
    sramPj[t] = cost.readBytes[i] * lv.readPjPerByte[t] + cost.writeBytes[i] * lv.writePjPerByte[t];
  }
  return {
    macPj: cost.macEnergyPj,
    peRegistersPj: cost.levelEnergyPj[PE],
    filterSramPj: sramPj[0],
    ifmapSramPj: sramPj[1],
    ofmapSramPj: sramPj[2],
    dramPj: cost.levelEnergyPj[DRAM],
    leakagePj: cost.leakageEnergyPj,
    totalPj: cost.energyPj,
  };
}

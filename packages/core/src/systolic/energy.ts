import type { Cost } from '../engine.js';
import type { HardwareModel } from '../hardware.js';
import type { MacOp } from '../op.js';
import { systolicMeta } from './meta.js';

/** Energy of one op on a systolic array by component, pJ (for reports; allocates). */
export interface SystolicEnergy {
  macPj: number;
  peRegistersPj: number;
  filterSramPj: number;
  ifmapSramPj: number;
  ofmapSramPj: number;
  dramPj: number;
  leakagePj: number;
  totalPj: number;
}

/** Splits a Cost filled by `evaluateSystolic` into MAC, PE registers, each SRAM and DRAM. */
export function systolicEnergy(op: MacOp, hw: HardwareModel, cost: Cost): SystolicEnergy {
  const meta = systolicMeta(hw);
  const L = hw.levels.length;
  const mid = L - 2;
  const wordBytes = hw.wordBits / 8;
  const sramPj = [0, 0, 0];
  for (let t = 0; t < 3; t++) {
    const words = (cost.reads[mid * 3 + t] + cost.writes[mid * 3 + t]) * (op.operands[t].bytes / wordBytes);
    sramPj[t] = words * meta.sramEnergyPj[t];
  }
  let pe = 0;
  for (let l = 0; l < mid; l++) pe += cost.levelEnergyPj[l];
  return {
    macPj: cost.macEnergyPj,
    peRegistersPj: pe,
    filterSramPj: sramPj[0],
    ifmapSramPj: sramPj[1],
    ofmapSramPj: sramPj[2],
    dramPj: cost.levelEnergyPj[L - 1],
    leakagePj: cost.leakageEnergyPj,
    totalPj: cost.energyPj,
  };
}

import { arrayLevel, totalMacUnits, type EvalResult, type OpResult } from '@trim-dse/core';

/** Whole-network figures in the units Eyeriss reports them. */
export interface ChipFigures {
  readonly framesPerSecond: number;
  /** DRAM traffic of the batch, MB (10^6 bytes). */
  readonly dramTrafficMB: number;
  /** Time-weighted mean of the PEs a mapping occupies, over all PEs. */
  readonly activePEFraction: number;
  /** On-chip power (everything but the DRAM energy) over the run time, mW. */
  readonly chipPowerMilliwatt: number;
  readonly seconds: number;
  readonly energyPj: number;
}

/** PEs the mapping occupies: the product of the array level's spatial factors (0 without a reported mapping). */
export function activePEs(r: OpResult, arrayLevelName: string): number {
  const lvl = r.mapping?.levels.find((l) => l.level === arrayLevelName);
  if (!lvl) return 0;
  let n = 1;
  for (const v of Object.values(lvl.spatialX)) n *= v ?? 1;
  for (const v of Object.values(lvl.spatialY)) n *= v ?? 1;
  return n;
}

/**
 * Sums an evaluation (the result of `evaluateRequest`, with mappings) the way the Eyeriss papers report a network:
 * frames per second over the batch, DRAM MB, PE occupancy weighted by each layer's time, and power without DRAM.
 */
export function chipFigures(result: EvalResult): ChipFigures {
  const hw = result.hardware;
  const arrayName = hw.levels[arrayLevel(hw)].name;
  const dramName = hw.levels[hw.levels.length - 1].name;
  let cycles = 0;
  let energy = 0;
  let dramEnergy = 0;
  let bytes = 0;
  let activeTime = 0;
  for (const r of result.layers) {
    cycles += r.cycles;
    energy += r.energyPj.total;
    dramEnergy += r.energyPj[dramName] ?? 0;
    bytes += r.dramBytes;
    activeTime += activePEs(r, arrayName) * r.cycles;
  }
  const seconds = cycles / (hw.clockMHz * 1e6);
  return {
    framesPerSecond: result.batch / seconds,
    dramTrafficMB: bytes / 1e6,
    activePEFraction: activeTime / cycles / totalMacUnits(hw),
    // pJ / s = 1e-12 W = 1e-9 mW.
    chipPowerMilliwatt: ((energy - dramEnergy) / seconds) * 1e-9,
    seconds,
    energyPj: energy,
  };
}

import { Evaluator, type DataflowChoice, type Goal, type HardwareModel, type MacOp, type OpResult } from '@trim-dse/core';

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
  readonly layers: readonly OpResult[];
}

/** PEs the mapping occupies: the product of the array level's spatial factors. */
export function activePEs(r: OpResult, arrayLevel: string): number {
  const lvl = r.mapping?.levels.find((l) => l.level === arrayLevel);
  if (!lvl) return 0;
  let n = 1;
  for (const v of Object.values(lvl.spatialX)) n *= v ?? 1;
  for (const v of Object.values(lvl.spatialY)) n *= v ?? 1;
  return n;
}

/** Evaluates the ops of one batch and sums them the way the Eyeriss papers report a network. */
export function chipFigures(hw: HardwareModel, dataflows: readonly DataflowChoice[], ops: readonly MacOp[], batch: number, goal: Goal): ChipFigures {
  const ev = new Evaluator(hw, dataflows, goal, { includeMapping: true });
  const layers = ops.map((op) => ev.evaluateOp(op));
  const arrayLevel = hw.levels[hw.levels.length - 2].name;
  let pes = 1;
  for (const l of hw.levels) pes *= l.fanoutX * l.fanoutY;
  let cycles = 0;
  let energy = 0;
  let dramEnergy = 0;
  let bytes = 0;
  let activeTime = 0;
  for (const r of layers) {
    cycles += r.cycles;
    energy += r.energyPj.total;
    dramEnergy += r.energyPj[hw.levels[hw.levels.length - 1].name] ?? 0;
    bytes += r.dramBytes;
    activeTime += activePEs(r, arrayLevel) * r.cycles;
  }
  const seconds = cycles / (hw.clockMHz * 1e6);
  return {
    framesPerSecond: batch / seconds,
    dramTrafficMB: bytes / 1e6,
    activePEFraction: activeTime / cycles / pes,
    // pJ / s = 1e-12 W = 1e-9 mW.
    chipPowerMilliwatt: ((energy - dramEnergy) / seconds) * 1e-9,
    seconds,
    energyPj: energy,
    layers,
  };
}

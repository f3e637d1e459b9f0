import { arrayLevel, DIM_COUNT, precisionBytes, totalMacUnits, type EvalResult, type HardwareModel, type OpCost, type OpResult } from '@trim-dse/core';

/** Whole-network figures in the units Eyeriss reports them. */
export interface ChipFigures {
  readonly framesPerSecond: number;
  /** DRAM traffic of the batch, MB (10^6 bytes). */
  readonly dramTrafficMB: number;
  /** Time-weighted mean of the PEs the mappings occupy, over all PEs. */
  readonly activePEFraction: number;
  /** On-chip power (everything but the DRAM energy) over the run time, mW. */
  readonly chipPowerMilliwatt: number;
  readonly seconds: number;
  readonly energyPj: number;
}

/** One layer's figures in the units of JSSC 2017 Table V. */
export interface LayerFigures {
  readonly latencyMs: number;
  /** On-chip power over the layer's time (DRAM excluded), mW. */
  readonly powerMilliwatt: number;
  /** PEs the layer's mapping occupies (see `activePEs`). */
  readonly activePEs: number;
  readonly dramAccessesMB: number;
  /** Global-buffer reads and writes, MB (10^6 bytes). */
  readonly glbAccessesMB: number;
}

/**
 * PEs a layer's mapping occupies: the product over dims of the array level's spatial factors, each no more than the
 * dim's bound (a PE a partial fold can never reach holds no work: AlexNet CONV2's 27 output rows on 2 × 14 columns
 * occupy 27 of them, 135 PEs with its 5 filter rows, as JSSC 2017 Table V counts them). 0 for an op without a mapping.
 */
export function activePEs(c: OpCost, hw: HardwareModel): number {
  const m = c.mapping;
  if (!m || c.form.kind !== 'mac') return 0;
  const a = arrayLevel(hw) * DIM_COUNT;
  let n = 1;
  for (let d = 0; d < DIM_COUNT; d++) n *= Math.min(m.spatialX[a + d] * m.spatialY[a + d], c.form.bounds[d]);
  return n;
}

/** One layer's figures (latency, power without DRAM, busy PEs, DRAM and buffer traffic). */
export function layerFigures(result: EvalResult, i: number): LayerFigures {
  const r: OpResult = result.layers[i];
  const hw = result.hardware;
  const dramName = hw.levels[hw.levels.length - 1].name;
  const glbName = hw.levels[arrayLevel(hw)].name;
  const seconds = r.cycles / (hw.clockMHz * 1e6);
  let glbElements = 0;
  for (const a of Object.values(r.accesses[glbName] ?? {})) glbElements += a.reads + a.writes;
  return {
    latencyMs: seconds * 1e3,
    // pJ / s = 1e-12 W = 1e-9 mW.
    powerMilliwatt: ((r.energyPj.total - (r.energyPj[dramName] ?? 0)) / seconds) * 1e-9,
    activePEs: activePEs(result.costs[i], hw),
    dramAccessesMB: r.dramBytes / 1e6,
    glbAccessesMB: (glbElements * precisionBytes(result.precision)) / 1e6,
  };
}

/**
 * Sums an evaluation (the result of `evaluateRequest`, with mappings) the way the Eyeriss papers report a network:
 * frames per second over the batch, DRAM MB, occupied PEs weighted by each layer's time, and power without DRAM.
 */
export function chipFigures(result: EvalResult): ChipFigures {
  const hw = result.hardware;
  const dramName = hw.levels[hw.levels.length - 1].name;
  let cycles = 0;
  let energy = 0;
  let dramEnergy = 0;
  let bytes = 0;
  let activeTime = 0;
  result.layers.forEach((r, i) => {
    cycles += r.cycles;
    energy += r.energyPj.total;
    dramEnergy += r.energyPj[dramName] ?? 0;
    bytes += r.dramBytes;
    activeTime += activePEs(result.costs[i], hw) * r.cycles;
  });
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

import { TrimUserError } from '@trim-dse/core';
import type { FpgaDevice } from './devices.js';
import { dspPerMac, UTILIZATION_LIMITS, type FpgaPrecision } from './precision-table.js';
import { zhangCycles, type ConvLayerShape } from './roofline.js';

export interface PipelineStage {
  readonly layer: string;
  readonly Tm: number;
  readonly Tn: number;
  readonly cycles: number;
}

export interface PipelinePlan {
  readonly stages: readonly PipelineStage[];
  readonly dsp: number;
  /** Cycles between two images: the slowest stage. */
  readonly intervalCycles: number;
  /** Cycles of one image through every stage (no overlap between layers of one image). */
  readonly latencyCycles: number;
}

/** The smallest unroll for each count of passes over `n` (a larger unroll with the same count only idles). */
function unrollOptions(n: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= n; t++) if (t === 1 || Math.ceil(n / t) !== Math.ceil(n / (t - 1))) out.push(t);
  return out;
}

/** Cheapest (fewest MACs) unroll of a layer that beats `cycles`; undefined when none does. */
function nextFaster(l: ConvLayerShape, cycles: number): { Tm: number; Tn: number; cycles: number } | undefined {
  let best: { Tm: number; Tn: number; cycles: number } | undefined;
  for (const Tm of unrollOptions(l.M)) {
    for (const Tn of unrollOptions(l.N)) {
      const c = zhangCycles(l, { Tm, Tn, Tr: l.R, Tc: l.C });
      if (c >= cycles) continue;
      if (!best || Tm * Tn < best.Tm * best.Tn || (Tm * Tn === best.Tm * best.Tn && c < best.cycles)) best = { Tm, Tn, cycles: c };
    }
  }
  return best;
}

/**
 * Splits a device's DSPs between per-layer engines (layer-pipelined organisation): every stage starts at 1 × 1 and
 * the slowest stage repeatedly takes the cheapest larger unroll that speeds it up, while the DSPs fit under the
 * limit. Throughput is set by the slowest stage. Compute cycles only (Zhang's formula, whole-plane tiles); the
 * result's stages feed the template's `stages` field, where buffers and every other resource are checked.
 */
export function planPipeline(layers: ReadonlyArray<{ name: string; shape: ConvLayerShape }>, device: FpgaDevice, precision: FpgaPrecision, dspLimit: number = UTILIZATION_LIMITS.dsp): PipelinePlan {
  const perMac = dspPerMac(device.dspFamily, precision);
  const budget = Math.floor(dspLimit * device.dsp);
  const stages = layers.map((l) => ({ layer: l.name, shape: l.shape, Tm: 1, Tn: 1, cycles: zhangCycles(l.shape, { Tm: 1, Tn: 1, Tr: l.shape.R, Tc: l.shape.C }) }));
  const dspOf = () => stages.reduce((a, s) => a + Math.ceil(s.Tm * s.Tn * perMac), 0);
  if (dspOf() > budget) {
    throw new TrimUserError(`${layers.length} pipeline stages need at least ${dspOf()} DSP slices (dsp) but ${device.key} allows ${budget}`, { field: 'dsp', fix: 'pipeline fewer layers' });
  }
  for (;;) {
    let slow = 0;
    for (let i = 1; i < stages.length; i++) if (stages[i].cycles > stages[slow].cycles) slow = i;
    const s = stages[slow];
    const next = nextFaster(s.shape, s.cycles);
    if (!next) break;
    const before = { Tm: s.Tm, Tn: s.Tn, cycles: s.cycles };
    Object.assign(s, next);
    if (dspOf() > budget) {
      Object.assign(s, before);
      break;
    }
  }
  return {
    stages: stages.map(({ layer, Tm, Tn, cycles }) => ({ layer, Tm, Tn, cycles })),
    dsp: dspOf(),
    intervalCycles: Math.max(...stages.map((s) => s.cycles)),
    latencyCycles: stages.reduce((a, s) => a + s.cycles, 0),
  };
}

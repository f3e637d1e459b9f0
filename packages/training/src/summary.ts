import type { OpResult, Phase } from '@trim-dse/core';

export interface PhaseSummary {
  ops: number;
  macs: number;
  cycles: number;
  energyPj: number;
  dramBytes: number;
  /** Ops per chosen dataflow (`vector` for non-MAC ops). */
  dataflows: Record<string, number>;
}

/** Totals per phase of a step's results, and which dataflow each phase's ops picked. */
export function phaseSummary(results: readonly OpResult[]): Partial<Record<Phase, PhaseSummary>> {
  const out: Partial<Record<Phase, PhaseSummary>> = {};
  for (const r of results) {
    out[r.phase] ??= { ops: 0, macs: 0, cycles: 0, energyPj: 0, dramBytes: 0, dataflows: {} };
    const s = out[r.phase] as PhaseSummary;
    s.ops++;
    s.macs += r.macs;
    s.cycles += r.cycles;
    s.energyPj += r.energyPj.total;
    s.dramBytes += r.dramBytes;
    s.dataflows[r.dataflow] = (s.dataflows[r.dataflow] ?? 0) + 1;
  }
  return out;
}

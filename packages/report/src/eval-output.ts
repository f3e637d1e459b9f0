import type { OpResult, Totals, ValidationRow } from '@trim-dse/core';
import { formatNumber, formatTable } from './table.js';

/** What the inter-layer scheduler kept on chip (core `scheduleSummary`; the fields the reporters read). */
export interface InterlayerReport {
  readonly policy: string;
  readonly baselineDramBytes: number;
  readonly dramBytes: number;
  readonly savedDramBytes: number;
  readonly onChipTensors: number;
  readonly dramTensors: number;
}

/**
 * What the reporters print: core's `EvalResult` (what `evaluateRequest` returns, and so `trim eval`) is one. Besides
 * the results it carries the assumptions a user must see next to them: the template, the clock, the tensor
 * precision and the goal the mapper optimised for.
 */
export interface EvalReport {
  readonly workload: string;
  readonly arch: string;
  readonly template: string;
  readonly clockMHz: number;
  readonly phase: string;
  readonly batch: number;
  readonly precision: string;
  readonly goal: string;
  readonly totals: Totals;
  readonly layers: readonly OpResult[];
  readonly interlayer?: InterlayerReport;
}

/** The assumptions of a result: every `trim eval` prints them; documents written before they existed lack them. */
export const ASSUMPTIONS = ['template', 'clockMHz', 'precision', 'goal'] as const;

/** A `trim.eval/v1` document as read back (`trim report`): the assumptions may be missing from older files. */
export type EvalDocument = Omit<EvalReport, (typeof ASSUMPTIONS)[number]> & Partial<Pick<EvalReport, (typeof ASSUMPTIONS)[number]>>;

/** One line naming the run and its assumptions, e.g. `bert-base on tpu-v1 (systolic, 700 MHz) — training, batch 1, int8, goal latency`. */
export function evalTitle(r: EvalDocument): string {
  const hw = [r.template, r.clockMHz !== undefined ? `${formatNumber(r.clockMHz)} MHz` : undefined].filter((x) => x !== undefined);
  const run = [r.phase, `batch ${r.batch}`, r.precision, r.goal !== undefined ? `goal ${r.goal}` : undefined].filter((x) => x !== undefined);
  return `${r.workload} on ${r.arch}${hw.length > 0 ? ` (${hw.join(', ')})` : ''} — ${run.join(', ')}`;
}

// Exact integers beyond 2⁵³ are written as plain JSON number tokens with every digit (JSON allows it; JavaScript's
// JSON.parse rounds them, other readers and BigInt-aware parsers keep them).
const EXACT = '__trim_exact__';
const exactToken = (digits: string) => `${EXACT}${digits}`;

function exactAccesses(l: OpResult): OpResult['accesses'] | Record<string, Record<string, { reads: string; writes: string }>> {
  if (!l.exact) return l.accesses;
  const out: Record<string, Record<string, { reads: string; writes: string }>> = {};
  for (const [level, perTensor] of Object.entries(l.exact.accesses)) {
    out[level] = {};
    for (const [t, c] of Object.entries(perTensor)) out[level][t] = { reads: exactToken(c.reads), writes: exactToken(c.writes) };
  }
  return out;
}

/**
 * `trim.eval/v1` (DESIGN.md), with the run's assumptions (`template`, `clockMHz`, `precision`, `goal`) beside the
 * names: fields added to v1, so readers of the earlier documents read these too. Keys in a fixed order so identical
 * runs print identical bytes.
 */
export function evalJson(r: EvalReport): string {
  const { exact: totalsExact, ...totals } = r.totals;
  const doc = {
    schema: 'trim.eval/v1',
    workload: r.workload,
    arch: r.arch,
    template: r.template,
    clockMHz: r.clockMHz,
    phase: r.phase,
    batch: r.batch,
    precision: r.precision,
    goal: r.goal,
    totals: totalsExact ? { ...totals, macs: exactToken(totalsExact.macs), dramBytes: exactToken(totalsExact.dramBytes) } : totals,
    ...(r.interlayer ? { interlayer: r.interlayer } : {}),
    layers: r.layers.map((l) => ({
      name: l.name,
      layerKind: l.layerKind,
      phase: l.phase,
      dataflow: l.dataflow,
      macs: l.exact ? exactToken(l.exact.macs) : l.macs,
      cycles: l.cycles,
      computeCycles: l.computeCycles,
      stallCycles: l.stallCycles,
      utilization: l.utilization,
      dramBytes: l.exact ? exactToken(l.exact.dramBytes) : l.dramBytes,
      accesses: exactAccesses(l),
      ...(l.exact ? { chunks: l.exact.chunks } : {}),
      energyPj: l.energyPj,
      ...(l.mapping ? { mapping: l.mapping } : {}),
      ...(l.alternatives ? { alternatives: l.alternatives } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2).replace(new RegExp(`"${EXACT}(\\d+)"`, 'g'), '$1')}\n`;
}

export function evalCsv(r: EvalDocument): string {
  const head = ['layer', 'kind', 'phase', 'dataflow', 'macs', 'cycles', 'computeCycles', 'stallCycles', 'utilization', 'energyPj', 'dramBytes'];
  const rows = r.layers.map((l) => [l.name, l.layerKind, l.phase, l.dataflow, l.macs, l.cycles, l.computeCycles, l.stallCycles, l.utilization, l.energyPj.total, l.dramBytes].join(','));
  return `${[head.join(','), ...rows].join('\n')}\n`;
}

/** Per-layer table with a totals row; with several dataflows, a per-dataflow comparison too. */
export function evalTables(r: EvalDocument, compare: boolean): string {
  const pct = (u: number) => `${(u * 100).toFixed(1)}%`;
  const uJ = (pj: number) => formatNumber(pj / 1e6);
  const header = ['layer', 'phase', 'dataflow', 'MACs', 'cycles', 'stall cycles', 'util', 'energy µJ', 'DRAM KB'];
  const rows = r.layers.map((l) => [l.name, l.phase, l.dataflow, formatNumber(l.macs), formatNumber(l.cycles), formatNumber(l.stallCycles), l.macs > 0 ? pct(l.utilization) : '-', uJ(l.energyPj.total), formatNumber(l.dramBytes / 1024)]);
  const t = r.totals;
  const stall = r.layers.reduce((a, l) => a + l.stallCycles, 0);
  rows.push(['total', '', '', formatNumber(t.macs), formatNumber(t.cycles), formatNumber(stall), pct(t.utilization), uJ(t.energyPj), formatNumber(t.dramBytes / 1024)]);
  const parts = [
    evalTitle(r),
    formatTable(header, rows, { alignRight: [3, 4, 5, 6, 7, 8] }),
    `time ${formatNumber(t.seconds * 1e3)} ms, ${formatNumber(r.batch / t.seconds)} samples/s, energy ${formatNumber(t.energyPj / 1e6)} µJ, EDP ${t.edp.toExponential(3)} J·s`,
  ];
  if (r.interlayer && r.interlayer.policy !== 'layer-by-layer') {
    const i = r.interlayer;
    parts.push(
      `inter-layer: ${i.onChipTensors} tensors handed off on chip, ${i.dramTensors} through DRAM; DRAM ${formatNumber(i.dramBytes / 1024)} KB vs ${formatNumber(i.baselineDramBytes / 1024)} KB layer by layer (saved ${formatNumber(i.savedDramBytes / 1024)} KB)`,
    );
  }
  const phases = [...new Set(r.layers.map((l) => l.phase))];
  if (phases.length > 1) {
    const rows = phases.map((ph) => {
      const ls = r.layers.filter((l) => l.phase === ph);
      const cycles = ls.reduce((a, l) => a + l.cycles, 0);
      const energy = ls.reduce((a, l) => a + l.energyPj.total, 0);
      return [ph, String(ls.length), formatNumber(ls.reduce((a, l) => a + l.macs, 0)), formatNumber(cycles), pct(cycles / t.cycles), uJ(energy), pct(energy / t.energyPj), formatNumber(ls.reduce((a, l) => a + l.dramBytes, 0) / 1024)];
    });
    parts.push('per phase:');
    parts.push(formatTable(['phase', 'ops', 'MACs', 'cycles', 'of time', 'energy µJ', 'of energy', 'DRAM KB'], rows, { alignRight: [1, 2, 3, 4, 5, 6, 7] }));
  }
  if (compare) {
    const byDf = new Map<string, { cycles: number; energyPj: number; dramBytes: number; layers: number }>();
    let macLayers = 0;
    for (const l of r.layers) {
      if (!l.alternatives) continue;
      macLayers++;
      for (const a of l.alternatives) {
        const e = byDf.get(a.dataflow) ?? { cycles: 0, energyPj: 0, dramBytes: 0, layers: 0 };
        e.cycles += a.cycles;
        e.energyPj += a.energyPj;
        e.dramBytes += a.dramBytes;
        e.layers++;
        byDf.set(a.dataflow, e);
      }
    }
    if (byDf.size > 0) {
      const cmp = [...byDf.entries()].map(([df, e]) => [df, e.layers === macLayers ? 'all' : `${e.layers}/${macLayers}`, formatNumber(e.cycles), uJ(e.energyPj), formatNumber(e.dramBytes / 1024)]);
      parts.push('MAC layers per dataflow (each dataflow alone, best mapping per layer):');
      parts.push(formatTable(['dataflow', 'layers mapped', 'cycles', 'energy µJ', 'DRAM KB'], cmp, { alignRight: [2, 3, 4] }));
    }
  }
  return `${parts.join('\n\n')}\n`;
}

/** Signed relative error of ours against the reference (0 when both are 0). */
export function validationRowError(r: ValidationRow): number {
  if (r.reference === 0) return r.ours === 0 ? 0 : 1;
  return (r.ours - r.reference) / r.reference;
}

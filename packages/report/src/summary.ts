import type { OpResult, Totals } from '@trim-dse/core';
import { csvDocument } from './csv.js';
import { formatNumber, formatTable } from './table.js';

/** Totals of a group of ops (a phase, a layer kind). */
export interface GroupRow {
  readonly group: string;
  readonly ops: number;
  readonly macs: number;
  readonly cycles: number;
  readonly energyPj: number;
  readonly dramBytes: number;
}

/** Ops grouped by `key`, in order of first appearance. */
export function groupLayers(layers: readonly OpResult[], key: (l: OpResult) => string): GroupRow[] {
  const out = new Map<string, { group: string; ops: number; macs: number; cycles: number; energyPj: number; dramBytes: number }>();
  for (const l of layers) {
    const k = key(l);
    const g = out.get(k) ?? { group: k, ops: 0, macs: 0, cycles: 0, energyPj: 0, dramBytes: 0 };
    g.ops++;
    g.macs += l.macs;
    g.cycles += l.cycles;
    g.energyPj += l.energyPj.total;
    g.dramBytes += l.dramBytes;
    out.set(k, g);
  }
  return [...out.values()];
}

/** Per phase and per layer kind: what `--summary` prints instead of one row per op. */
export interface RunSummary {
  readonly phases: readonly GroupRow[];
  readonly kinds: readonly GroupRow[];
}

export function runSummary(layers: readonly OpResult[]): RunSummary {
  return { phases: groupLayers(layers, (l) => l.phase), kinds: groupLayers(layers, (l) => l.layerKind) };
}

function total(rows: readonly GroupRow[]): GroupRow {
  const sum = (k: 'ops' | 'macs' | 'cycles' | 'energyPj' | 'dramBytes') => rows.reduce((a, g) => a + g[k], 0);
  return { group: 'total', ops: sum('ops'), macs: sum('macs'), cycles: sum('cycles'), energyPj: sum('energyPj'), dramBytes: sum('dramBytes') };
}

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-');

/** A group table with each group's share of the run's time and energy. */
export function groupTable(title: string, rows: readonly GroupRow[], t: Pick<Totals, 'cycles' | 'energyPj'>): string {
  return formatTable(
    [title, 'ops', 'MACs', 'cycles', 'of time', 'energy µJ', 'of energy', 'DRAM KB'],
    [...rows, ...(rows.length > 1 ? [total(rows)] : [])].map((g) => [g.group, String(g.ops), formatNumber(g.macs), formatNumber(g.cycles), pct(g.cycles, t.cycles), formatNumber(g.energyPj / 1e6), pct(g.energyPj, t.energyPj), formatNumber(g.dramBytes / 1024)]),
    { alignRight: [1, 2, 3, 4, 5, 6, 7] },
  );
}

/** `--summary --format csv`: one row per phase and per layer kind. */
export function summaryCsv(s: RunSummary): string {
  const rows = [
    ...s.phases.map((g) => ['phase', g.group, g.ops, g.macs, g.cycles, g.energyPj, g.dramBytes]),
    ...s.kinds.map((g) => ['kind', g.group, g.ops, g.macs, g.cycles, g.energyPj, g.dramBytes]),
  ];
  return csvDocument(['by', 'group', 'ops', 'macs', 'cycles', 'energyPj', 'dramBytes'], rows);
}

import type { Totals } from '../result.js';
import { goalNeedsArea, type GoalSpec } from './goal.js';
import { dominates } from './pareto.js';
import type { PointRecord } from './point.js';
import type { ParameterValue } from './space.js';

export const EXPLORE_SCHEMA = 'trim.explore/v1';

// C0 and C1 control characters (ESC starts the sequences that recolour, move the cursor, retitle the terminal or
// write to the clipboard; U+009B is a one-character CSI) and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from files (layer, architecture and plug-in names, parameter values, paths) made safe to print on a terminal:
 * every control character is written as a visible escape (`\x1b`, `\u202e`). Newlines are kept with `keepNewlines`
 * (for a whole report), else escaped too (for one cell or one line).
 */
export function terminalText(s: string, keepNewlines = false): string {
  return s.replace(keepNewlines ? UNPRINTABLE : UNPRINTABLE_OR_NEWLINE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `trim explore --format json` and `trim merge --format json` (schema trim.explore/v1). */
export interface ExploreSummary {
  schema: typeof EXPLORE_SCHEMA;
  goal: GoalSpec;
  space: string;
  search: string;
  /** Points evaluated (feasible or not). */
  evaluated: number;
  feasible: number;
  best: {
    index: number;
    score: number;
    hardware: Record<string, ParameterValue>;
    dataflows: Record<string, number>;
    totals: Totals;
    resources: Record<string, number>;
  } | null;
  /** Feasible points no other feasible point beats on both latency and energy (and area, when the goal uses it). */
  pareto: Array<{ index: number; hardware: Record<string, ParameterValue>; totals: Totals; resources: Record<string, number> }>;
}

function frontVector(r: PointRecord, withArea: boolean): number[] {
  const t = r.totals!;
  return withArea ? [t.seconds, t.energyPj, r.resources?.areaMm2 ?? Infinity] : [t.seconds, t.energyPj];
}

/** Best point by goal (ties: the lower point index) and the Pareto front, from a run's records. */
export function summarize(meta: { goal: GoalSpec; space: string; search: string }, records: readonly PointRecord[]): ExploreSummary {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const ok = sorted.filter((r) => r.status === 'ok' && r.totals && r.score !== undefined);
  let best: PointRecord | undefined;
  for (const r of ok) if (!best || r.score! < best.score!) best = r;
  const withArea = goalNeedsArea(meta.goal);
  const vecs = ok.map((r) => frontVector(r, withArea));
  const pareto = ok.filter((_, i) => {
    for (let j = 0; j < ok.length; j++) {
      if (j === i) continue;
      if (dominates(vecs[j], vecs[i])) return false;
      // Equal vectors: keep the lowest index only.
      if (j < i && vecs[j].every((v, k) => v === vecs[i][k])) return false;
    }
    return true;
  });
  pareto.sort((a, b) => a.totals!.seconds - b.totals!.seconds || a.index - b.index);
  return {
    schema: EXPLORE_SCHEMA,
    goal: meta.goal,
    space: meta.space,
    search: meta.search,
    evaluated: records.length,
    feasible: ok.length,
    best: best
      ? {
          index: best.index,
          score: best.score!,
          hardware: best.hardware,
          dataflows: best.dataflows ?? {},
          totals: best.totals!,
          resources: best.resources ?? {},
        }
      : null,
    pareto: pareto.map((r) => ({ index: r.index, hardware: r.hardware, totals: r.totals!, resources: r.resources ?? {} })),
  };
}

/** A short text report of a summary. */
export function summaryTable(s: ExploreSummary): string {
  const lines: string[] = [];
  const goal = typeof s.goal === 'string' ? s.goal : JSON.stringify(s.goal);
  lines.push(`space ${terminalText(s.space)}, search ${terminalText(s.search)}, goal ${terminalText(goal)}: ${s.evaluated} points evaluated, ${s.feasible} feasible`);
  if (!s.best) {
    lines.push('no feasible point');
    return lines.join('\n');
  }
  const hw = (h: Record<string, ParameterValue>) => terminalText(Object.entries(h).map(([k, v]) => `${k}=${String(v)}`).join(' '));
  const t = s.best.totals;
  lines.push(`best #${s.best.index}: ${hw(s.best.hardware)}`);
  lines.push(`  cycles ${fmt(t.cycles)}  time ${fmt(t.seconds)} s  energy ${fmt(t.energyPj * 1e-6)} µJ  EDP ${fmt(t.edp)} J·s  utilization ${(t.utilization * 100).toFixed(1)} %  DRAM ${fmt(t.dramBytes)} B`);
  lines.push(`  dataflows ${terminalText(Object.entries(s.best.dataflows).map(([k, v]) => `${k}:${v}`).join(' '))}`);
  lines.push(`Pareto front (latency vs energy), ${s.pareto.length} point${s.pareto.length === 1 ? '' : 's'}:`);
  const rows = s.pareto.map((p) => [`#${p.index}`, fmt(p.totals.seconds), fmt(p.totals.energyPj * 1e-6), hw(p.hardware)]);
  const head = ['point', 'time s', 'energy µJ', 'hardware'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const row = (r: string[]) => r.map((c, i) => (i < 3 ? c.padStart(widths[i]) : c)).join('  ');
  lines.push(row(head));
  for (const r of rows) lines.push(row(r));
  return lines.join('\n');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

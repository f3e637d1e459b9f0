import type { OpResult } from '@trim-dse/core';
import { formatNumber, formatTable } from './table.js';

/**
 * The energy components of a run in a fixed order: the datapath (`mac`, `alu`), then every other component as the
 * ops list them (the template's levels, `noc`, `leakage`); `total` last.
 */
export function energyComponents(layers: readonly OpResult[]): string[] {
  const seen = new Set<string>();
  for (const l of layers) for (const k of Object.keys(l.energyPj)) if (k !== 'total') seen.add(k);
  const head = ['mac', 'alu'].filter((k) => seen.has(k));
  return [...head, ...[...seen].filter((k) => !head.includes(k)), 'total'];
}

/** Every (level, operand) pair the ops access, level by level (innermost first, as the template lists them). */
export function accessPairs(layers: readonly OpResult[]): Array<[level: string, tensor: string]> {
  const byLevel = new Map<string, string[]>();
  for (const l of layers) {
    for (const [level, perTensor] of Object.entries(l.accesses)) {
      const tensors = byLevel.get(level) ?? [];
      for (const tensor of Object.keys(perTensor)) if (!tensors.includes(tensor)) tensors.push(tensor);
      byLevel.set(level, tensors);
    }
  }
  return [...byLevel.entries()].flatMap(([level, tensors]) => tensors.map((t): [string, string] => [level, t]));
}

/** Energy by component, one row per op (or per group of ops), µJ. */
export function energyTable(rows: ReadonlyArray<{ readonly label: string; readonly layers: readonly OpResult[] }>, components: readonly string[]): string {
  const sum = (ls: readonly OpResult[], k: string) => ls.reduce((a, l) => a + (l.energyPj[k] ?? 0), 0);
  return formatTable(
    ['energy µJ', ...components],
    rows.map((r) => [r.label, ...components.map((k) => formatNumber(sum(r.layers, k) / 1e6))]),
    { alignRight: components.map((_, i) => i + 1) },
  );
}

/** Reads and writes of every operand at every level over the run (elements of the operand's precision). */
export function accessTable(layers: readonly OpResult[]): string {
  const rows = accessPairs(layers).map(([level, tensor]) => {
    let reads = 0;
    let writes = 0;
    for (const l of layers) {
      const c = l.accesses[level]?.[tensor];
      if (c) {
        reads += c.reads;
        writes += c.writes;
      }
    }
    return [level, tensor, formatNumber(reads), formatNumber(writes)];
  });
  return formatTable(['level', 'operand', 'reads', 'writes'], rows, { alignRight: [2, 3] });
}

/** `--breakdown --format csv`: the columns added to each op's row (energy per component, accesses per level and operand). */
export function breakdownCsvColumns(layers: readonly OpResult[]): { header: string[]; cells: (l: OpResult) => Array<number | string> } {
  const components = energyComponents(layers).filter((k) => k !== 'total');
  const pairs = accessPairs(layers);
  return {
    header: [...components.map((k) => `energyPj.${k}`), ...pairs.flatMap(([lv, t]) => [`${lv}.${t}.reads`, `${lv}.${t}.writes`])],
    cells: (l) => [...components.map((k) => l.energyPj[k] ?? 0), ...pairs.flatMap(([lv, t]) => [l.accesses[lv]?.[t]?.reads ?? 0, l.accesses[lv]?.[t]?.writes ?? 0])],
  };
}

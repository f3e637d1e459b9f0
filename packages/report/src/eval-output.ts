import type { OpResult, Totals, ValidationRow } from '@trim-dse/core';
import { dataflowText, dramLink, dramText, type DramLink, type HardwareFacts } from './assumptions.js';
import { accessTable, breakdownCsvColumns, energyComponents, energyTable } from './breakdown.js';
import { csvDocument } from './csv.js';
import { footprintText, type MemoryFootprint } from './footprint.js';
import { groupLayers, groupTable, runSummary, type RunSummary } from './summary.js';
import { formatNumber, formatTable, terminalText } from './table.js';

/** What the inter-layer scheduler kept on chip (core `scheduleSummary`; the fields the reporters read). */
export interface InterlayerReport {
  readonly policy: string;
  readonly baselineDramBytes: number;
  readonly dramBytes: number;
  readonly savedDramBytes: number;
  readonly onChipTensors: number;
  readonly dramTensors: number;
  /** `--fusion epilogue|full`: the fused groups (head, members) and what each saved against its ops one by one. */
  readonly fusion?: {
    readonly mode: string;
    readonly savedDramBytes: number;
    readonly savedEnergyPj: number;
    readonly savedCycles: number;
    readonly groups: readonly { readonly head: string; readonly members: readonly string[]; readonly savedDramBytes: number; readonly savedEnergyPj: number; readonly savedCycles: number }[];
  };
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
  /** A decode step's KV cache: bytes over all layers, and those the scheduler kept on chip. */
  readonly kvCache?: { readonly tensors: number; readonly bytes: number; readonly onChipBytes: number };
  /** The hardware model (core's `EvalResult` carries it): the DRAM link is read from it. */
  readonly hardware?: HardwareFacts;
  /** The DRAM link as written in a document (when there is no hardware model). */
  readonly dram?: DramLink;
  /** The dataflows every op was offered (`--dataflow auto`: every one that applies to the template). */
  readonly dataflows?: readonly string[];
  /** `--dataflow` as given (`auto` or a name). */
  readonly dataflowRequest?: string;
  /** Whether `--precision` was given (else the architecture's native word). */
  readonly precisionGiven?: boolean;
  /** Where the goal came from: `--goal`, the architecture's mapper goal, or the default (latency). */
  readonly goalFrom?: 'option' | 'architecture' | 'default';
  /** Training: what one step keeps in memory. */
  readonly footprint?: MemoryFootprint;
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
const EXACT_TOKEN = new RegExp(`"${EXACT}(\\d+)"`, 'g');

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
export function* evalJsonChunks(r: EvalReport, options: { summary?: boolean } = {}): Generator<string> {
  const { exact: totalsExact, ...totals } = r.totals;
  const dram = r.dram ?? (r.hardware ? dramLink(r.hardware) : undefined);
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
    ...(dram ? { dram } : {}),
    ...(r.dataflows ? { dataflowChoice: { requested: r.dataflowRequest ?? 'auto', candidates: r.dataflows } } : {}),
    totals: totalsExact ? { ...totals, macs: exactToken(totalsExact.macs), dramBytes: exactToken(totalsExact.dramBytes) } : totals,
    ...(r.interlayer ? { interlayer: r.interlayer } : {}),
    ...(r.kvCache ? { kvCache: r.kvCache } : {}),
    ...(r.footprint ? { footprint: r.footprint } : {}),
    ...(options.summary ? { summary: runSummary(r.layers) } : {}),
    layers: [],
  };
  // The layers are written one by one (a 100 k-layer training step prints ~0.5 GB): the same bytes as
  // `JSON.stringify(doc, null, 2)`, without building the whole text in memory.
  const head = JSON.stringify(doc, null, 2).replace(EXACT_TOKEN, '$1');
  const open = head.lastIndexOf('"layers": []');
  yield `${head.slice(0, open)}"layers": [`;
  if (r.layers.length === 0) {
    yield ']\n}\n';
    return;
  }
  for (let i = 0; i < r.layers.length; i++) {
    const l = r.layers[i];
    const row = {
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
      ...(l.fusedInto !== undefined ? { fusedInto: l.fusedInto } : {}),
      ...(l.fused ? { fused: l.fused } : {}),
    };
    const text = JSON.stringify(row, null, 2).replace(EXACT_TOKEN, '$1').replace(/\n/g, '\n    ');
    yield `${i === 0 ? '\n' : ',\n'}    ${text}`;
  }
  yield '\n  ]\n}\n';
}

/** `evalJsonChunks` as one string. */
export function evalJson(r: EvalReport, options: { summary?: boolean } = {}): string {
  let out = '';
  for (const chunk of evalJsonChunks(r, options)) out += chunk;
  return out;
}

/** One row per op; with `breakdown`, energy per component and accesses per level and operand as extra columns. */
export function evalCsv(r: EvalDocument, options: { breakdown?: boolean } = {}): string {
  const extra = options.breakdown ? breakdownCsvColumns(r.layers) : undefined;
  const head = ['layer', 'kind', 'phase', 'dataflow', 'macs', 'cycles', 'computeCycles', 'stallCycles', 'utilization', 'energyPj', 'dramBytes', ...(extra?.header ?? [])];
  const rows = r.layers.map((l) => [l.name, l.layerKind, l.phase, l.dataflow, l.macs, l.cycles, l.computeCycles, l.stallCycles, l.utilization, l.energyPj.total, l.dramBytes, ...(extra ? extra.cells(l) : [])]);
  return csvDocument(head, rows);
}

/** What the table prints besides the per-op rows. */
export interface TableOptions {
  /** Per phase and per layer kind instead of one row per op. */
  readonly summary?: boolean;
  /** Energy per component (the template's levels, noc, MAC, leakage) and accesses per level and operand. */
  readonly breakdown?: boolean;
}

/**
 * The assumptions of a run, one per line under its title: the hardware (template, clock), the tensor precision, the
 * DRAM link, and how every op's dataflow and mapping were chosen.
 */
export function assumptionLines(r: EvalDocument): string[] {
  const lines: string[] = [];
  const hw = [r.template !== undefined ? `template ${r.template}` : undefined, r.clockMHz !== undefined ? `clock ${formatNumber(r.clockMHz)} MHz` : undefined].filter((x) => x !== undefined);
  if (hw.length > 0) lines.push(`architecture  ${r.arch} (${hw.join(', ')})`);
  if (r.precision !== undefined) {
    const why = r.precisionGiven === undefined ? '' : r.precisionGiven ? ' (--precision)' : " (the architecture's native word; --precision changes it)";
    lines.push(`precision     ${r.precision} tensors${why}`);
  }
  const dram = r.dram ?? (r.hardware ? dramLink(r.hardware) : undefined);
  if (dram) lines.push(`DRAM          ${dramText(dram)}`);
  if (r.goal !== undefined || r.dataflows !== undefined) {
    const chosen = new Map<string, number>();
    for (const l of r.layers) if (l.macs > 0) chosen.set(l.dataflow, (chosen.get(l.dataflow) ?? 0) + 1);
    const goalWhy = r.goalFrom === 'architecture' ? " (the goal is the architecture's own mapper's; --goal changes it)" : r.goalFrom === 'default' ? ' (the default goal; --goal changes it)' : '';
    lines.push(`dataflow      ${dataflowText(r.dataflowRequest, r.dataflows, r.goal, chosen)}${goalWhy}`);
  }
  return lines.map((l) => `  ${l}`);
}

/**
 * The run as text: its title and assumptions, a per-op table with a totals row (or, with `summary`, per phase and per
 * layer kind), the time and energy, the inter-layer hand-off, the training footprint; with several dataflows a
 * per-dataflow comparison; with `breakdown` the energy per component and the accesses per level and operand.
 */
export function evalTables(r: EvalDocument, compare: boolean, options: TableOptions = {}): string {
  const pct = (u: number) => `${(u * 100).toFixed(1)}%`;
  const uJ = (pj: number) => formatNumber(pj / 1e6);
  const t = r.totals;
  const stall = r.layers.reduce((a, l) => a + l.stallCycles, 0);
  const totalRow = ['total', '', '', formatNumber(t.macs), formatNumber(t.cycles), formatNumber(stall), pct(t.utilization), uJ(t.energyPj), formatNumber(t.dramBytes / 1024)];
  const header = ['layer', 'phase', 'dataflow', 'MACs', 'cycles', 'stall cycles', 'util', 'energy µJ', 'DRAM KB'];
  const summary: RunSummary | undefined = options.summary ? runSummary(r.layers) : undefined;
  // An op fused into another shows where its work is counted (its row is empty).
  const rows = r.layers.map((l) => [l.fusedInto !== undefined ? `${l.name} ↑` : l.name, l.phase, l.fusedInto !== undefined ? 'fused' : l.dataflow, formatNumber(l.macs), formatNumber(l.cycles), formatNumber(l.stallCycles), l.macs > 0 ? pct(l.utilization) : '-', uJ(l.energyPj.total), formatNumber(l.dramBytes / 1024)]);
  rows.push(totalRow);
  const assumptions = assumptionLines(r);
  const parts = [
    [evalTitle(r), ...assumptions].join('\n'),
    summary
      ? `${r.layers.length} ops, ${formatNumber(t.macs)} MACs, ${formatNumber(t.cycles)} cycles (${formatNumber(stall)} stalled), utilisation ${pct(t.utilization)}, DRAM ${formatNumber(t.dramBytes / 1024)} KB (per phase and layer kind below; without --summary, one row per op)`
      : formatTable(header, rows, { alignRight: [3, 4, 5, 6, 7, 8] }),
    `time ${formatNumber(t.seconds * 1e3)} ms, ${formatNumber(r.batch / t.seconds)} samples/s, energy ${formatNumber(t.energyPj / 1e6)} µJ, EDP ${t.edp.toExponential(3)} J·s`,
  ];
  if (r.interlayer && r.interlayer.policy !== 'layer-by-layer') {
    const i = r.interlayer;
    parts.push(
      `inter-layer: ${i.onChipTensors} tensors handed off on chip, ${i.dramTensors} through DRAM; DRAM ${formatNumber(i.dramBytes / 1024)} KB vs ${formatNumber(i.baselineDramBytes / 1024)} KB layer by layer (saved ${formatNumber(i.savedDramBytes / 1024)} KB)`,
    );
  }
  const fusion = r.interlayer?.fusion;
  if (fusion) {
    const g = fusion.groups;
    const sum = (f: (x: (typeof g)[number]) => number) => g.reduce((a, x) => a + f(x), 0);
    parts.push(
      g.length === 0
        ? `fusion (${fusion.mode}): nothing fused (no layer this architecture's output path applies follows its producer)`
        : `fusion (${fusion.mode}): ${g.length} groups, ${sum((x) => x.members.length)} ops (↑) run on their producer's output path; against --fusion none the run moves ${formatNumber(fusion.savedDramBytes / 1024)} KB less DRAM and takes ${formatNumber(fusion.savedEnergyPj / 1e6)} µJ and ${formatNumber(fusion.savedCycles)} cycles less`,
    );
  }
  if (r.kvCache) {
    const k = r.kvCache;
    parts.push(`KV cache: ${formatNumber(k.bytes)} bytes in ${k.tensors} tensors, ${formatNumber(k.onChipBytes)} of them kept on chip by the scheduler (the rest read from DRAM)`);
  }
  if (r.footprint) parts.push(footprintText(r.footprint));
  const phases = summary ? summary.phases : groupLayers(r.layers, (l) => l.phase);
  if (phases.length > 1) {
    parts.push('per phase:');
    parts.push(groupTable('phase', phases, t));
  }
  if (summary) {
    parts.push('per layer kind:');
    parts.push(groupTable('kind', summary.kinds, t));
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
  if (options.breakdown) {
    const components = energyComponents(r.layers);
    const groups = summary
      ? [...new Set(r.layers.map((l) => `${l.phase} ${l.layerKind}`))].map((g) => ({ label: g, layers: r.layers.filter((l) => `${l.phase} ${l.layerKind}` === g) }))
      : r.layers.map((l) => ({ label: l.name, layers: [l] }));
    parts.push(`energy by component (µJ)${summary ? ', per phase and layer kind' : ''}:`);
    parts.push(energyTable([...groups, { label: 'total', layers: r.layers }], components));
    parts.push('accesses by level and operand (elements, whole run):');
    parts.push(accessTable(r.layers));
  }
  // Names in the title and assumption lines come from files too: the whole text is escaped for terminals.
  return terminalText(`${parts.join('\n\n')}\n`, true);
}

/** Signed relative error of ours against the reference (0 when both are 0). */
export function validationRowError(r: ValidationRow): number {
  if (r.reference === 0) return r.ours === 0 ? 0 : 1;
  return (r.ours - r.reference) / r.reference;
}

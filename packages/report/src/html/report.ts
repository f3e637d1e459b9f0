import { checkOutputFile, isTrimUserError, writeFileSafely, type Registry } from '@trim-dse/core';
import { evalTitle, type EvalDocument, type EvalReport } from '../eval-output.js';
import { bestPointEvals } from './best-point.js';
import { formatNumber } from '../table.js';
import type { Chart } from './chart-style.js';
import { layerCyclesChart, layerEnergyChart, utilizationChart } from './layer-charts.js';
import { paretoChart } from './pareto-chart.js';
import { energyByLevelChart, kindChart, phaseChart } from './summary-charts.js';
import { evalRows, exploreRows } from './data.js';
import { readReportInput, type ReportInput } from './input.js';
import { escapeHtml, htmlPage, totalsTable, type Section } from './page.js';
import { renderSvg } from './svg.js';

async function figure(c: Chart): Promise<string> {
  const svg = await renderSvg(c.spec);
  return `<h3>${escapeHtml(c.title)}</h3>\n<p class="note">${escapeHtml(c.note)}</p>\n<figure id="${escapeHtml(c.id)}">${svg}</figure>`;
}

const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(3) : formatNumber(v));

async function exploreSection(input: Extract<ReportInput, { kind: 'explore' }>, n: number): Promise<Section> {
  const rows = exploreRows(input.header, input.records);
  const h = input.header;
  const goal = typeof h.goal === 'string' ? h.goal : JSON.stringify(h.goal);
  const facts: [string, string][] = [
    ['space', `${h.space} (${h.template})`],
    ['workloads', h.workloads.map((w) => `${w.workload} ×${w.batch} ${w.phase}${w.only ? ` only ${w.only}` : ''}`).join(', ')],
    ['search', `${h.search}, seed ${h.seed}, goal ${goal}`],
    ['points', `${rows.evaluated} evaluated of ${h.points}, ${rows.feasible} feasible`],
  ];
  if (rows.best?.totals) {
    facts.push(['best', `#${rows.best.index}: ${h.parameters.map((p) => `${p.path}=${String(rows.best?.hardware[p.path])}`).join(' ')}`]);
    facts.push(['best time / energy', `${sci(rows.best.totals.seconds)} s / ${sci(rows.best.totals.energyPj * 1e-6)} µJ`]);
  }
  const body = [totalsTable(facts)];
  if (rows.points.length > 0) body.push(await figure(paretoChart(`pareto-${n}`, rows)));
  else body.push('<p class="note">No evaluated point has totals to plot.</p>');
  return { title: `Exploration: ${h.space}`, body: body.join('\n') };
}

async function evalSection(r: EvalDocument, n: string, heading = ''): Promise<Section> {
  const rows = evalRows(r);
  const t = r.totals;
  const facts: [string, string][] = [];
  // The assumptions behind every number below (absent from documents written before trim eval recorded them).
  if (r.template !== undefined) facts.push(['template', r.clockMHz !== undefined ? `${r.template}, ${formatNumber(r.clockMHz)} MHz` : r.template]);
  if (r.precision !== undefined) facts.push(['tensor precision', r.precision]);
  if (r.goal !== undefined) facts.push(['mapping goal', r.goal]);
  facts.push(
    ['cycles', formatNumber(t.cycles)],
    ['time', `${sci(t.seconds)} s`],
    ['energy', `${sci(t.energyPj * 1e-6)} µJ`],
    ['EDP', `${t.edp.toExponential(3)} J·s`],
    ['MACs', formatNumber(t.macs)],
    ['utilisation', `${(t.utilization * 100).toFixed(1)} %`],
    ['DRAM traffic', `${formatNumber(t.dramBytes / 1024)} KB`],
  );
  // Whole-workload summaries first (a few bars however large the network), then one row per layer.
  const charts = [kindChart(`kinds-${n}`, rows), phaseChart(`phase-${n}`, rows), energyByLevelChart(`levels-${n}`, rows), layerCyclesChart(`cycles-${n}`, rows), layerEnergyChart(`energy-${n}`, rows)];
  if (rows.ops.some((o) => o.macs > 0)) charts.push(utilizationChart(`util-${n}`, rows));
  const figures: string[] = [];
  for (const c of charts) figures.push(await figure(c));
  return { title: `${heading}${evalTitle(r)}`, body: [totalsTable(facts), ...figures].join('\n') };
}

export interface HtmlReportOptions {
  readonly title?: string;
  /**
   * With a registry (the CLI passes its own), the best point of each explore run is re-evaluated layer by layer and
   * gets the per-layer plots too; without one, explore runs show their Pareto scatter only.
   */
  readonly registry?: Registry;
}

/** The HTML report of one or more inputs (explore results files and/or eval documents), one section each. */
export async function renderHtmlReport(inputs: readonly ReportInput[], options: HtmlReportOptions = {}): Promise<string> {
  const sections: Section[] = [];
  for (const [i, input] of inputs.entries()) {
    if (input.kind === 'eval') {
      sections.push(await evalSection(input.result, String(i)));
      continue;
    }
    sections.push(await exploreSection(input, i));
    if (!options.registry) continue;
    let evals: EvalReport[];
    try {
      evals = await bestPointEvals(options.registry, input.header, input.records);
    } catch (e) {
      // A run from plug-ins or workload files not available here: the report still has everything else.
      if (!isTrimUserError(e)) throw e;
      sections.push({ title: 'Best point', body: `<p class="note">Per-layer plots unavailable: ${escapeHtml(e.message)}</p>` });
      continue;
    }
    for (const [j, r] of evals.entries()) sections.push(await evalSection(r, `${i}-best-${j}`, 'Best point: '));
  }
  return htmlPage(options.title ?? 'TRIM report', inputs.map((x) => x.path), sections);
}

/**
 * Reads the inputs, renders the report and writes it whole or not at all (core `writeFileSafely`: the target is
 * checked before the inputs are read, so a device, a folder or a read-only file fails before any work).
 */
export async function writeHtmlReport(paths: readonly string[], out: string, options: HtmlReportOptions = {}): Promise<{ bytes: number; plots: number }> {
  checkOutputFile(out, '--html');
  const html = await renderHtmlReport(paths.map(readReportInput), options);
  writeFileSafely(out, html, '--html');
  return { bytes: Buffer.byteLength(html), plots: (html.match(/<figure /g) ?? []).length };
}

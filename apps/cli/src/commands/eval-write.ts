import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { totalMacUnits, TrimUserError, writeFileAtomic, type EvalResult } from '@trim-dse/core';
import { evalCsv, evalJson, evalTables, runSummary, scaleSimReports, summaryCsv, type EvalReport } from '@trim-dse/report';

export interface EvalOutputOptions {
  readonly format: string;
  readonly summary: boolean;
  readonly breakdown: boolean;
  /** A file (a folder for `scalesim`); stdout when absent. */
  readonly out?: string;
}

/** The SCALE-Sim reports are per layer of a systolic array: its `sram` and `dram` levels, one PE per MAC unit. */
function scaleSimFiles(report: EvalReport & { readonly result: EvalResult }, dir: string): string[] {
  if (report.template !== 'systolic') {
    throw new TrimUserError(`--format scalesim: SCALE-Sim's reports describe a systolic array; ${report.arch} is a ${report.template} architecture`, {
      field: '--format',
      fix: 'use a systolic architecture (tpu-v1, systolic-32x32, a SCALE-Sim .cfg), or --format csv',
    });
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    throw new TrimUserError(`--out ${dir}: cannot create this folder`, { field: '--out', fix: 'give a folder path you can write' });
  }
  if (!statSync(dir).isDirectory()) throw new TrimUserError(`--out ${dir}: not a folder`, { field: '--out', fix: '--format scalesim writes three files into a folder' });
  const layers = report.result.layers.map((layer, i) => ({ layer, paddedMacs: report.result.costs[i].cost.paddedMacs }));
  const files = scaleSimReports(layers, totalMacUnits(report.result.hardware));
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileAtomic(path, text);
    written.push(path);
  }
  return written;
}

/** The text of one format. */
function render(report: EvalReport, o: EvalOutputOptions): string {
  switch (o.format) {
    case 'json':
      return evalJson(report, { summary: o.summary });
    case 'csv':
      return o.summary ? summaryCsv(runSummary(report.layers)) : evalCsv(report, { breakdown: o.breakdown });
    default:
      return evalTables(report, (report.dataflows?.length ?? 0) > 1, { summary: o.summary, breakdown: o.breakdown });
  }
}

/** Prints the result, or writes it (whole or not at all) to `--out` and says where. */
export function writeEvalOutput(report: EvalReport & { readonly result: EvalResult }, o: EvalOutputOptions): void {
  if (o.format === 'scalesim') {
    const files = scaleSimFiles(report, o.out!);
    process.stdout.write(`wrote ${files.join(', ')} (${report.layers.filter((l) => l.macs > 0).length} layers)\n`);
    return;
  }
  const text = render(report, o);
  if (o.out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileAtomic(o.out, text);
  } catch (e) {
    throw new TrimUserError(`--out ${o.out}: cannot write this file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { field: '--out', fix: 'give a path in a folder you can write' });
  }
  process.stdout.write(`wrote ${o.out} (${report.layers.length} ops, ${o.format})\n`);
}

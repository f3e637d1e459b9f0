import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { batched, checkOutputFile, checkOutputFolder, fsErrorText, totalMacUnits, TrimUserError, writeFileSafely, type EvalResult } from '@trim-dse/core';
import { evalCsv, evalJsonChunks, evalTables, runSummary, scaleSimReports, summaryCsv, type EvalReport } from '@trim-dse/report';

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
  checkOutputFolder(dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new TrimUserError(`--out ${dir}: cannot create this folder: ${fsErrorText(e)}`, { field: '--out', fix: 'give a folder path you can write' });
  }
  const layers = report.result.layers.map((layer, i) => ({ layer, paddedMacs: report.result.costs[i].cost.paddedMacs }));
  const files = scaleSimReports(layers, totalMacUnits(report.result.hardware));
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSafely(path, text);
    written.push(path);
  }
  return written;
}

/** The text of one format (JSON in pieces: a long network's report is written without one whole string). */
function render(report: EvalReport, o: EvalOutputOptions): string | Iterable<string> {
  switch (o.format) {
    case 'json':
      return evalJsonChunks(report, { summary: o.summary });
    case 'csv':
      return o.summary ? summaryCsv(runSummary(report.layers)) : evalCsv(report, { breakdown: o.breakdown });
    default:
      return evalTables(report, (report.dataflows?.length ?? 0) > 1, { summary: o.summary, breakdown: o.breakdown });
  }
}

/** Before any work: the output can be written (a file we may create or replace, or a folder for `scalesim`). */
export function checkEvalOutput(o: { readonly format: string; readonly out?: string }): void {
  if (o.out === undefined) return;
  if (o.format === 'scalesim') checkOutputFolder(o.out);
  else checkOutputFile(o.out);
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
    // stdout is synchronous for files and pipes on Linux, so batches do not pile up in memory.
    for (const batch of typeof text === 'string' ? [text] : batched(text)) process.stdout.write(batch);
    return;
  }
  writeFileSafely(o.out, text);
  process.stdout.write(`wrote ${o.out} (${report.layers.length} ops, ${o.format})\n`);
}

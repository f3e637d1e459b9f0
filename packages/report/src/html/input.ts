import { MAX_RESULTS_BYTES, readInputText, readResultsFile, RUN_SCHEMA, TrimUserError, type PointRecord, type RunHeader } from '@trim-dse/core';
import type { EvalDocument } from '../eval-output.js';

/** What `trim report` can read: a `trim explore` results file (JSONL) or `trim eval --format json` output. */
export type ReportInput =
  | { readonly kind: 'explore'; readonly path: string; readonly header: RunHeader; readonly records: readonly PointRecord[] }
  | { readonly kind: 'eval'; readonly path: string; readonly result: EvalDocument };

const EVAL_SCHEMA = 'trim.eval/v1';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks the fields the report reads, naming the first bad one. */
function checkEval(doc: Record<string, unknown>, path: string): EvalDocument {
  const bad = (field: string): never => {
    throw new TrimUserError(`${path}: ${EVAL_SCHEMA} field "${field}" is missing or malformed`, { field, fix: 'give the unmodified output of trim eval --format json' });
  };
  for (const k of ['workload', 'arch', 'phase']) if (typeof doc[k] !== 'string') bad(k);
  if (typeof doc.batch !== 'number') bad('batch');
  // The run's assumptions: in every document trim eval writes now; absent from those written before them.
  for (const k of ['template', 'precision', 'goal']) if (doc[k] !== undefined && typeof doc[k] !== 'string') bad(k);
  if (doc.clockMHz !== undefined && typeof doc.clockMHz !== 'number') bad('clockMHz');
  if (!isObject(doc.totals)) bad('totals');
  if (!Array.isArray(doc.layers)) bad('layers');
  (doc.layers as unknown[]).forEach((l, i) => {
    if (!isObject(l)) bad(`layers[${i}]`);
    const layer = l as Record<string, unknown>;
    for (const k of ['name', 'phase', 'dataflow']) if (typeof layer[k] !== 'string') bad(`layers[${i}].${k}`);
    for (const k of ['macs', 'cycles', 'computeCycles', 'stallCycles', 'utilization']) if (typeof layer[k] !== 'number') bad(`layers[${i}].${k}`);
    if (!isObject(layer.energyPj)) bad(`layers[${i}].energyPj`);
  });
  return doc as unknown as EvalDocument;
}

/** Reads one input file, telling a results file from an eval document by its schema. */
export function readReportInput(path: string): ReportInput {
  // A regular file within the results-file limit (an eval document is far smaller): checked before it is opened.
  const text = readInputText(path, { maxBytes: MAX_RESULTS_BYTES });
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  if (/"trim\.explore\.run\/v\d+"/.test(firstLine) || firstLine.includes(`"${RUN_SCHEMA}"`)) {
    const f = readResultsFile(path);
    return { kind: 'explore', path, header: f.header, records: f.records };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TrimUserError(`${path} is neither a trim explore results file (.jsonl) nor trim eval JSON`, {
      field: 'file',
      fix: 'give the --out file of trim explore or the output of trim eval --format json',
    });
  }
  if (!isObject(doc) || doc.schema !== EVAL_SCHEMA) {
    const schema = isObject(doc) && typeof doc.schema === 'string' ? ` (schema ${doc.schema})` : '';
    throw new TrimUserError(`${path}${schema} is neither a ${RUN_SCHEMA} results file nor ${EVAL_SCHEMA} JSON`, {
      field: 'file',
      fix: 'give the --out file of trim explore or the output of trim eval --format json',
    });
  }
  return { kind: 'eval', path, result: checkEval(doc, path) };
}

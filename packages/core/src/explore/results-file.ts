import { closeSync, existsSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { TrimUserError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import type { Constraints, GoalSpec } from './goal.js';
import type { PointRecord } from './point.js';
import type { SpaceParameter, WorkloadEntry } from './space.js';

export const RUN_SCHEMA = 'trim.explore.run/v1';

/**
 * The first line of a results file: what was explored and how. Equal headers mean the lines of two files come from
 * the same run (shards of it, or an interrupted part of it), so they can be merged or resumed.
 */
export interface RunHeader {
  schema: typeof RUN_SCHEMA;
  space: string;
  template: string;
  base: unknown;
  parameters: SpaceParameter[];
  dataflows: string[];
  workloads: WorkloadEntry[];
  goal: GoalSpec;
  constraints: Constraints;
  search: string;
  seed: number;
  budget: number;
  /** Points in the whole space. */
  points: number;
  /** Options given to configurable plug-ins for this run (`--plugin-option`, config files), when any. */
  pluginOptions?: Array<[string, Record<string, unknown>, string]>;
}

export interface ResultsFile {
  header: RunHeader;
  records: PointRecord[];
  /** Bytes of complete lines (a trailing partial line, from a killed run, is not counted). */
  completeBytes: number;
}

/** Reads a results file; a trailing line without its newline (a run killed mid-write) is ignored. */
export function readResultsFile(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new TrimUserError(`cannot read results file ${path}`, { field: path, fix: 'check the path' });
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  if (lines.length === 0) throw new TrimUserError(`${path}: empty results file (no header line)`, { field: path });
  const parse = (line: string, n: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(line) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    throw new TrimUserError(`${path}:${n}: not a JSON object (is this a trim explore results file?)`, { field: path });
  };
  const header = parse(lines[0], 1);
  if (header.schema !== RUN_SCHEMA) {
    throw new TrimUserError(`${path}: the first line is not a ${RUN_SCHEMA} header (is this a trim explore results file?)`, { field: path });
  }
  const records = lines.slice(1).map((l, i) => {
    const r = parse(l, i + 2);
    if (typeof r.index !== 'number') throw new TrimUserError(`${path}:${i + 2}: a result line without an index`, { field: path });
    return r as unknown as PointRecord;
  });
  return { header: header as unknown as RunHeader, records, completeBytes: Buffer.byteLength(text.slice(0, end)) };
}

export function sameRun(a: RunHeader, b: RunHeader): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The bytes of a finished results file: the header, then one line per point in point-index order. */
export function resultsFileText(header: RunHeader, records: readonly PointRecord[]): string {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  let out = `${canonicalJson(header)}\n`;
  for (const r of sorted) out += `${canonicalJson(r)}\n`;
  return out;
}

/** Writes a file whole and atomically (temporary file, then rename). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Streams records to a results file as they finish, one whole line per write; `finish` rewrites it in point order.
 * With `resume`, it keeps the complete lines of an earlier run of the same header and drops a partial last line.
 */
export class ResultsWriter {
  private fd: number;

  private constructor(
    readonly path: string,
    readonly header: RunHeader,
    readonly previous: PointRecord[],
  ) {
    this.fd = openSync(path, 'a');
  }

  static open(path: string, header: RunHeader, resume: boolean): ResultsWriter {
    if (resume && existsSync(path)) {
      const f = readResultsFile(path);
      if (!sameRun(f.header, header)) {
        throw new TrimUserError(`--resume: ${path} was written by a different run (space, workloads, goal, search, seed or budget differ)`, {
          field: '--resume',
          fix: 'rerun with the same options, or write to another --out',
        });
      }
      truncateSync(path, f.completeBytes);
      return new ResultsWriter(path, header, f.records);
    }
    writeFileSync(path, `${canonicalJson(header)}\n`);
    return new ResultsWriter(path, header, []);
  }

  append(record: PointRecord): void {
    writeSync(this.fd, `${canonicalJson(record)}\n`);
  }

  finish(records: readonly PointRecord[]): void {
    closeSync(this.fd);
    this.fd = -1;
    writeFileAtomic(this.path, resultsFileText(this.header, records));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Joins the files of one run's shards: the union of their points, in point order (the bytes of a single run). */
export function mergeResultsFiles(paths: readonly string[]): { header: RunHeader; records: PointRecord[]; text: string } {
  if (paths.length === 0) throw new TrimUserError('trim merge: give at least one results file', { field: 'files' });
  const files = paths.map((p) => ({ path: p, ...readResultsFile(p) }));
  const header = files[0].header;
  const byIndex = new Map<number, { line: string; record: PointRecord; path: string }>();
  for (const f of files) {
    if (!sameRun(f.header, header)) {
      throw new TrimUserError(`trim merge: ${f.path} comes from a different run than ${files[0].path} (their header lines differ)`, {
        field: 'files',
        fix: 'merge only the shards of one run (same space, workloads, goal, search, seed and budget)',
      });
    }
    for (const r of f.records) {
      const line = canonicalJson(r);
      const had = byIndex.get(r.index);
      if (had && had.line !== line) {
        throw new TrimUserError(`trim merge: point ${r.index} differs between ${had.path} and ${f.path}`, { field: 'files' });
      }
      if (!had) byIndex.set(r.index, { line, record: r, path: f.path });
    }
  }
  const records = [...byIndex.values()].map((e) => e.record);
  return { header, records, text: resultsFileText(header, records) };
}

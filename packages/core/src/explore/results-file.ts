import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { TrimUserError } from '../errors.js';
import type { MapperSetting } from '../map-search.js';
import { checkOutputFile, MAX_RESULTS_BYTES, readInputText, writeFileSafely } from '../safe-file.js';
import { canonicalJson, FORBIDDEN_KEYS } from './canonical-json.js';
import { goalScore, type Constraints, type GoalSpec } from './goal.js';
import { Grid } from './grid.js';
import type { PointRecord } from './point.js';
import { ResultsLock } from './results-lock.js';
import { recordSum, runIdOf } from './run-id.js';
import type { SpaceParameter, WorkloadEntry } from './space.js';

export const RUN_SCHEMA = 'trim.explore.run/v2';
const OLDER_SCHEMAS = ['trim.explore.run/v1'];

/**
 * The first line of a results file: what was explored and how, under a run identifier (`runId`, a hash of the
 * fields that decide the points and their figures, the shard count included). Every record line carries the run id
 * and a checksum, so lines of another run, edited lines and out-of-range indices are refused with their line number.
 */
export interface RunHeader {
  schema: typeof RUN_SCHEMA;
  runId: string;
  /** This file's shard, 1-based (1 of 1 unsharded). Not part of the run id: the shards of a run share it. */
  shard: number;
  shards: number;
  space: string;
  template: string;
  base: unknown;
  parameters: SpaceParameter[];
  dataflows: string[];
  workloads: WorkloadEntry[];
  /** SHA-256 (16 hex digits) of every workload that is a file. */
  workloadFiles: Record<string, string>;
  goal: GoalSpec;
  constraints: Constraints;
  search: string;
  seed: number;
  budget: number;
  /** Points in the whole space. */
  points: number;
  /** Options given to configurable plug-ins for this run (`--plugin-option`, config files), when any. */
  pluginOptions?: Array<[string, Record<string, unknown>, string]>;
  /** How each point's mapspaces were walked (`--mapper`, `--mapper-budget`), when not the default (`auto`, no budget). */
  mapper?: MapperSetting;
  /** Records in the file; written when the run finished (absent while it runs, or after it was killed). */
  evaluated?: number;
}

/** The fields of a header that make up its run id (with `runId`, `shard` and `evaluated` left out). */
export type RunIdentity = Omit<RunHeader, 'runId' | 'shard' | 'evaluated'>;

/** A header for shard `shard` (1-based) of `shards`, with the run id of that shard count. */
export function runHeader(identity: RunIdentity, shard = 1): RunHeader {
  const { runId: _r, shard: _s, evaluated: _e, ...fields } = identity as RunHeader;
  return { ...fields, runId: runIdOf(fields as unknown as Record<string, unknown>), shard };
}

export interface ResultsFile {
  header: RunHeader;
  records: PointRecord[];
  /** Line number (1-based) of each record, for messages. */
  lines: number[];
  /** Bytes of complete lines (a trailing partial line, from a killed run, is not counted). */
  completeBytes: number;
}

/** One record as a line: its canonical JSON with the run id and its checksum. */
export function recordLine(runId: string, record: PointRecord): string {
  const json = canonicalJson(record);
  return canonicalJson({ ...record, run: runId, sum: recordSum(runId, json) });
}

/**
 * The bytes of a results file: the header, then one line per point in point-index order. `finished` (default) marks
 * the run complete (`evaluated` in the header); a file still being written lacks it.
 */
export function resultsFileText(header: RunHeader, records: readonly PointRecord[], finished = true): string {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const { evaluated: _e, ...h } = header;
  let out = `${canonicalJson(finished ? { ...h, evaluated: sorted.length } : h)}\n`;
  for (const r of sorted) out += `${recordLine(header.runId, r)}\n`;
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * JSON.parse that refuses keys which would reach an object's prototype when the data is copied, and numbers beyond
 * doubles (1e999 parses as Infinity, which no run writes and no JSON can hold).
 */
function parseLine(line: string): unknown {
  return JSON.parse(line, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`the key "${key}" is not allowed`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new SyntaxError(`the key "${key}" holds a number beyond doubles`);
    return value;
  });
}

/** Every number of a record (outside `hardware`, which the grid checks) finite and non-negative. */
function badNumber(v: unknown, path: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? undefined : `${path} = ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const b = badNumber(v[i], `${path}[${i}]`);
      if (b) return b;
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (path === '' && k === 'hardware') continue;
      const b = badNumber(x, path ? `${path}.${k}` : k);
      if (b) return b;
    }
  }
  return undefined;
}

/** Why a header line cannot be trusted, or undefined. */
function headerProblem(h: Record<string, unknown>): string | undefined {
  if (typeof h.runId !== 'string') return 'it has no run id';
  if (!isCount(h.shards) || h.shards < 1 || !isCount(h.shard) || h.shard < 1 || h.shard > h.shards) return 'its shard fields are malformed';
  if (!isCount(h.points) || !isCount(h.budget) || h.budget > h.points || !Number.isSafeInteger(h.seed)) return 'its point counts or seed are malformed';
  if (h.evaluated !== undefined && !isCount(h.evaluated)) return 'its point count is malformed';
  if (!Array.isArray(h.parameters) || !h.parameters.every((p) => isObject(p) && typeof p.path === 'string' && Array.isArray(p.values) && p.values.length > 0)) {
    return 'its parameters are malformed';
  }
  if (runIdOf(h) !== h.runId) return 'it was modified (its run id does not match its fields)';
  return undefined;
}

/** Why a record cannot be trusted, or undefined. */
function recordProblem(r: Record<string, unknown>, h: RunHeader, grid: Grid): string | undefined {
  const { run, sum, ...record } = r;
  if (run !== h.runId) return `it belongs to another run (run id ${typeof run === 'string' ? run.slice(0, 16) : 'missing'}, this file's ${h.runId})`;
  if (typeof sum !== 'string' || recordSum(h.runId, canonicalJson(record)) !== sum) return 'it was modified (its checksum does not match)';
  const index = record.index;
  if (!isCount(index) || index >= h.points) return `its index ${String(index)} is outside the space's ${h.points} points`;
  if (index % h.shards !== h.shard - 1) return `its index ${index} is not a point of shard ${h.shard}/${h.shards}`;
  if (canonicalJson(record.hardware) !== canonicalJson(grid.valuesAt(index))) return `its hardware values are not those of point ${index}`;
  if (record.status !== 'ok' && record.status !== 'infeasible') return 'its status is neither ok nor infeasible';
  const bad = badNumber(record, '');
  if (bad) return `it holds a number that no run writes (${bad})`;
  if (!isCount(record.mappings)) return 'its mapping count is malformed';
  if (record.score !== undefined) {
    const t = record.totals;
    if (!isObject(t)) return 'it has a score without totals';
    const area = isObject(record.resources) ? (record.resources.areaMm2 as number | undefined) : undefined;
    const score = goalScore(h.goal, { seconds: t.seconds as number, energyPj: t.energyPj as number, edp: t.edp as number, areaMm2: area });
    if (score !== record.score) return `its score ${String(record.score)} is not the goal of its totals (${score})`;
  }
  if (record.status === 'ok') {
    const o = record.objectives;
    const t = record.totals as Record<string, unknown> | undefined;
    if (!Array.isArray(o) || o.length !== 3 || o[0] !== record.score || o[1] !== t?.seconds || o[2] !== t?.energyPj) return 'its objectives are not its score, seconds and energy';
  } else if (record.objectives !== undefined) return 'an infeasible point has objectives';
  return undefined;
}

type Parsed = { empty: true; firstLine?: string } | ({ empty: false } & ResultsFile);

/**
 * Reads and checks a results file. A trailing line without its newline (a run killed mid-write) is ignored; a file
 * with no complete line is `empty`.
 */
function parseResults(path: string, label: string): Parsed {
  const text = readInputText(path, { label, maxBytes: MAX_RESULTS_BYTES });
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  if (lines.length === 0) return { empty: true };
  const fail = (line: number, why: string, fix = 'use the file trim explore wrote, unmodified') => new TrimUserError(`${label}:${line}: ${why}`, { field: label, fix });
  let first: unknown;
  try {
    first = parseLine(lines[0]);
  } catch {
    first = undefined;
  }
  if (!isObject(first) || (first.schema !== RUN_SCHEMA && !OLDER_SCHEMAS.includes(first.schema as string))) {
    throw fail(1, `not a ${RUN_SCHEMA} header (is this a trim explore results file?)`, 'give the --out file of trim explore');
  }
  if (first.schema !== RUN_SCHEMA) throw fail(1, `written by an earlier TRIM (${String(first.schema)}, without run ids or checksums)`, 'rerun the exploration with this version');
  const problem = headerProblem(first);
  if (problem) throw fail(1, `the header cannot be trusted: ${problem}`);
  const header = first as unknown as RunHeader;
  if (lines.length === 1) return { empty: true, firstLine: lines[0] };
  const grid = new Grid(header.parameters);
  if (grid.size !== header.points) throw fail(1, `the header cannot be trusted: its parameters give ${grid.size} points, not ${header.points}`);
  const records: PointRecord[] = [];
  const numbers: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    let v: unknown;
    try {
      v = parseLine(lines[i]);
    } catch (e) {
      throw fail(i + 1, `not a JSON record (${e instanceof SyntaxError && e.message.startsWith('the key ') ? e.message : 'malformed JSON'})`);
    }
    if (!isObject(v)) throw fail(i + 1, 'not a JSON record');
    const why = recordProblem(v, header, grid);
    if (why) throw fail(i + 1, why);
    const { run: _run, sum: _sum, ...record } = v;
    const index = record.index as number;
    const dup = seen.get(index);
    if (dup !== undefined) throw fail(i + 1, `point ${index} is already on line ${dup}`);
    seen.set(index, i + 1);
    records.push(record as unknown as PointRecord);
    numbers.push(i + 1);
  }
  if (header.evaluated !== undefined && header.evaluated !== records.length) {
    throw fail(1, `the finished run wrote ${header.evaluated} points but the file holds ${records.length} (lines were removed, added or cut)`);
  }
  return { empty: false, header, records, lines: numbers, completeBytes: Buffer.byteLength(text.slice(0, end)) };
}

/** Reads a results file, checking every line (see `RunHeader`); a file without records is an error here. */
export function readResultsFile(path: string, label = path): ResultsFile {
  const f = parseResults(path, label);
  if (f.empty) {
    if (f.firstLine === undefined) throw new TrimUserError(`${label}: empty results file (no header line)`, { field: label, fix: 'give the --out file of a trim explore run' });
    const header = JSON.parse(f.firstLine) as RunHeader;
    return { header, records: [], lines: [], completeBytes: Buffer.byteLength(f.firstLine) + 1 };
  }
  return f;
}

/** The header fields in which two runs differ, for messages. */
function differences(a: RunHeader, b: RunHeader): string[] {
  const names: Array<[keyof RunHeader, string]> = [
    ['space', 'space'],
    ['template', 'template'],
    ['base', 'base architecture (or --set)'],
    ['parameters', 'parameters'],
    ['dataflows', 'dataflows'],
    ['workloads', 'workloads'],
    ['workloadFiles', 'workload file contents'],
    ['goal', 'goal'],
    ['constraints', 'constraints'],
    ['search', 'search'],
    ['seed', 'seed'],
    ['budget', 'budget'],
    ['pluginOptions', 'plug-in options'],
    ['mapper', 'mapper (--mapper, --mapper-budget)'],
    ['shards', 'shard count'],
  ];
  return names.filter(([k]) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)).map(([, n]) => (n === 'shard count' ? `shard count (${a.shards} vs ${b.shards})` : n));
}

/**
 * Streams records to a results file as they finish, one whole line per write; `finish` rewrites it in point order.
 * The file is locked for the run (`ResultsLock`). With `resume`, the records of an earlier run of the same run id
 * and shard are kept (a torn last line dropped); a 0-byte or header-only file is a fresh start.
 */
export class ResultsWriter {
  private fd: number;

  private constructor(
    readonly path: string,
    readonly target: string,
    readonly header: RunHeader,
    readonly previous: PointRecord[],
    /** Line of each previous record in the file resumed from. */
    readonly previousLines: number[],
    private readonly lock: ResultsLock,
  ) {
    this.fd = openSync(target, 'a');
  }

  static open(path: string, header: RunHeader, resume: boolean, flag = '--out'): ResultsWriter {
    const target = checkOutputFile(path, flag).target;
    const lock = ResultsLock.acquire(target, flag);
    try {
      let previous: PointRecord[] = [];
      let lines: number[] = [];
      let existing: Parsed = { empty: true };
      // A missing file is a fresh start (the first attempt of a requeued job).
      if (resume && existsSync(target)) existing = parseResults(target, path);
      if (!existing.empty) {
        const f = existing;
        if (f.header.runId !== header.runId) {
          throw new TrimUserError(`--resume: ${path} was written by a different run (${differences(f.header, header).join(', ') || 'run id'} differ)`, {
            field: '--resume',
            fix: 'rerun with the same options and files, or write to another --out',
          });
        }
        if (f.header.shard !== header.shard) {
          throw new TrimUserError(`--resume: ${path} holds shard ${f.header.shard}/${f.header.shards}, this run is shard ${header.shard}/${header.shards}`, {
            field: '--shard',
            fix: `resume it with --shard ${f.header.shard}/${f.header.shards}, or write this shard to another --out`,
          });
        }
        previous = f.records;
        lines = f.lines;
      }
      // The file as it will be appended to: the header (not yet finished) and the records kept.
      writeFileSafely(target, resultsFileText(header, previous, false), flag);
      return new ResultsWriter(path, target, header, previous, lines, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  append(record: PointRecord): void {
    writeSync(this.fd, `${recordLine(this.header.runId, record)}\n`);
  }

  finish(records: readonly PointRecord[]): void {
    this.closeFile();
    try {
      writeFileSafely(this.target, resultsFileText(this.header, records));
    } finally {
      this.lock.release();
    }
  }

  close(): void {
    this.closeFile();
    this.lock.release();
  }

  private closeFile(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export interface MergeResult {
  header: RunHeader;
  records: PointRecord[];
  text: string;
  /** What is missing from a partial union (`allowPartial`): empty when the run is complete. */
  missing: string[];
}

/** Up to `n` items, then "…". */
const firstOf = (xs: readonly (number | string)[], n = 10) => `${xs.slice(0, n).join(', ')}${xs.length > n ? `, … (${xs.length} in all)` : ''}`;

/**
 * Joins the files of one run's shards: the union of their points in point order, as the unsharded run writes it
 * (byte for byte). Every file is checked line by line; files of other runs or other shard counts, two files of one
 * shard, a missing or unfinished shard are refused (the last two allowed with `allowPartial`, which then lists them).
 */
export function mergeResultsFiles(paths: readonly string[], options: { allowPartial?: boolean } = {}): MergeResult {
  if (paths.length === 0) throw new TrimUserError('trim merge: give at least one results file', { field: 'files' });
  const files = paths.map((p) => ({ path: p, ...readResultsFile(p) }));
  const first = files[0];
  const byShard = new Map<number, string>();
  const partial: string[] = [];
  for (const f of files) {
    if (f.header.runId !== first.header.runId) {
      const diff = differences(f.header, first.header);
      throw new TrimUserError(`trim merge: ${f.path} comes from a different run than ${first.path} (${diff.join(', ') || 'run id'} differ)`, {
        field: 'files',
        fix: 'merge only the shards of one run (same space, workloads and their files, goal, search, seed, budget and shard count)',
      });
    }
    const had = byShard.get(f.header.shard);
    if (had !== undefined) {
      throw new TrimUserError(`trim merge: ${had} and ${f.path} are both shard ${f.header.shard}/${f.header.shards}`, { field: 'files', fix: 'give each shard\'s file once' });
    }
    byShard.set(f.header.shard, f.path);
    if (f.header.evaluated === undefined) partial.push(`shard ${f.header.shard}/${f.header.shards} (${f.path}) did not finish (${f.records.length} points)`);
  }
  const shards = first.header.shards;
  const absent: number[] = [];
  for (let s = 1; s <= shards; s++) if (!byShard.has(s)) absent.push(s);
  const missing: string[] = [];
  if (absent.length > 0) missing.push(`shard${absent.length > 1 ? 's' : ''} ${firstOf(absent.map((s) => `${s}/${shards}`))} missing`);
  missing.push(...partial);
  const records = files.flatMap((f) => f.records);
  const budget = first.header.budget;
  if (records.length < budget) {
    // An exhaustive run over the whole space has every index below the budget: name the ones missing.
    const have = new Set(records.map((r) => r.index));
    const holes: number[] = [];
    if (budget === first.header.points) for (let i = 0; i < budget && holes.length < 11; i++) if (!have.has(i)) holes.push(i);
    missing.push(`${budget - records.length} of the run's ${budget} points missing${holes.length ? ` (indices ${firstOf(holes)})` : ''}`);
  }
  if (missing.length > 0 && !options.allowPartial) {
    throw new TrimUserError(`trim merge: the union is incomplete: ${missing.join('; ')}`, {
      field: 'files',
      fix: 'give every shard\'s finished file (resume unfinished shards with --resume), or merge anyway with --allow-partial',
    });
  }
  const { evaluated: _e, shard: _s, runId: _r, ...identity } = first.header;
  const header = runHeader({ ...identity, shards: 1 });
  return { header, records, text: resultsFileText(header, records, missing.length === 0), missing };
}

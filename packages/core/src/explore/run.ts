import { TrimUserError } from '../errors.js';
import type { SearchPoint } from '../plugin.js';
import type { PointBackend } from './pool.js';
import type { PointRecord } from './point.js';
import type { PreparedExplore } from './prepare.js';
import { ResultsWriter, runHeader } from './results-file.js';
import { summarize, type ExploreSummary } from './summary.js';

export interface Shard {
  /** 0-based shard number. */
  readonly index: number;
  readonly count: number;
}

/** `--shard i/N` (1-based i as users count, or 0-based when written 0/N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const bad = () => new TrimUserError(`--shard ${text}: expected i/N with 1 ≤ i ≤ N (e.g. --shard 2/8)`, { field: '--shard' });
  if (!m) throw bad();
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i > n) throw bad();
  if (i === 0) return { index: 0, count: n };
  return { index: i - 1, count: n };
}

export interface RunOptions {
  readonly prepared: PreparedExplore;
  readonly backend: PointBackend;
  /** Points asked from the strategy at a time, evaluated in parallel, then told in the order asked. Fixed (not
   *  tied to the worker count) so that results do not depend on how many workers ran them. */
  readonly batchSize?: number;
  readonly shard?: Shard;
  readonly out?: string;
  readonly resume?: boolean;
  onProgress?(done: number, total: number): void;
}

export interface RunResult {
  readonly records: PointRecord[];
  readonly summary: ExploreSummary;
  /** Points taken from an earlier run's file instead of being evaluated. */
  readonly resumed: number;
}

const INFEASIBLE = [Infinity, Infinity, Infinity];

/**
 * The outer search: asks the strategy for hardware points, evaluates them (inner mapping search per point), tells it
 * the objectives in the order asked, streams each finished point to the results file, and at the end rewrites the
 * file in point order. Budget = distinct points proposed (shards count the points they skip, so that the shards of
 * a run together evaluate exactly the points of the unsharded run).
 */
export async function runExplore(o: RunOptions): Promise<RunResult> {
  const { prepared: p, backend } = o;
  const shard = o.shard ?? { index: 0, count: 1 };
  if (shard.count > 1 && !p.search.oblivious) {
    throw new TrimUserError(`--shard: search ${p.search.name} adapts to the results it sees, so its shards would not add up to one run`, {
      field: '--shard',
      fix: 'shard an exhaustive or random search, or run the adaptive search whole (with --workers)',
    });
  }
  const strategy = p.search.create(
    { sizes: p.grid.sizes, names: p.grid.names, objectives: ['score', 'seconds', 'energyPj'] },
    { seed: p.header.seed, budget: p.budget, config: p.searchConfig },
  );
  const header = shard.count > 1 ? runHeader({ ...p.header, shards: shard.count }, shard.index + 1) : p.header;
  const writer = o.out ? ResultsWriter.open(o.out, header, o.resume ?? false) : undefined;
  const earlier = new Map<number, { record: PointRecord; line: number }>();
  writer?.previous.forEach((r, i) => earlier.set(r.index, { record: r, line: writer.previousLines[i] }));
  const results = new Map<number, PointRecord>();
  const proposed = new Set<number>();
  const batch = o.batchSize ?? 32;
  const mine = (idx: number) => idx % shard.count === shard.index;
  const total = shard.count > 1 ? Math.ceil(p.budget / shard.count) : p.budget;
  let resumed = 0;
  let asked = 0;
  const maxAsks = p.budget * 50 + 1000;
  try {
    while (proposed.size < p.budget && asked < maxAsks) {
      const points = strategy.ask(Math.min(batch, p.budget - proposed.size));
      if (points.length === 0) break;
      asked += points.length;
      const told: Array<{ point: SearchPoint; index: number }> = [];
      const pending: Promise<void>[] = [];
      for (const point of points) {
        const index = p.grid.indexOf(point);
        if (!proposed.has(index)) {
          if (proposed.size >= p.budget) continue;
          proposed.add(index);
          if (!mine(index)) continue;
          const had = earlier.get(index);
          if (had) {
            results.set(index, had.record);
            earlier.delete(index);
            resumed++;
          } else {
            pending.push(
              backend.run(index).then((r) => {
                writer?.append(r);
                results.set(index, r);
                o.onProgress?.(results.size, total);
              }),
            );
          }
        }
        if (mine(index)) told.push({ point, index });
      }
      const settled = await Promise.allSettled(pending);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      for (const t of told) {
        const r = results.get(t.index)!;
        strategy.tell(t.point, r.objectives ?? INFEASIBLE);
      }
      o.onProgress?.(results.size, total);
    }
    // Every record resumed must be a point this run proposes: one it never proposes was not written by it.
    const stray = earlier.values().next();
    if (!stray.done) {
      throw new TrimUserError(`--resume: ${o.out}:${stray.value.line}: point ${stray.value.record.index} is not one this run evaluates`, {
        field: '--resume',
        fix: 'use the file trim explore wrote, unmodified',
      });
    }
  } catch (e) {
    writer?.close();
    throw e;
  }
  const records = [...results.values()].sort((a, b) => a.index - b.index);
  writer?.finish(records);
  const summary = summarize({ goal: p.header.goal, space: p.header.space, search: p.header.search }, records);
  return { records, summary, resumed };
}

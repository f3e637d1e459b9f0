import { setImmediate as nextTurn } from 'node:timers/promises';
import { TrimInternalError, TrimUserError } from '../errors.js';
import type { Registry } from '../registry.js';
import { sharedMemoBuffer } from '../memo-table.js';
import { canonicalJson } from './canonical-json.js';
import { createPointContext, evaluatePoint, type ExploreJob, type PointRecord } from './point.js';
import type { PointTask, TaskOutcome } from './worker.js';

/** Evaluates points somewhere (this thread, or a pool of worker threads). Results do not depend on where. */
export interface PointBackend {
  run(index: number): Promise<PointRecord>;
  close(): Promise<void>;
}

/** Evaluates in this thread, one point per event-loop turn (so progress bars and signals get a chance). */
export async function inlineBackend(registry: Registry, job: ExploreJob): Promise<PointBackend> {
  const ctx = await createPointContext(registry, job);
  return {
    async run(index) {
      await nextTurn();
      return evaluatePoint(ctx, index);
    },
    async close() {},
  };
}

export interface WorkerBackendOptions {
  readonly workers: number;
  /** URL of a module exporting `createRegistry(options)`; every worker builds its own registry from it. */
  readonly registryModule: string;
  readonly registryOptions?: unknown;
  readonly job: ExploreJob;
}

/**
 * The worker file: `worker.js` when built; when running from the TypeScript sources, a small `.mjs` entry that
 * registers tsx inside the worker first (worker threads do not inherit a loader registered with `--import`).
 */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { filename: new URL('./worker.js', here).href, execArgv: process.execArgv };
  const cond = '--conditions=@trim-dse/source';
  const execArgv = process.execArgv.includes(cond) ? process.execArgv : [...process.execArgv, cond];
  return { filename: new URL('./worker-source.mjs', here).href, execArgv };
}

/** A piscina pool of `workers` threads. */
export async function workerBackend(o: WorkerBackendOptions): Promise<PointBackend> {
  const { Piscina } = await import('piscina');
  const { filename, execArgv } = workerFile();
  const pool = new Piscina<PointTask, TaskOutcome>({ filename, execArgv, minThreads: o.workers, maxThreads: o.workers, idleTimeout: 60_000 });
  const jobKey = canonicalJson({ job: o.job, registryModule: o.registryModule, registryOptions: o.registryOptions ?? null });
  // One memo table for every worker of the run: a value one worker computed is a hit in the others.
  const sharedMemo = sharedMemoBuffer();
  return {
    async run(index) {
      const out = await pool.run({ registryModule: o.registryModule, registryOptions: o.registryOptions ?? null, jobKey, job: o.job, index, sharedMemo });
      if (out.ok) return out.record;
      if (out.user) throw new TrimUserError(out.message);
      throw new TrimInternalError(`worker: ${out.message}`);
    },
    async close() {
      await pool.destroy();
    },
  };
}

/** One thread (workers ≤ 1) evaluates inline; more use a worker pool. */
export async function createBackend(o: WorkerBackendOptions & { registry: Registry }): Promise<PointBackend> {
  return o.workers <= 1 ? inlineBackend(o.registry, o.job) : workerBackend(o);
}

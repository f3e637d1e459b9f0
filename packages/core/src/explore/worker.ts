import type { Registry } from '../registry.js';
import { useSharedMemo } from '../memo-table.js';
import { createPointContext, evaluatePoint, type ExploreJob, type PointContext, type PointRecord } from './point.js';

/** A unit of work for a worker thread: one point of one job. */
export interface PointTask {
  /** URL of a module exporting `createRegistry(options)` (the CLI's built-ins, or a test's registry). */
  readonly registryModule: string;
  readonly registryOptions: unknown;
  /** Identifies the job, so that a worker prepares it (registry, lowered workloads) only once. */
  readonly jobKey: string;
  readonly job: ExploreJob;
  readonly index: number;
  /** The run's shared memo table (one buffer for every worker: `SharedMemo`); shared, not copied, by postMessage. */
  readonly sharedMemo?: SharedArrayBuffer;
}

export type TaskOutcome = { ok: true; record: PointRecord } | { ok: false; user: boolean; message: string };

interface RegistryModule {
  createRegistry(options?: unknown): Registry | Promise<Registry>;
}

const contexts = new Map<string, Promise<PointContext>>();

async function contextFor(t: PointTask): Promise<PointContext> {
  let c = contexts.get(t.jobKey);
  if (!c) {
    c = (async () => {
      const mod = (await import(t.registryModule)) as RegistryModule;
      return createPointContext(await mod.createRegistry(t.registryOptions ?? undefined), t.job);
    })();
    contexts.set(t.jobKey, c);
  }
  return c;
}

/** Piscina task: evaluates one point. Errors come back as data (a user error keeps its one-line message). */
export default async function evaluateTask(t: PointTask): Promise<TaskOutcome> {
  try {
    if (t.sharedMemo) useSharedMemo(t.sharedMemo);
    return { ok: true, record: await evaluatePoint(await contextFor(t), t.index) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, user: err.name === 'TrimUserError', message: err.message };
  }
}

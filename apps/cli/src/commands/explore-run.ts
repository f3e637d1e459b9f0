import { availableParallelism } from 'node:os';
import {
  checkOutputFile,
  checkPrecision,
  checkSpacePoints,
  createBackend,
  parseShard,
  prepareExplore,
  resolveSpace,
  runExplore,
  summaryTable,
  TrimUserError,
  type ExploreSpace,
  type GoalSpec,
  type Registry,
} from '@trim-dse/core';
import { workloadOptions } from './eval.js';
import { TRAINING_FLAGS } from './training-flags.js';
import { startProgress } from './progress.js';
import { positiveInt } from './shared.js';

function integer(raw: unknown, flag: string): number {
  const text = String(raw).trim();
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new TrimUserError(`${flag} ${JSON.stringify(String(raw))}: expected an integer`, { field: flag, fix: `write ${flag} 1` });
  return n;
}

/**
 * `--workers`: more threads than CPUs only share the same cores (each thread also holds its own registry and lowered
 * workloads, tens of MB), so the count is capped at the CPUs this process may use, with a warning.
 */
function workerCount(raw: unknown, warn: (m: string) => void): number {
  const asked = positiveInt(raw, '--workers');
  const cpus = Math.max(1, availableParallelism());
  if (asked <= cpus) return asked;
  warn(`--workers ${asked}: this machine has ${cpus} CPU${cpus === 1 ? '' : 's'}, so ${cpus} worker${cpus === 1 ? '' : 's'} will run`);
  return cpus;
}

/**
 * The training flags as phase-model options: they apply to the `--workload` with `--phase training`, or to the space
 * file's training workloads; given where no workload trains, they are an error (they would change nothing).
 */
function exploreTrainingOptions(opts: Record<string, unknown>, space: ExploreSpace): Record<string, unknown> {
  const trains = opts.workload ? opts.phase === 'training' : (space.workloads ?? []).some((w) => w.phase === 'training');
  const out: Record<string, unknown> = {};
  for (const [flag, key] of TRAINING_FLAGS) {
    if (opts[flag] === undefined) continue;
    const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const fix = opts.workload ? 'add --phase training' : 'give the space file a workload with phase: training';
    if (!trains) throw new TrimUserError(`${name} applies only to training workloads: ${fix}`, { field: name, fix });
    out[key] = opts[flag];
  }
  return out;
}

/**
 * `--seq`, `--context`, `--causal`: options of the `--workload`, checked as `trim eval` checks them (a space file's
 * workloads give their own `seq`, `context`, `causal`).
 */
function exploreSequenceOptions(opts: Record<string, unknown>): { seq?: number; context?: number; causal?: boolean } {
  if (!opts.workload) {
    const flag = ['seq', 'context', 'causal'].find((f) => opts[f] !== undefined);
    if (flag !== undefined) throw new TrimUserError(`--${flag} applies to the --workload: give --workload, or set ${flag} in the space file's workloads`, { field: `--${flag}`, fix: `add --workload, or write ${flag}: in the space file` });
    return {};
  }
  const w = workloadOptions(opts, String(opts.phase));
  return { ...(w.seqLen !== undefined ? { seq: w.seqLen as number } : {}), ...(w.context !== undefined ? { context: w.context as number } : {}), ...(w.causal ? { causal: true } : {}) };
}

export interface ExploreCommandEnv {
  createRegistry: () => Promise<Registry>;
  /** `--plugin-option`s, replayed in every worker's registry. */
  pluginOptions?: Array<[string, Record<string, unknown>, string]>;
  registryModule: string;
  /** What every worker thread's `createRegistry` gets: the parent's config (or null for none), never its own choice. */
  registryOptions: { config: string | null };
}

/** `trim explore`: resolves the space, runs the search (inline or on worker threads), prints the summary. */
export async function runExploreCommand(opts: Record<string, unknown>, env: ExploreCommandEnv): Promise<void> {
  if (opts.resume && !opts.out) throw new TrimUserError('--resume needs --out <file> (the results file to continue)', { field: '--resume' });
  // Before any work: the results file can be written (not a device, a folder or a read-only file).
  if (opts.out) checkOutputFile(String(opts.out));
  const shard = opts.shard ? parseShard(String(opts.shard)) : undefined;
  // The warning waits until the run starts: an input error before it stays the one line on stderr.
  const warnings: string[] = [];
  const workers = workerCount(opts.workers, (m) => warnings.push(m));
  const registry = await env.createRegistry();
  const space = resolveSpace(registry, String(opts.space));
  const prepared = prepareExplore(registry, {
    space,
    ...(opts.workload ? { workload: String(opts.workload) } : {}),
    phase: opts.phase as 'inference' | 'training' | 'prefill' | 'decode',
    batch: positiveInt(opts.batch, '--batch'),
    ...exploreSequenceOptions(opts),
    ...(opts.only ? { only: String(opts.only) } : {}),
    ...(opts.precision ? { precision: checkPrecision(opts.precision, '--precision') } : {}),
    ...(env.pluginOptions?.length ? { pluginOptions: env.pluginOptions } : {}),
    sets: opts.set as string[],
    phaseOptions: exploreTrainingOptions(opts, space),
    ...(opts.goal ? { goal: opts.goal as GoalSpec } : {}),
    search: String(opts.search),
    seed: integer(opts.seed, '--seed'),
    ...(opts.budget !== undefined ? { budget: positiveInt(opts.budget, '--budget') } : {}),
    mapper: String(opts.mapper ?? 'auto'),
    ...(opts.mapperBudget !== undefined ? { mapperBudget: positiveInt(opts.mapperBudget, '--mapper-budget') } : {}),
  });
  checkSpacePoints(registry, prepared);
  for (const m of warnings) process.stderr.write(`trim: warning: ${m}\n`);
  const backend = await createBackend({ workers, registry, registryModule: env.registryModule, registryOptions: env.registryOptions, job: prepared.job });
  const progress = startProgress(!opts.quiet);
  try {
    const result = await runExplore({
      prepared,
      backend,
      ...(shard ? { shard } : {}),
      ...(opts.out ? { out: String(opts.out) } : {}),
      resume: Boolean(opts.resume),
      onProgress: progress.update,
    });
    progress.stop();
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
    else {
      const notes = [result.resumed ? `${result.resumed} points taken from ${String(opts.out)}` : '', shard ? `shard ${shard.index + 1}/${shard.count}` : '']
        .filter(Boolean)
        .join('; ');
      process.stdout.write(`${summaryTable(result.summary)}${notes ? `\n(${notes})` : ''}\n`);
    }
  } finally {
    progress.stop();
    await backend.close();
  }
}

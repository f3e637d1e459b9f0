import { checkFusion, checkPrecision, evaluateRequest, readZeroFractions, TrimUserError, type EvalResult, type Goal } from '@trim-dse/core';
import type { EvalReport, MemoryFootprint } from '@trim-dse/report';
import { startEvalProgress } from './eval-progress.js';
import { checkEvalOutput, writeEvalOutput } from './eval-write.js';
import { positiveInt, registryFor } from './shared.js';
import { TRAINING_FLAGS } from './training-flags.js';


const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The training flags given, as phase-model options; a user error when the phase is not training. */
export function trainingOptions(opts: Record<string, unknown>, phase: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, key] of TRAINING_FLAGS) {
    if (opts[flag] === undefined) continue;
    if (phase !== 'training') throw new TrimUserError(`${flagName(flag)} applies only with --phase training: add --phase training`, { field: flagName(flag), fix: 'add --phase training' });
    out[key] = opts[flag];
  }
  return out;
}

/** `--seq`, `--context` and `--causal` as workload options (`--context` only with `--phase decode`). */
export function workloadOptions(opts: Record<string, unknown>, phase: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts.seq !== undefined) {
    if (phase === 'decode') throw new TrimUserError('--seq sets the prompt length; a decode step has one new token: use --context', { field: '--seq', fix: 'use --context N with --phase decode' });
    out.seqLen = positiveInt(opts.seq, '--seq');
  }
  if (opts.context !== undefined) {
    if (phase !== 'decode') throw new TrimUserError('--context applies only with --phase decode: add --phase decode', { field: '--context', fix: 'add --phase decode' });
    out.context = positiveInt(opts.context, '--context');
  }
  if (opts.causal === true) out.causal = true;
  return out;
}

/** Training: what one step keeps in memory, from the training phase model's ops as they were priced. */
async function footprintOf(result: EvalResult): Promise<MemoryFootprint | undefined> {
  if (result.phase !== 'training') return undefined;
  const { stepFootprint } = await import('@trim-dse/training');
  return stepFootprint(result.costs.map((c) => c.op));
}

/** `trim eval`: one request through the one evaluation path (core `evaluateRequest`), printed or written. */
export async function run(opts: Record<string, unknown>, globals: Record<string, unknown>): Promise<void> {
  const format = String(opts.format);
  if (format === 'scalesim' && typeof opts.out !== 'string') {
    throw new TrimUserError('--format scalesim writes three CSV files: give the folder with --out', { field: '--out', fix: 'e.g. --format scalesim --out reports' });
  }
  checkEvalOutput({ format, ...(typeof opts.out === 'string' ? { out: opts.out } : {}) });
  const registry = await registryFor(globals);
  const phase = String(opts.phase);
  const mapping = typeof opts.mapping === 'string' ? opts.mapping : undefined;
  const progress = startEvalProgress(opts.quiet !== true);
  let result: EvalResult;
  try {
    result = await evaluateRequest(registry, {
      arch: String(opts.arch),
      sets: opts.set as string[],
      workload: String(opts.workload),
      batch: positiveInt(opts.batch, '--batch'),
      phase,
      phaseOptions: trainingOptions(opts, phase),
      workloadOptions: workloadOptions(opts, phase),
      ...(opts.precision !== undefined ? { precision: checkPrecision(opts.precision, '--precision') } : {}),
      ...(typeof opts.only === 'string' ? { only: opts.only } : {}),
      // With a mapping file, --dataflow counts only when given (its default, auto, would contradict the file).
      ...(mapping === undefined || opts.dataflowGiven === true ? { dataflow: String(opts.dataflow) } : {}),
      ...(mapping !== undefined ? { mapping } : {}),
      ...(typeof opts.energyTable === 'string' ? { energyTable: opts.energyTable } : {}),
      goal: opts.goal as Goal,
      ...(typeof opts.zeroFractions === 'string' ? { zeroFractions: readZeroFractions(opts.zeroFractions) } : {}),
      ...(opts.interlayer !== undefined ? { interlayer: opts.interlayer === 'on' } : {}),
      fusion: checkFusion(opts.fusion ?? 'full', '--fusion'),
      mapper: String(opts.mapper ?? 'auto'),
      ...(opts.mapperBudget !== undefined ? { mapperBudget: positiveInt(opts.mapperBudget, '--mapper-budget') } : {}),
      includeMapping: opts.showMapping === true,
      warn: (m) => process.stderr.write(`trim: warning: ${m}\n`),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  const footprint = await footprintOf(result);
  const report: EvalReport & { readonly result: EvalResult } = {
    ...result,
    result,
    dataflowRequest: mapping !== undefined ? `mapping file ${mapping}` : String(opts.dataflow),
    precisionGiven: opts.precision !== undefined,
    goalFrom: opts.goal !== undefined ? 'option' : result.hardware?.mapperGoal !== undefined ? 'architecture' : 'default',
    ...(footprint ? { footprint } : {}),
  };
  writeEvalOutput(report, {
    format,
    summary: opts.summary === true,
    breakdown: opts.breakdown === true,
    ...(typeof opts.out === 'string' ? { out: opts.out } : {}),
  });
}

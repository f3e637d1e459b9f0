import { checkPrecision, evaluateRequest, readZeroFractions, TrimUserError, type Goal } from '@trim-dse/core';
import { evalCsv, evalJson, evalTables } from '@trim-dse/report';
import { positiveInt, registryFor } from './shared.js';

const TRAINING_FLAGS = [
  ['optimizer', 'optimizer'],
  ['recompute', 'recompute'],
  ['mixed', 'mixed'],
  ['weightGradient', 'weightGradient'],
] as const;

/** `trim eval`: one request through the one evaluation path (core `evaluateRequest`), printed. */
export async function run(opts: Record<string, unknown>, globals: Record<string, unknown>): Promise<void> {
  const registry = await registryFor(globals);
  const phase = String(opts.phase);
  const phaseOptions: Record<string, unknown> = {};
  for (const [flag, key] of TRAINING_FLAGS) {
    if (opts[flag] === undefined) continue;
    if (phase !== 'training') throw new TrimUserError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies only with --phase training`, { field: `--${flag}` });
    phaseOptions[key] = opts[flag];
  }
  const result = await evaluateRequest(registry, {
    arch: String(opts.arch),
    sets: opts.set as string[],
    workload: String(opts.workload),
    batch: positiveInt(opts.batch, '--batch'),
    phase,
    phaseOptions,
    ...(opts.precision !== undefined ? { precision: checkPrecision(opts.precision, '--precision') } : {}),
    ...(typeof opts.only === 'string' ? { only: opts.only } : {}),
    dataflow: String(opts.dataflow),
    goal: opts.goal as Goal,
    ...(typeof opts.zeroFractions === 'string' ? { zeroFractions: readZeroFractions(opts.zeroFractions) } : {}),
    ...(opts.interlayer !== undefined ? { interlayer: opts.interlayer === 'on' } : {}),
    includeMapping: opts.mapping === true,
    warn: (m) => process.stderr.write(`trim: warning: ${m}\n`),
  });
  const out = opts.format === 'json' ? evalJson(result) : opts.format === 'csv' ? evalCsv(result) : evalTables(result, result.dataflows.length > 1);
  process.stdout.write(out);
}

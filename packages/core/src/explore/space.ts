import { FUSION_MODES, type FusionMode } from '../epilogue.js';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { TrimUserError } from '../errors.js';
import { PRECISIONS } from '../precision.js';
import type { DesignSpaceSpec } from '../plugin.js';
import type { Registry } from '../registry.js';
import { readYamlFile } from '../resolve.js';
import { parseWith } from '../zod-errors.js';
import { FORBIDDEN_KEYS } from './canonical-json.js';
import { constraintsSchema, goalSchema, type Constraints, type GoalSpec } from './goal.js';

/** A value a parameter may take: what a `--set path=value` could write. */
export type ParameterValue = number | string | boolean;

const valueSchema = z.union([z.number(), z.string(), z.boolean()]);

/** {from, to, step}: an arithmetic range, both ends included when reached. */
const stepRange = z.object({ from: z.number(), to: z.number(), step: z.number().positive() }).strict();
/** {from, to, factor}: a geometric range (e.g. 8..256 by ×2). */
const factorRange = z.object({ from: z.number().positive(), to: z.number().positive(), factor: z.number().gt(1) }).strict();

export const parameterSchema = z.union([z.array(valueSchema).min(1, 'give at least one value'), stepRange, factorRange]);

export const workloadEntrySchema = z
  .object({
    workload: z.string().min(1),
    /** Share of this workload in the objective (weights are normalised to sum to 1). */
    weight: z.number().positive().default(1),
    /** `prefill` and `decode` are the LLM-serving phases (decoder networks: the zoo's gpt2-small, llama3-8b). */
    phase: z.enum(['inference', 'training', 'prefill', 'decode']).default('inference'),
    batch: z.number().int().positive().default(1),
    /** Tokens per sequence (as `--seq`): the prompt for prefill; not with decode. */
    seq: z.number().int().positive().optional(),
    /** Decode only (as `--context`): the keys in the KV cache the new token attends to. */
    context: z.number().int().positive().optional(),
    /** Causal attention that skips the masked key blocks (as `--causal`). */
    causal: z.boolean().optional(),
    /** Keep only the layers of one kind (as `--only`). */
    only: z.string().min(1).optional(),
    /** Tensor precision (as `--precision`); default each point's native word. */
    precision: z.enum(PRECISIONS).optional(),
    /** Options of the phase model (as the CLI's training flags: `{ optimizer: adam, recompute: checkpoint-blocks }`). */
    phaseOptions: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type WorkloadEntry = z.infer<typeof workloadEntrySchema>;

/**
 * A workload entry's `seq`, `context` and `causal` as the options of its workload source (what `trim eval`'s
 * `--seq`, `--context` and `--causal` give `loadNetwork`). `--seq` with decode, or `--context` without it, is an error
 * naming the field (`where`: the entry, or the flag's name).
 */
export function entryWorkloadOptions(e: Pick<WorkloadEntry, 'phase' | 'seq' | 'context' | 'causal'>, where: { seq: string; context: string }): Record<string, unknown> {
  if (e.seq !== undefined && e.phase === 'decode') {
    throw new TrimUserError(`${where.seq} sets the prompt length; a decode step has one new token: use ${where.context}`, { field: where.seq, fix: `give ${where.context} N with phase decode` });
  }
  if (e.context !== undefined && e.phase !== 'decode') {
    throw new TrimUserError(`${where.context} applies only to the decode phase`, { field: where.context, fix: 'set phase decode, or drop it' });
  }
  return { ...(e.seq !== undefined ? { seqLen: e.seq } : {}), ...(e.context !== undefined ? { context: e.context } : {}), ...(e.causal ? { causal: true } : {}) };
}

/** A design-space file (YAML or JSON). */
export const designSpaceFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().default(''),
    /** Hardware template that builds every point (`systolic`, `spatial`, `fpga`, `generic`, …). */
    template: z.string().min(1),
    /** A built-in architecture name, an architecture file (as `--arch`; relative to this file), or a raw spec. */
    base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    /** `--set` paths to sweep: a list of values, {from,to,step} or {from,to,factor}. */
    parameters: z.record(z.string().min(1), parameterSchema).refine((p) => Object.keys(p).length > 0, 'give at least one parameter'),
    /** Dataflows to consider (default: every dataflow that applies to the template). */
    dataflows: z.array(z.string().min(1)).min(1).optional(),
    /** Fusion modes each point is scheduled with; the best by the goal is kept (default: full, as `trim eval`). */
    fusion: z
      .array(z.enum(FUSION_MODES))
      .min(1)
      .optional()
      .describe('Fusion modes each point is scheduled with (none, epilogue, full); the best by the goal is kept (default: full, as trim eval).'),
    workloads: z.array(workloadEntrySchema).min(1).optional(),
    goal: goalSchema.optional(),
    constraints: constraintsSchema.optional(),
  })
  .strict();
export type DesignSpaceFile = z.input<typeof designSpaceFileSchema>;

/** JSON Schema of design-space files (for editors; `trim explore --space-schema` may print it). */
export function designSpaceJsonSchema(): unknown {
  return z.toJSONSchema(designSpaceFileSchema, { io: 'input' });
}

export interface SpaceParameter {
  readonly path: string;
  readonly values: readonly ParameterValue[];
}

/** A design space ready to explore: plain data (it is sent to worker threads). */
export interface ExploreSpace {
  readonly name: string;
  readonly description: string;
  readonly template: string;
  readonly base: string | Record<string, unknown>;
  readonly parameters: readonly SpaceParameter[];
  readonly dataflows?: readonly string[];
  /** Fusion modes each point is scheduled with (default: `full`). */
  readonly fusion?: readonly FusionMode[];
  readonly workloads?: readonly WorkloadEntry[];
  readonly goal?: GoalSpec;
  readonly constraints?: Constraints;
}

const MAX_VALUES = 100_000;

/** Rounds away binary noise (0.1 + 0.2) so that range values print as written. */
function tidy(v: number): number {
  return Number(v.toPrecision(12));
}

/**
 * A parameter's values. A range is counted before it is expanded (a step of 1e-9 or a factor of 1.0000001 would
 * otherwise build billions of values), and every parameter has at most `MAX_VALUES`.
 */
export function expandParameter(path: string, p: z.infer<typeof parameterSchema>): ParameterValue[] {
  const tooMany = (n: number, field: string, fix: string) =>
    new TrimUserError(`parameters.${path}: the ${field === 'values' ? 'list' : 'range'} has ${!Number.isFinite(n) ? 'more values than can be counted' : `${n < 1e15 ? n : n.toExponential(2)} values`} (at most ${MAX_VALUES})`, {
      field: `parameters.${path}${field === 'values' ? '' : `.${field}`}`,
      fix,
    });
  if (Array.isArray(p)) {
    if (p.length > MAX_VALUES) throw tooMany(p.length, 'values', 'sweep fewer values');
    return p;
  }
  if (p.to < p.from) throw new TrimUserError(`parameters.${path}: "to" (${p.to}) is below "from" (${p.from})`, { field: `parameters.${path}.to` });
  const out: number[] = [];
  if ('step' in p) {
    // The ratio's rounding error grows with it: a relative tolerance keeps "to" in the range (0 to 1 by 1e-9 is 10⁹ + 1).
    const ratio = (p.to - p.from) / p.step;
    const n = Math.floor(ratio + Math.max(1e-9, ratio * 1e-12));
    if (!(n + 1 <= MAX_VALUES)) throw tooMany(n + 1, 'step', 'use a larger step');
    for (let i = 0; i <= n; i++) out.push(tidy(p.from + i * p.step));
  } else {
    // from·factor^k ≤ to·(1 + 1e-12): k ≤ log(to/from) / log(factor), counted in logs before any value is made.
    const n = Math.floor(Math.log((p.to * (1 + 1e-12)) / p.from) / Math.log(p.factor) + 1e-9) + 1;
    if (!(n <= MAX_VALUES)) throw tooMany(n, 'factor', 'use a larger factor');
    for (let k = 0, v = p.from; k < n + 1 && v <= p.to * (1 + 1e-12); k++, v *= p.factor) out.push(tidy(v));
  }
  return out;
}

/** A parameter path must name spec fields: a part such as __proto__ would reach Object.prototype. */
function checkPath(path: string, where: string): void {
  const bad = path.split('.').find((part) => FORBIDDEN_KEYS.has(part) || part === '');
  if (bad !== undefined) {
    throw new TrimUserError(`${where}: parameter "${path}": ${bad === '' ? 'an empty part' : `"${bad}"`} is not a field name`, { field: `parameters.${path}`, fix: 'sweep fields of the spec, e.g. levels.glb.capacityWords' });
  }
}

function checkValues(path: string, values: readonly unknown[], where: string): ParameterValue[] {
  if (values.length === 0) throw new TrimUserError(`${where}: parameter ${path} has no values`, { field: `parameters.${path}` });
  return values.map((v) => {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    throw new TrimUserError(`${where}: parameter ${path}: values must be numbers, strings or booleans`, { field: `parameters.${path}` });
  });
}

/** A registered design space (from a template plug-in) as an ExploreSpace. */
export function spaceFromSpec(spec: DesignSpaceSpec): ExploreSpace {
  return {
    name: spec.name,
    description: spec.description,
    template: spec.template,
    base: spec.base,
    parameters: Object.entries(spec.parameters).map(([path, values]) => {
      checkPath(path, `space ${spec.name}`);
      return { path, values: checkValues(path, values, `space ${spec.name}`) };
    }),
    ...(spec.dataflows ? { dataflows: spec.dataflows } : {}),
  };
}

/** Parses a design-space file's data. */
export function spaceFromFileData(data: unknown, where: string, defaultName: string): ExploreSpace {
  const f = parseWith(designSpaceFileSchema, data, where);
  f.workloads?.forEach((w, i) => entryWorkloadOptions(w, { seq: `${where}: workloads[${i}].seq`, context: `${where}: workloads[${i}].context` }));
  return {
    name: f.name ?? defaultName,
    description: f.description,
    template: f.template,
    base: f.base,
    parameters: Object.entries(f.parameters).map(([path, p]) => {
      checkPath(path, where);
      return { path, values: expandParameter(path, p) };
    }),
    ...(f.dataflows ? { dataflows: f.dataflows } : {}),
    ...(f.fusion ? { fusion: [...new Set(f.fusion)] } : {}),
    ...(f.workloads ? { workloads: f.workloads } : {}),
    ...(f.goal !== undefined ? { goal: f.goal } : {}),
    ...(f.constraints ? { constraints: f.constraints } : {}),
  };
}

/**
 * `--space`: a registered space name or a YAML/JSON file. A file's `base` that names no built-in architecture is a
 * path relative to the space file (as a plug-in path is relative to trim.config.yaml).
 */
export function resolveSpace(registry: Registry, ref: string): ExploreSpace {
  if (registry.spaces.has(ref)) return spaceFromSpec(registry.spaces.get(ref));
  if (existsSync(ref)) {
    const space = spaceFromFileData(readYamlFile(ref), ref, basename(ref, extname(ref)));
    if (typeof space.base !== 'string' || registry.architectures.has(space.base) || isAbsolute(space.base)) return space;
    const besideFile = resolvePath(dirname(ref), space.base);
    return existsSync(besideFile) ? { ...space, base: besideFile } : space;
  }
  const known = registry.spaces.entries().map((e) => e.name).sort().join(', ') || 'none';
  throw new TrimUserError(`unknown design space "${ref}" (not a registered space and no such file); spaces: ${known}`, {
    field: '--space',
    fix: 'run `trim list` for the built-in spaces, or give a design-space YAML file',
  });
}

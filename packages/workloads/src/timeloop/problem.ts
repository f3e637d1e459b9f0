import { basename, extname } from 'node:path';
import { NetworkBuilder, readYamlFile, TrimUserError, type Network, type Precision } from '@trim-dse/core';

/** Loop dimensions of Timeloop's CNN-layer problem (and its Conv1D subsets); M is the output-channel dimension. */
const DIMENSIONS = ['N', 'C', 'M', 'K', 'R', 'S', 'P', 'Q'] as const;
const COEFFICIENTS = ['Hstride', 'Wstride', 'Hdilation', 'Wdilation'] as const;

export interface TimeloopLayer {
  readonly name: string;
  readonly N: number;
  readonly C: number;
  /** Output channels (Timeloop's M; the Conv1D exercises call it K). */
  readonly M: number;
  readonly R: number;
  readonly S: number;
  readonly P: number;
  readonly Q: number;
  /** Stride and dilation along P/R and along Q/S. */
  readonly strideP: number;
  readonly strideQ: number;
  readonly dilationR: number;
  readonly dilationS: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True when a parsed YAML document is a Timeloop problem (top-level `problem`). */
export function isTimeloopProblem(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.problem);
}

/**
 * The coefficient that multiplies `dim` in the Inputs projection (e.g. P·Wstride in Timeloop's CNN-layer), or
 * `fallback` when the file gives no projection.
 */
function coefficientOf(shape: Record<string, unknown>, dim: string, fallback: string): string | undefined {
  const spaces = shape['data-spaces'];
  if (!Array.isArray(spaces)) return fallback;
  const inputs = spaces.find((d) => isRecord(d) && d.name === 'Inputs');
  if (!isRecord(inputs) || !Array.isArray(inputs.projection)) return fallback;
  for (const expr of inputs.projection) {
    if (!Array.isArray(expr)) continue;
    for (const term of expr) {
      if (Array.isArray(term) && term[0] === dim) return typeof term[1] === 'string' ? term[1] : undefined;
    }
  }
  return undefined;
}

function positiveInt(file: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new TrimUserError(`${file}: field problem.instance.${field}: expected a positive integer, got ${JSON.stringify(v)}`, { field: `problem.instance.${field}` });
  }
  return v;
}

/**
 * Reads a parsed Timeloop problem. Dimensions the problem does not list are 1 (so the Conv1D exercise problems are
 * 1-D convolutions along P/R). Strides and dilations follow the Inputs projection when the file gives one (Timeloop's
 * CNN-layer pairs P and R with Wstride/Wdilation, Q and S with Hstride/Hdilation), else that same convention.
 */
export function parseTimeloopProblem(doc: unknown, file: string): TimeloopLayer {
  if (!isRecord(doc) || !isRecord(doc.problem)) {
    throw new TrimUserError(`${file}: not a Timeloop problem (no top-level "problem" mapping)`, {
      field: 'problem',
      fix: 'give a Timeloop problem YAML (problem: {shape, instance}) or another workload format',
    });
  }
  const problem = doc.problem;
  const shape = isRecord(problem.shape) ? problem.shape : {};
  const instance = isRecord(problem.instance) ? problem.instance : problem;
  const known = new Set<string>([...DIMENSIONS, ...COEFFICIENTS]);
  const declared = Array.isArray(shape.dimensions) ? shape.dimensions : [];
  for (const d of declared) {
    if (typeof d !== 'string' || !known.has(d)) {
      throw new TrimUserError(`${file}: field problem.shape.dimensions: unsupported dimension ${JSON.stringify(d)} (supported: ${DIMENSIONS.join(', ')})`, {
        field: 'problem.shape.dimensions',
      });
    }
  }
  const defaults = new Map<string, unknown>();
  if (Array.isArray(shape.coefficients)) {
    for (const c of shape.coefficients) if (isRecord(c) && typeof c.name === 'string') defaults.set(c.name, c.default);
  }
  const value = (field: string): number => {
    const v = instance[field] ?? defaults.get(field);
    return v === undefined ? 1 : positiveInt(file, field, v);
  };
  if (instance.M !== undefined && instance.K !== undefined && instance.M !== instance.K) {
    throw new TrimUserError(`${file}: problem.instance gives both M (${String(instance.M)}) and K (${String(instance.K)}) for the output channels`, { field: 'problem.instance.K' });
  }
  const coef = (dim: string, fallback: string): number => {
    const name = coefficientOf(shape, dim, fallback);
    return name === undefined ? 1 : value(name);
  };
  const stem = basename(file, extname(file));
  return {
    name: typeof shape.name === 'string' && stem === 'prob' ? shape.name : stem,
    N: value('N'),
    C: value('C'),
    M: instance.M !== undefined ? value('M') : value('K'),
    R: value('R'),
    S: value('S'),
    P: value('P'),
    Q: value('Q'),
    strideP: coef('P', 'Wstride'),
    strideQ: coef('Q', 'Hstride'),
    dilationR: coef('R', 'Wdilation'),
    dilationS: coef('S', 'Hdilation'),
  };
}

/**
 * One conv layer whose input is exactly the extent the outputs read: H = (P − 1)·stride + (R − 1)·dilation + 1.
 * Every tensor is at `options.precision`: a Timeloop problem gives no word size (Timeloop puts it in the
 * architecture).
 */
export function timeloopNetwork(l: TimeloopLayer, options: { batch: number; precision: Precision }): Network {
  const b = new NetworkBuilder(l.name, options.precision);
  const h = (l.P - 1) * l.strideP + (l.R - 1) * l.dilationR + 1;
  const w = (l.Q - 1) * l.strideQ + (l.S - 1) * l.dilationS + 1;
  const x = b.input(`${l.name}.inputs`, [l.N * options.batch, l.C, h, w]);
  b.conv(l.name, x, { outChannels: l.M, kernel: [l.R, l.S], stride: [l.strideP, l.strideQ], dilation: [l.dilationR, l.dilationS] });
  return b.build();
}

/** Reads a Timeloop problem YAML; the batch is the problem's N times `options.batch`, tensors at `options.precision`. */
export function importTimeloopProblem(path: string, options: { batch: number; precision: Precision }): Network {
  return timeloopNetwork(parseTimeloopProblem(readYamlFile(path), path), options);
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineValidationSuite, evaluateRequest, parseWith, TrimUserError, type EvalRequest, type Goal, type Registry, type ValidationRow } from '@trim-dse/core';
import { z } from 'zod';
import { chipFigures, type ChipFigures } from './figures.js';

/** The reference file's fields this suite reads. */
export const eyerissReferenceSchema = z.object({
  workload: z.object({
    batch: z.number().int().positive(),
    macsPerFrame: z.number().positive(),
    ifmapZeroFractionPerLayer: z.record(z.string(), z.union([z.number(), z.string()])),
  }),
  measured: z.object({
    framesPerSecond: z.number(),
    chipPowerMilliwatt: z.number(),
    dramTrafficMB: z.number(),
    activePEFraction: z.number(),
  }),
});
export type EyerissReference = z.infer<typeof eyerissReferenceSchema>;

/**
 * Tolerances (relative). Power is loose (±50 %): the model charges data accesses and MACs only; the chip's clock
 * tree, control logic, NoC router logic and leakage — a large share of a 65 nm chip at 200 MHz — are not in it.
 */
export const EYERISS_TOLERANCE = { framesPerSecond: 0.15, dramTrafficMB: 0.2, activePEFraction: 0.1, chipPowerMilliwatt: 0.5 } as const;

/**
 * Mapping goal of the validation: energy-delay product. Eyeriss's mapper minimises energy among mappings that keep
 * the array busy; pure `energy` picks mappings that leave PEs idle, pure `latency` ignores energy.
 */
export const EYERISS_GOAL: Goal = 'edp';

/** The Eyeriss reference file of a folder: a JSON whose name mentions eyeriss (or an alexnet-conv*.json in an
 * eyeriss folder) and that has the fields this suite reads. */
function referenceFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const candidates = names.filter((n) => n.endsWith('.json') && (/eyeriss/i.test(n) || (/^alexnet-conv/.test(n) && /eyeriss/i.test(dir))));
  return candidates.map((n) => join(dir, n)).find((f) => {
    try {
      return eyerissReferenceSchema.safeParse(JSON.parse(readFileSync(f, 'utf8'))).success;
    } catch {
      return false;
    }
  });
}

/**
 * The request the reference's setting is, exactly what `trim eval --arch eyeriss --workload alexnet --only conv
 * --batch 4 --dataflow rs --goal edp --zero-fractions <reference>` runs: the measured sparsity as input densities.
 */
export function eyerissRequest(ref: EyerissReference, goal: Goal = EYERISS_GOAL): EvalRequest {
  const zeroFractions: Record<string, number> = {};
  for (const [k, v] of Object.entries(ref.workload.ifmapZeroFractionPerLayer)) if (typeof v === 'number') zeroFractions[k] = v;
  return { arch: 'eyeriss', workload: 'alexnet', only: 'conv', batch: ref.workload.batch, dataflow: 'rs', goal, zeroFractions, includeMapping: true };
}

/** Our figures for the reference's setting, through the one evaluation path (`evaluateRequest`). */
export async function eyerissAlexnetFigures(registry: Registry, ref: EyerissReference, goal: Goal = EYERISS_GOAL): Promise<ChipFigures> {
  const result = await evaluateRequest(registry, eyerissRequest(ref, goal));
  const macs = ref.workload.macsPerFrame * ref.workload.batch;
  if (result.totals.macs !== macs) {
    throw new TrimUserError(`the eyeriss validation needs AlexNet CONV1–5 with ${macs} MACs per batch; workload alexnet has ${result.totals.macs}`, {
      field: 'workload',
      fix: 'load @trim-dse/workloads (its alexnet is the two-group network Eyeriss measured)',
    });
  }
  return chipFigures(result);
}

export const eyerissSuite = defineValidationSuite({
  name: 'eyeriss',
  description: 'Eyeriss v1 silicon (JSSC 2017): AlexNet CONV1–5 at batch 4 — frames/s, DRAM MB, active PEs, chip power',
  detect: (dir) => referenceFile(dir) !== undefined,
  async run(dir, { registry }) {
    const file = referenceFile(dir)!;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new TrimUserError(`${file}: not valid JSON`, { field: file });
    }
    const ref = parseWith(eyerissReferenceSchema, raw, file);
    const ours = await eyerissAlexnetFigures(registry, ref);
    const c = `alexnet-conv-batch${ref.workload.batch}`;
    const row = (metric: keyof typeof EYERISS_TOLERANCE, unit: string): ValidationRow => ({
      suite: 'eyeriss',
      case: c,
      metric,
      ours: ours[metric],
      reference: ref.measured[metric],
      unit,
      tolerance: EYERISS_TOLERANCE[metric],
    });
    return [row('framesPerSecond', 'frames/s'), row('dramTrafficMB', 'MB'), row('activePEFraction', 'fraction'), row('chipPowerMilliwatt', 'mW')];
  },
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defineValidationSuite,
  inferenceOps,
  parseWith,
  resolveWorkload,
  TrimUserError,
  type Goal,
  type MacOp,
  type Network,
  type Registry,
  type ValidationRow,
} from '@trim-dse/core';
import { z } from 'zod';
import { buildSpatial } from '../build.js';
import { eyerissSpec } from '../eyeriss.js';
import { spatialSchema } from '../schema.js';
import { alexnetConv } from './alexnet.js';
import { withEyerissDensities } from './densities.js';
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

/** AlexNet from the registry when a workload source provides it with the reference's MAC count, else our own. */
async function alexnet(registry: Registry, batch: number, macsPerFrame: number): Promise<Network> {
  try {
    const net = await resolveWorkload(registry, 'alexnet', { batch });
    const macs = convOps(net).reduce((a, op) => a + op.macs, 0);
    if (macs === macsPerFrame * batch) return net;
  } catch {
    // No workload source registers `alexnet`: fall back to the local definition.
  }
  return alexnetConv(batch);
}

function convOps(net: Network): MacOp[] {
  return inferenceOps(net).filter((op): op is MacOp => op.kind === 'mac' && op.layerKind === 'conv2d');
}

/** Our figures for the reference's setting: eyeriss + AlexNet CONV1–5 + row stationary + the measured sparsity. */
/**
 * Mapping goal of the validation: energy-delay product. Eyeriss's mapper minimises energy among mappings that keep
 * the array busy; pure `energy` picks mappings on ~73 % of the PEs (27.8 frames/s), pure `latency` 33.3 frames/s.
 */
export const EYERISS_GOAL: Goal = 'edp';

export async function eyerissAlexnetFigures(registry: Registry, ref: EyerissReference, goal: Goal = EYERISS_GOAL): Promise<ChipFigures> {
  if (!registry.dataflows.has('rs')) {
    throw new TrimUserError('the Eyeriss validation needs the row-stationary dataflow "rs"', { field: 'plugins', fix: 'load @trim-dse/dataflow-rs' });
  }
  const rs = registry.dataflows.get('rs');
  const hw = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');
  const batch = ref.workload.batch;
  const zeros: Record<string, number> = {};
  for (const [k, v] of Object.entries(ref.workload.ifmapZeroFractionPerLayer)) if (typeof v === 'number') zeros[k] = v;
  const ops = withEyerissDensities(convOps(await alexnet(registry, batch, ref.workload.macsPerFrame)), zeros);
  return chipFigures(hw, [{ plugin: rs, config: rs.configSchema?.parse({}) }], ops, batch, goal);
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

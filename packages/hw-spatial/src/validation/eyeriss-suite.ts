import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineValidationSuite, evaluateRequest, parseWith, TrimUserError, type EvalRequest, type EvalResult, type Registry, type ValidationRow } from '@trim-dse/core';
import { z } from 'zod';
import { chipFigures, layerFigures, type ChipFigures, type LayerFigures } from './figures.js';

/** The AlexNet totals file (`alexnet-conv-batch4.json`): the fields this suite reads. */
export const eyerissReferenceSchema = z.object({
  source: z.string(),
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

const layerRowSchema = z.object({
  powerMilliwatt: z.number(),
  latencyMs: z.number(),
  activePEs: z.number(),
  ifmapZeroFraction: z.number(),
  glbAccessesMB: z.number(),
  dramAccessesMB: z.number(),
});

/** The per-layer table (`jssc2017-table5-alexnet-per-layer.json`): JSSC 2017 Table V. */
export const eyerissLayerTableSchema = z.object({
  source: z.string(),
  kind: z.enum(['measured', 'simulator', 'derived']),
  conditions: z.object({ batch: z.number().int().positive() }),
  layers: z.record(z.string(), layerRowSchema),
});
export type EyerissLayerTable = z.infer<typeof eyerissLayerTableSchema>;

/** A held-out network's totals (`jssc2017-vgg16-conv-batch3.json`). */
export const eyerissHeldOutSchema = z.object({
  source: z.string(),
  kind: z.enum(['measured', 'simulator', 'derived']),
  workload: z.object({ network: z.string(), batch: z.number().int().positive(), macsPerFrame: z.number().positive() }),
  measured: z.object({ framesPerSecond: z.number(), chipPowerMilliwatt: z.number() }),
});
export type EyerissHeldOut = z.infer<typeof eyerissHeldOutSchema>;

/**
 * Tolerances (relative). Power is loose (±40 %): the model charges data accesses and MACs only; the chip's clock
 * tree, control logic, NoC router logic and leakage — a large share of a 65 nm chip at 200 MHz — are not in it.
 * Traffic (DRAM and buffer) ±20 %, time ±15 %, PE use ±10 %, per layer as for the network.
 */
export const EYERISS_TOLERANCE = { framesPerSecond: 0.15, dramTrafficMB: 0.2, activePEFraction: 0.1, chipPowerMilliwatt: 0.4 } as const;
export const EYERISS_LAYER_TOLERANCE = { latencyMs: 0.15, powerMilliwatt: 0.4, activePEs: 0.1, dramAccessesMB: 0.2, glbAccessesMB: 0.2 } as const;

const UNITS: Readonly<Record<string, string>> = {
  framesPerSecond: 'frames/s',
  dramTrafficMB: 'MB',
  activePEFraction: 'fraction',
  chipPowerMilliwatt: 'mW',
  latencyMs: 'ms',
  powerMilliwatt: 'mW',
  activePEs: 'PEs',
  dramAccessesMB: 'MB',
  glbAccessesMB: 'MB',
};

/** Which workload of the registry a reference's network is (the zoo's `alexnet` is Eyeriss's two-group network). */
function workloadOf(network: string): string {
  if (/vgg-?16/i.test(network)) return 'vgg16';
  return 'alexnet';
}

/**
 * The request a measured setting is, exactly what `trim eval --arch eyeriss --workload <it> --only conv --batch N
 * --dataflow rs [--zero-fractions <file>]` runs: no goal of its own (the CLI's default), the measured sparsity as
 * input densities when the reference gives it.
 */
export function eyerissRequest(workload: string, batch: number, zeroFractions?: Readonly<Record<string, number>>): EvalRequest {
  return { arch: 'eyeriss', workload, only: 'conv', batch, dataflow: 'rs', ...(zeroFractions ? { zeroFractions } : {}), includeMapping: true };
}

/** The measured zero fractions of the AlexNet totals file (numbers only; notes are skipped). */
export function zeroFractionsOf(ref: EyerissReference): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(ref.workload.ifmapZeroFractionPerLayer)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** Evaluates a request and checks it ran the network the reference measured (its MACs per frame). */
async function evaluateMeasured(registry: Registry, request: EvalRequest, macsPerFrame: number): Promise<EvalResult> {
  const result = await evaluateRequest(registry, request);
  const macs = macsPerFrame * (request.batch ?? 1);
  if (result.totals.macs !== macs) {
    throw new TrimUserError(`the eyeriss validation needs ${request.workload} CONV layers with ${macs} MACs per batch; the registry's has ${result.totals.macs}`, {
      field: 'workload',
      fix: 'load @trim-dse/workloads (its alexnet is the two-group network Eyeriss measured)',
    });
  }
  return result;
}

/** Our figures for the AlexNet setting, through the one evaluation path (`evaluateRequest`). */
export async function eyerissAlexnetFigures(registry: Registry, ref: EyerissReference): Promise<ChipFigures> {
  return chipFigures(await evaluateMeasured(registry, eyerissRequest('alexnet', ref.workload.batch, zeroFractionsOf(ref)), ref.workload.macsPerFrame));
}

/** The JSON files of a folder that parse as `schema`, sorted by name: in a folder, or under names, that say eyeriss. */
function filesOf<T>(dir: string, schema: z.ZodType<T>): Array<{ file: string; value: T }> {
  if (!existsSync(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json') && (/eyeriss/i.test(n) || /eyeriss/i.test(dir)))
      .sort();
  } catch {
    return [];
  }
  const out: Array<{ file: string; value: T }> = [];
  for (const n of names) {
    const file = join(dir, n);
    try {
      const r = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (r.success) out.push({ file, value: r.data });
    } catch {
      // Not a reference of this suite.
    }
  }
  return out;
}

function read<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new TrimUserError(`${file}: not valid JSON`, { field: file });
  }
  return parseWith(schema, raw, file);
}

function row(c: string, metric: string, ours: number, reference: number, tolerance: number, citation: string, kind: 'measured' | 'simulator' | 'derived'): ValidationRow {
  return { suite: 'eyeriss', case: c, metric, ours, reference, unit: UNITS[metric], tolerance, source: { citation, kind } };
}

/** Rows of the AlexNet totals and, when the folder has it, of every layer of JSSC 2017 Table V (one evaluation). */
async function alexnetRows(registry: Registry, totalsFile: string, table: EyerissLayerTable | undefined): Promise<ValidationRow[]> {
  const ref = read(totalsFile, eyerissReferenceSchema);
  const result = await evaluateMeasured(registry, eyerissRequest('alexnet', ref.workload.batch, zeroFractionsOf(ref)), ref.workload.macsPerFrame);
  const ours = chipFigures(result);
  const c = `alexnet-conv-batch${ref.workload.batch}`;
  const cite = `${ref.source} (network totals)`;
  const rows = (['framesPerSecond', 'dramTrafficMB', 'activePEFraction', 'chipPowerMilliwatt'] as const).map((m) =>
    row(c, m, ours[m], ref.measured[m], EYERISS_TOLERANCE[m], cite, 'measured'),
  );
  if (!table) return rows;
  if (table.conditions.batch !== ref.workload.batch) {
    throw new TrimUserError(`the eyeriss per-layer table is at batch ${table.conditions.batch}, the AlexNet totals at ${ref.workload.batch}`, { field: 'conditions.batch' });
  }
  result.layers.forEach((l, i) => {
    const measured = table.layers[l.layer];
    if (!measured) return;
    const f: LayerFigures = layerFigures(result, i);
    for (const m of Object.keys(EYERISS_LAYER_TOLERANCE) as Array<keyof typeof EYERISS_LAYER_TOLERANCE>) {
      rows.push(row(`${c} ${l.layer}`, m, f[m], measured[m], EYERISS_LAYER_TOLERANCE[m], `${table.source} (${l.layer})`, table.kind));
    }
  });
  return rows;
}

/** Rows of a held-out network's totals: frames/s and power, dense tensors (no measured sparsity in the file). */
async function heldOutRows(registry: Registry, ref: EyerissHeldOut): Promise<ValidationRow[]> {
  const workload = workloadOf(ref.workload.network);
  const result = await evaluateMeasured(registry, eyerissRequest(workload, ref.workload.batch), ref.workload.macsPerFrame);
  const ours = chipFigures(result);
  const c = `${workload}-conv-batch${ref.workload.batch} (held out, dense)`;
  return (['framesPerSecond', 'chipPowerMilliwatt'] as const).map((m) => row(c, m, ours[m], ref.measured[m], EYERISS_TOLERANCE[m], ref.source, ref.kind));
}

export const eyerissSuite = defineValidationSuite({
  name: 'eyeriss',
  description:
    'Eyeriss v1 silicon (JSSC 2017): AlexNet CONV1–5 at batch 4 — frames/s, DRAM MB, active PEs, power, and per layer (Table V); VGG-16 CONV held out',
  detect: (dir) => filesOf(dir, eyerissReferenceSchema).length > 0 || filesOf(dir, eyerissHeldOutSchema).length > 0,
  async run(dir, { registry }) {
    const rows: ValidationRow[] = [];
    const table = filesOf(dir, eyerissLayerTableSchema)[0]?.value;
    for (const { file } of filesOf(dir, eyerissReferenceSchema)) rows.push(...(await alexnetRows(registry, file, table)));
    for (const { value } of filesOf(dir, eyerissHeldOutSchema)) rows.push(...(await heldOutRows(registry, value)));
    return rows;
  },
});

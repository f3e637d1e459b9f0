import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  capabilityOf,
  checkPrecision,
  defineValidationSuite,
  evaluateRequest,
  inlineBackend,
  loadNetwork,
  prepareExplore,
  resolveSpace,
  runExplore,
  type Registry,
  type ValidationRow,
} from '@trim-dse/core';
import { fpgaEngineCapability } from '@trim-dse/fpga-kit';
import { DEVICES, type FpgaDevice } from './devices.js';

/** A published FPGA design as stored in the validation folder (fields this suite reads). */
interface FpgaCase {
  readonly hardware: { readonly board: string; readonly clockMHz: number; readonly precision: string };
  readonly workload: { readonly network: string; readonly batch: number };
  readonly measured: { readonly throughputGFLOPS: number };
}

function isCase(v: unknown): v is FpgaCase {
  if (v === null || typeof v !== 'object') return false;
  const c = v as Record<string, Record<string, unknown> | undefined>;
  return (
    typeof c.hardware?.board === 'string' &&
    typeof c.hardware.clockMHz === 'number' &&
    typeof c.hardware.precision === 'string' &&
    typeof c.workload?.network === 'string' &&
    typeof c.workload.batch === 'number' &&
    typeof c.measured?.throughputGFLOPS === 'number'
  );
}

function readCases(dir: string): Array<{ file: string; c: FpgaCase }> {
  if (!existsSync(dir)) return [];
  const out: Array<{ file: string; c: FpgaCase }> = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    try {
      const v: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (isCase(v) && Object.values(DEVICES).some((d) => d.board === v.hardware.board)) out.push({ file: f, c: v });
    } catch {
      // Not a case file.
    }
  }
  return out;
}

function deviceOf(c: FpgaCase): FpgaDevice {
  const device = Object.values(DEVICES).find((d) => d.board === c.hardware.board);
  if (!device) throw new Error(`fpga validation: no built-in device for board "${c.hardware.board}"`);
  return device;
}

/** What a case runs: the registry's `alexnet`, convolutions only (`--workload alexnet --only conv`). */
const WORKLOAD = 'alexnet';
const ONLY = 'conv';

/**
 * The case's network must be what the paper ran: the original two-group AlexNet (96 CONV1 filters, CONV2 in two
 * groups), CONV1–CONV5. Checked on the registry's `alexnet` before any figure is compared.
 */
async function checkNetwork(registry: Registry, c: FpgaCase): Promise<void> {
  if (!/alexnet/i.test(c.workload.network)) throw new Error(`fpga validation: no network for "${c.workload.network}"`);
  const net = await loadNetwork(registry, WORKLOAD, c.workload.batch, checkPrecision(c.hardware.precision, 'precision'), ONLY);
  const [first, second] = net.layers;
  const twoGroup =
    net.layers.length === 5 && first?.kind === 'conv2d' && first.params.outChannels === 96 && second?.kind === 'conv2d' && second.params.groups === 2;
  if (!twoGroup) throw new Error(`fpga validation: the registry's ${WORKLOAD} is not the two-group AlexNet (CONV1–5) that Zhang et al. ran`);
}

const gflops = (macs: number, seconds: number) => (2 * macs) / seconds / 1e9;

/**
 * The searched design, exactly as `trim explore --space fpga-<device> --set precision=… --set clockMHz=…
 * --workload alexnet --only conv --goal latency` runs it: every (Tm, Tn) point of the device's space through core's
 * explore path (build, map, cost, schedule, check), the best by latency kept. GFLOPS = 2 × MACs / s.
 */
export async function runSearchedCase(registry: Registry, c: FpgaCase, name: string): Promise<ValidationRow> {
  const device = deviceOf(c);
  const space = `fpga-${device.key}`;
  const prepared = prepareExplore(registry, {
    space: resolveSpace(registry, space),
    workload: WORKLOAD,
    only: ONLY,
    phase: 'inference',
    batch: c.workload.batch,
    sets: [`precision=${c.hardware.precision}`, `clockMHz=${c.hardware.clockMHz}`],
    goal: 'latency',
    search: 'exhaustive',
    seed: 1,
  });
  const backend = await inlineBackend(registry, prepared.job);
  let summary;
  try {
    summary = (await runExplore({ prepared, backend })).summary;
  } finally {
    await backend.close();
  }
  const b = summary.best;
  if (!b) throw new Error(`fpga validation: no point of ${space} is feasible`);
  const { Tm, Tn } = b.hardware;
  return {
    suite: 'fpga',
    case: `${name} (trim explore --space ${space}: best of ${summary.feasible} feasible points, Tm=${Tm}, Tn=${Tn}, ${b.resources.dsp} DSP, ${b.resources.bram} BRAM)`,
    metric: 'throughputGFLOPS',
    ours: gflops(b.totals.macs, b.totals.seconds),
    reference: c.measured.throughputGFLOPS,
    unit: 'GFLOPS',
    tolerance: 0.15,
  };
}

/**
 * The paper's own engine, when a built-in architecture of the fpga template describes it (same device, precision
 * and clock), exactly as `trim eval --arch <it> --workload alexnet --only conv` runs it: a check of the engine model
 * apart from the search.
 */
export async function runPaperDesign(registry: Registry, c: FpgaCase, name: string): Promise<ValidationRow | undefined> {
  const device = deviceOf(c);
  const arch = registry.architectures.entries().find((e) => {
    const s = e.value.spec as Record<string, unknown>;
    return e.value.template === 'fpga' && s.device === device.key && s.precision === c.hardware.precision && s.clockMHz === c.hardware.clockMHz;
  });
  if (!arch) return undefined;
  const r = await evaluateRequest(registry, { arch: arch.name, workload: WORKLOAD, only: ONLY, batch: c.workload.batch, goal: 'latency' });
  const engine = capabilityOf(r.hardware, fpgaEngineCapability)?.engine;
  return {
    suite: 'fpga',
    case: `${name} (trim eval --arch ${arch.name}: the paper's engine, Tm=${engine?.Tm}, Tn=${engine?.Tn})`,
    metric: 'throughputGFLOPS',
    ours: gflops(r.totals.macs, r.totals.seconds),
    reference: c.measured.throughputGFLOPS,
    unit: 'GFLOPS',
    tolerance: 0.15,
  };
}

export const fpgaValidation = defineValidationSuite({
  name: 'fpga',
  description: 'Published FPGA CNN accelerators (Zhang et al. FPGA 2015 on the VC707): throughput of the best Tm×Tn design trim explore finds, and of the paper’s engine',
  detect: (dir) => readCases(dir).length > 0,
  async run(dir, { registry }) {
    const rows: ValidationRow[] = [];
    for (const { file, c } of readCases(dir)) {
      const name = file.replace(/\.json$/, '');
      await checkNetwork(registry, c);
      rows.push(await runSearchedCase(registry, c, name));
      const paper = await runPaperDesign(registry, c, name);
      if (paper) rows.push(paper);
    }
    return rows;
  },
});

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
  type EvalResult,
  type ReferenceKind,
  type Registry,
  type ValidationRow,
} from '@trim-dse/core';
import { fpgaEngineCapability } from '@trim-dse/fpga-kit';
import { DEVICES, type FpgaDevice } from './devices.js';

/** A published FPGA design as stored in the validation folder (the fields this suite reads). */
interface FpgaCase {
  readonly source?: string;
  readonly kind?: ReferenceKind;
  /** The built-in architecture with the paper's own engine (absent: found by board, precision and clock). */
  readonly design?: string;
  /** `derived` when the built-in's engine size is inferred rather than quoted from the paper. */
  readonly designKind?: ReferenceKind;
  /** `--set` values of the searched design on top of precision and clock (the engine family and its fixed unrolls). */
  readonly search?: { readonly sets?: readonly string[] };
  readonly hardware: {
    readonly board: string;
    readonly clockMHz: number;
    readonly precision: string;
    readonly used?: Readonly<Record<string, number>>;
  };
  /**
   * `only`: run only the layers of that kind (`--only`); `throughputOf`: run the whole network and report the
   * throughput of the layers of that kind (a paper's CONV GOP/s measured within a whole-network run).
   */
  readonly workload: { readonly network: string; readonly workload?: string; readonly only?: string; readonly throughputOf?: string; readonly batch: number };
  /** Throughput, or (PipeCNN) the execution time of one image of the whole run. */
  readonly measured: { readonly throughputGFLOPS?: number; readonly throughputGOPS?: number; readonly latencyMs?: number };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isCase(v: unknown): v is FpgaCase {
  if (v === null || typeof v !== 'object') return false;
  const c = v as Record<string, Record<string, unknown> | undefined>;
  return (
    typeof c.hardware?.board === 'string' &&
    num(c.hardware.clockMHz) &&
    typeof c.hardware.precision === 'string' &&
    typeof c.workload?.network === 'string' &&
    num(c.workload.batch) &&
    (num(c.measured?.throughputGFLOPS) || num(c.measured?.throughputGOPS) || num(c.measured?.latencyMs))
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

/** GOPS = 2 × MACs / s (a multiply and an add). */
const gops = (macs: number, seconds: number) => (2 * macs) / seconds / 1e9;

/**
 * The measured throughput and its unit (Zhang et al. report GFLOPS, the fixed-point designs GOPS), or the execution
 * time per image (PipeCNN's Table I): compared as reported, not converted with an operation count of our own.
 */
function measured(c: FpgaCase): { value: number; metric: string; unit: string } {
  if (c.measured.throughputGFLOPS !== undefined) return { value: c.measured.throughputGFLOPS, metric: 'throughputGFLOPS', unit: 'GFLOPS' };
  if (c.measured.throughputGOPS !== undefined) return { value: c.measured.throughputGOPS, metric: 'throughputGOPS', unit: 'GOPS' };
  return { value: c.measured.latencyMs!, metric: 'latencyMs', unit: 'ms' };
}

/** Milliseconds per image of a run of `batch` images. */
const msPerImage = (seconds: number, batch: number) => (seconds * 1e3) / batch;

/** What a case runs: its workload (default `alexnet`), `only` when the paper measured one kind of layer. */
function workloadOf(c: FpgaCase): { workload: string; only: string | undefined } {
  const workload = c.workload.workload ?? 'alexnet';
  // Zhang et al.'s file predates `only`: its network is AlexNet CONV1–CONV5.
  const only = c.workload.only ?? (c.workload.workload === undefined ? 'conv' : undefined);
  return { workload, only };
}

/**
 * An AlexNet case must run what the paper ran: the original two-group AlexNet (96 CONV1 filters, CONV2 in two
 * groups), CONV1–CONV5. Checked on the registry's `alexnet` before any figure is compared.
 */
async function checkNetwork(registry: Registry, c: FpgaCase): Promise<void> {
  const { workload, only } = workloadOf(c);
  if (workload !== 'alexnet') return;
  if (!/alexnet/i.test(c.workload.network)) throw new Error(`fpga validation: no network for "${c.workload.network}"`);
  const net = await loadNetwork(registry, workload, c.workload.batch, checkPrecision(c.hardware.precision, 'precision'), only);
  const [first, second] = net.layers;
  const twoGroup =
    net.layers.length === 5 && first?.kind === 'conv2d' && first.params.outChannels === 96 && second?.kind === 'conv2d' && second.params.groups === 2;
  if (!twoGroup) throw new Error(`fpga validation: the registry's alexnet is not the two-group AlexNet (CONV1–5) that Zhang et al. ran`);
}

function source(c: FpgaCase, fallback: string): { citation: string; kind: ReferenceKind } {
  return { citation: c.source ?? fallback, kind: c.kind ?? 'measured' };
}

/**
 * The searched design, exactly as `trim explore --space fpga-<device> --set precision=… --set clockMHz=… [--set
 * <the case's family and fixed unrolls>] --workload … --goal latency` runs it: every (Tm, Tn) point of the device's
 * space through core's explore path (build, map, cost, schedule, check) under the template's resource guidelines,
 * the best by latency kept.
 */
export async function runSearchedCase(registry: Registry, c: FpgaCase, name: string): Promise<ValidationRow> {
  const device = deviceOf(c);
  const space = `fpga-${device.key}`;
  // A search compares whole-run totals: a throughput of one kind of layer is searched on those layers alone.
  const { workload, only: whole } = workloadOf(c);
  const only = whole ?? c.workload.throughputOf;
  const sets = [`precision=${c.hardware.precision}`, `clockMHz=${c.hardware.clockMHz}`, ...(c.search?.sets ?? [])];
  const prepared = prepareExplore(registry, {
    space: resolveSpace(registry, space),
    workload,
    ...(only !== undefined ? { only } : {}),
    phase: 'inference',
    batch: c.workload.batch,
    sets,
    goal: 'latency',
    search: 'exhaustive',
    seed: 1,
  });
  const backend = await inlineBackend(registry, prepared.job);
  let summary: Awaited<ReturnType<typeof runExplore>>['summary'];
  try {
    summary = (await runExplore({ prepared, backend })).summary;
  } finally {
    await backend.close();
  }
  const b = summary.best;
  if (!b) throw new Error(`fpga validation: no point of ${space} is feasible`);
  const { Tm, Tn } = b.hardware;
  const ref = measured(c);
  const extra = (c.search?.sets ?? []).map((s) => ` --set ${s}`).join('');
  return {
    suite: 'fpga',
    case: `${name}, searched best (trim explore --space ${space}${extra}${only !== undefined ? ` --only ${only}` : ''}: best of ${summary.feasible} feasible points, Tm=${Tm}, Tn=${Tn}, ${b.resources.dsp} DSP, ${b.resources.bram} BRAM)`,
    metric: ref.metric,
    ours: ref.metric === 'latencyMs' ? msPerImage(b.totals.seconds, c.workload.batch) : gops(b.totals.macs, b.totals.seconds),
    reference: ref.value,
    unit: ref.unit,
    tolerance: THROUGHPUT_TOLERANCE,
    source: source(c, name),
  };
}

/**
 * Throughput within 15 %; DSPs within 10 % (they follow from the engine's multipliers); block RAM within 20 %. LUTs
 * and flip-flops are per-multiplier estimates plus a fixed shell (`precision-table.ts`), not a netlist: they get the
 * block RAM's 20 % (the other resource whose count depends on how synthesis maps the design), not a figure chosen
 * from the rows.
 */
export const THROUGHPUT_TOLERANCE = 0.15;
export const DSP_TOLERANCE = 0.1;
export const BRAM_TOLERANCE = 0.2;
export const LOGIC_TOLERANCE = BRAM_TOLERANCE;

/** GOPS of a run: of all its layers, or of the layers of one kind (their MACs over their cycles). */
function throughputOf(r: EvalResult, kind: string | undefined): number {
  if (kind === undefined) return gops(r.totals.macs, r.totals.seconds);
  // `conv` is the CLI's name (`--only conv`) for the conv2d layers.
  const layerKind = kind === 'conv' ? 'conv2d' : kind;
  let macs = 0;
  let cycles = 0;
  for (const l of r.layers) {
    if (l.layerKind !== layerKind) continue;
    macs += l.macs;
    cycles += l.cycles;
  }
  return gops(macs, cycles / (r.clockMHz * 1e6));
}

/** The built-in architecture with the paper's engine: named by the case, or of the same device, precision and clock. */
function paperArchitecture(registry: Registry, c: FpgaCase): string | undefined {
  if (c.design !== undefined) return registry.architectures.entries().some((e) => e.name === c.design) ? c.design : undefined;
  const device = deviceOf(c);
  return registry.architectures.entries().find((e) => {
    const s = e.value.spec as Record<string, unknown>;
    return e.value.template === 'fpga' && s.device === device.key && s.precision === c.hardware.precision && s.clockMHz === c.hardware.clockMHz;
  })?.name;
}

/** The paper's block RAM in the device's blocks (Xilinx: 18 Kb halves; a 36 Kb count is doubled; Intel: M20K). */
function usedBlocks(c: FpgaCase): number | undefined {
  const u = c.hardware.used;
  if (!u) return undefined;
  if (u.bram18k !== undefined) return u.bram18k;
  if (u.bram36 !== undefined) return 2 * u.bram36;
  return u.m20k;
}

/**
 * The paper's own engine, exactly as `trim eval --arch <its built-in> --workload … [--only …]` runs it: a check of
 * the engine model apart from the search. Throughput, and the DSP and block RAM it uses against the paper's.
 */
export async function runPaperDesign(registry: Registry, c: FpgaCase, name: string): Promise<ValidationRow[]> {
  const arch = paperArchitecture(registry, c);
  if (!arch) return [];
  const { workload, only } = workloadOf(c);
  const r: EvalResult = await evaluateRequest(registry, { arch, workload, ...(only !== undefined ? { only } : {}), batch: c.workload.batch, goal: 'latency' });
  const engine = capabilityOf(r.hardware, fpgaEngineCapability)?.engine;
  const res = r.hardware.resources ?? {};
  const ref = measured(c);
  const derived = c.designKind === 'derived' ? ', engine size inferred' : '';
  const wino = engine?.winograd ? `, F(${engine.winograd.m}×${engine.winograd.m}, ${engine.winograd.r}×${engine.winograd.r}): ${res.multipliers} multipliers for ${res.macUnits} MAC lanes` : '';
  const label = `${name}, the paper's engine (trim eval --arch ${arch}: ${engine?.family ?? 'unrolled'} Tm=${engine?.Tm}, Tn=${engine?.Tn}${wino}${derived})`;
  const src = source(c, name);
  const rows: ValidationRow[] = [
    {
      suite: 'fpga',
      case: label,
      metric: ref.metric,
      ours: ref.metric === 'latencyMs' ? msPerImage(r.totals.seconds, c.workload.batch) : throughputOf(r, c.workload.throughputOf),
      reference: ref.value,
      unit: ref.unit,
      tolerance: THROUGHPUT_TOLERANCE,
      source: c.designKind === 'derived' ? { citation: `${src.citation} (engine size derived)`, kind: 'derived' } : src,
    },
  ];
  const dsp = c.hardware.used?.dsp;
  if (dsp !== undefined && res.dsp !== undefined) rows.push({ suite: 'fpga', case: label, metric: 'dsp', ours: res.dsp, reference: dsp, unit: 'DSP', tolerance: DSP_TOLERANCE, source: src });
  const blocks = usedBlocks(c);
  if (blocks !== undefined && res.bram !== undefined) {
    const unit = deviceOf(c).blockRam.type.kind === 'm20k' ? 'M20K' : 'BRAM18';
    rows.push({ suite: 'fpga', case: label, metric: 'bram', ours: res.bram, reference: blocks, unit, tolerance: BRAM_TOLERANCE, source: src });
  }
  // LUTs and flip-flops where the paper counts them as such (Xilinx); Intel ALMs and LEs are other units.
  const used = c.hardware.used ?? {};
  for (const metric of ['lut', 'ff'] as const) {
    const reference = used[metric];
    const ours = res[metric];
    if (reference !== undefined && ours !== undefined) rows.push({ suite: 'fpga', case: label, metric, ours, reference, unit: metric.toUpperCase(), tolerance: LOGIC_TOLERANCE, source: src });
  }
  return rows;
}

export const fpgaValidation = defineValidationSuite({
  name: 'fpga',
  description:
    'Published FPGA CNN accelerators (Zhang FPGA 2015, Qiu FPGA 2016, Ma FPGA 2017, Lu FCCM 2017, Wang FPT 2017 PipeCNN): each paper’s own engine (throughput or time per image, DSP, BRAM) and the best design trim explore finds of its family',
  detect: (dir) => readCases(dir).length > 0,
  async run(dir, { registry }) {
    const rows: ValidationRow[] = [];
    for (const { file, c } of readCases(dir)) {
      const name = file.replace(/\.json$/, '');
      await checkNetwork(registry, c);
      rows.push(...(await runPaperDesign(registry, c, name)));
      rows.push(await runSearchedCase(registry, c, name));
    }
    return rows;
  },
});

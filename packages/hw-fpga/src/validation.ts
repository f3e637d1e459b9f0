import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defineValidationSuite,
  Evaluator,
  parseWith,
  resolveArchitecture,
  filterLayers,
  inferenceOps,
  layerMatchesKind,
  resolveWorkload,
  type Network,
  type Registry,
  type ValidationRow,
} from '@trim-dse/core';
import { alexnetConvs } from './alexnet.js';
import { DEVICES } from './devices.js';
import { sweepSpace } from './sweep.js';

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

/**
 * The network a case names. AlexNet: the registry's `alexnet` when it is the original two-group network (96
 * CONV1 filters, two groups in CONV2), else the two-group CONV1–CONV5 built here; convolutions only.
 */
async function caseNetwork(registry: Registry, c: FpgaCase): Promise<{ net: Network; from: string }> {
  if (!/alexnet/i.test(c.workload.network)) throw new Error(`fpga validation: no network for "${c.workload.network}"`);
  try {
    const net = await resolveWorkload(registry, 'alexnet', { batch: c.workload.batch });
    const convs = filterLayers(net, (l) => layerMatchesKind(l, 'conv'));
    const first = convs.layers[0];
    const second = convs.layers[1];
    const twoGroup =
      convs.layers.length === 5 &&
      first?.kind === 'conv2d' && first.params.outChannels === 96 &&
      second?.kind === 'conv2d' && second.params.groups === 2;
    if (twoGroup) return { net: convs, from: 'registry alexnet' };
  } catch {
    // No alexnet in the registry: fall back to ours.
  }
  return { net: alexnetConvs(), from: 'two-group AlexNet (hw-fpga)' };
}

/** Runs one case as the explorer would: device, precision and clock fixed, Tm × Tn searched on the device's space. */
export async function runFpgaCase(registry: Registry, c: FpgaCase, name: string): Promise<{ row: ValidationRow; detail: Record<string, number | string> }> {
  const device = Object.values(DEVICES).find((d) => d.board === c.hardware.board);
  if (!device) throw new Error(`fpga validation: no built-in device for board "${c.hardware.board}"`);
  const { net, from } = await caseNetwork(registry, c);
  const ops = inferenceOps(net);
  const sweep = sweepSpace(registry, `fpga-${device.key}`, [`precision=${c.hardware.precision}`, `clockMHz=${c.hardware.clockMHz}`], ops, 'latency');
  const b = sweep.best;
  const seconds = b.cycles / (c.hardware.clockMHz * 1e6);
  const gflops = (2 * b.macs) / seconds / 1e9;
  const fpga = b.hw.meta.fpga as { engine: { Tm: number; Tn: number } };
  const res = b.hw.meta.resources as Record<string, number>;
  return {
    row: {
      suite: 'fpga',
      case: `${name} (${from}; best of ${sweep.feasible} feasible points: Tm=${fpga.engine.Tm}, Tn=${fpga.engine.Tn}, ${res.dsp} DSP, ${res.bram} BRAM)`,
      metric: 'throughputGFLOPS',
      ours: gflops,
      reference: c.measured.throughputGFLOPS,
      unit: 'GFLOPS',
      tolerance: 0.15,
    },
    detail: {
      Tm: fpga.engine.Tm,
      Tn: fpga.engine.Tn,
      cycles: b.cycles,
      latencyMs: seconds * 1e3,
      dsp: res.dsp,
      bram: res.bram,
      lut: res.lut,
      ff: res.ff,
      feasible: sweep.feasible,
      infeasible: sweep.infeasible,
    },
  };
}

/**
 * The paper's own engine, when a built-in architecture of the fpga template describes it (same board, precision and
 * clock): its throughput on the same network, a check of the engine model apart from the search.
 */
export async function runPaperDesign(registry: Registry, c: FpgaCase, name: string): Promise<ValidationRow | undefined> {
  const device = Object.values(DEVICES).find((d) => d.board === c.hardware.board);
  const arch = registry.architectures.entries().find((e) => {
    const s = e.value.spec as Record<string, unknown>;
    return e.value.template === 'fpga' && s.device === device?.key && s.precision === c.hardware.precision && s.clockMHz === c.hardware.clockMHz;
  });
  if (!arch) return undefined;
  const { model } = resolveArchitecture(registry, arch.name);
  const { net, from } = await caseNetwork(registry, c);
  const ev = new Evaluator(model, registry.dataflowsFor('fpga').map((plugin) => ({ plugin, config: plugin.configSchema ? parseWith(plugin.configSchema, {}, plugin.name) : {} })), 'latency');
  let cycles = 0;
  let macs = 0;
  for (const op of inferenceOps(net)) {
    const r = ev.evaluateOp(op);
    cycles += r.cycles;
    macs += r.macs;
  }
  const engine = (model.meta.fpga as { engine: { Tm: number; Tn: number } }).engine;
  return {
    suite: 'fpga',
    case: `${name} (${from}; the paper's engine ${arch.name}: Tm=${engine.Tm}, Tn=${engine.Tn})`,
    metric: 'throughputGFLOPS',
    ours: (2 * macs * model.clockMHz * 1e6) / cycles / 1e9,
    reference: c.measured.throughputGFLOPS,
    unit: 'GFLOPS',
    tolerance: 0.15,
  };
}

export const fpgaValidation = defineValidationSuite({
  name: 'fpga',
  description: 'Published FPGA CNN accelerators (Zhang et al. FPGA 2015 on the VC707): throughput of the best Tm×Tn design the model finds',
  detect: (dir) => readCases(dir).length > 0,
  async run(dir, { registry }) {
    const rows: ValidationRow[] = [];
    for (const { file, c } of readCases(dir)) {
      const name = file.replace(/\.json$/, '');
      rows.push((await runFpgaCase(registry, c, name)).row);
      const paper = await runPaperDesign(registry, c, name);
      if (paper) rows.push(paper);
    }
    return rows;
  },
});

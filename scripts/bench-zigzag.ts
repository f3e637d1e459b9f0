// `pnpm bench peers`, ZigZag half: ResNet-18 (ZigZag's ONNX) on ZigZag's own tpu_like and 6-level eyeriss_like
// accelerators (validation/zigzag/inputs), objective energy, through ZigZag LOMA and through `trim eval`
// (`evaluateRequest`, goal energy), one JSON line per layer and one per accelerator with both totals, CPU seconds and
// ratios. TRIM runs layer by layer (`interlayer: false`, `fusion: 'none'`) because ZigZag's default pipeline
// evaluates each layer alone from DRAM to DRAM, without fusion.
//   - ZigZag installed (ZIGZAG_SRC=/path/to/zigzag-source, ZIGZAG_PYTHON=python3 with its Debian packages; see
//     docs/benchmarks.md): measured, `"source": "measured"` (ZIGZAG_ACCELERATORS=tpu_like,… runs only those).
//   - otherwise the totals recorded on this project's machine, labelled `"source": "recorded"`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { evaluateRequest, type Registry } from '../packages/core/src/index.js';

const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (v: number, digits = 4) => Number(v.toPrecision(digits));

const Z = join(import.meta.dirname, '../validation/zigzag/inputs');
const WORKLOAD = `${Z}/workload/resnet18.onnx`;
const CASES = [
  { accelerator: 'tpu_like', hardware: `${Z}/hardware/tpu_like.yaml`, mapping: `${Z}/mapping/tpu_like.yaml` },
  { accelerator: 'eyeriss_like', hardware: `${Z}/hardware/eyeriss_like.yaml`, mapping: `${Z}/mapping/eyeriss_like_autosm.yaml` },
] as const;

/** Measured with ZIGZAG_SRC set (ZigZag 3.8.5 from its public source, Debian 12 packages), 2026-11-30 (re-measured after the no-bypass and 16-bit partial-sum changes). */
const RECORDED = {
  machine: '2-core AMD EPYC (shared), 24 GiB, Debian 12, Node 20, Python 3.11',
  date: '2026-11-30',
  totals: [
    // With ZigZag's 16-bit partial sums on both sides (the importer's psumBits) and its memories without bypass.
    // Before (8-bit partial sums in TRIM): tpu_like 1.83e9 pJ (0.984×, 0.908–0.9999 per layer); eyeriss_like with
    // the PE registers skipped 5.429e9 pJ (0.413×), without bypass 9.753e9 (0.742×).
    { accelerator: 'tpu_like', zigzag: { energyPj: 1.86e9, cpuSeconds: 61.9 }, trim: { energyPj: 1.868e9, cpuSeconds: 1.51 }, ratio: { energy: 1.004, cpuSeconds: 0.0243 }, layersTrimAbove: '17 of 21 (0.925–1.021×, median 1.011×)' },
    { accelerator: 'eyeriss_like', zigzag: { energyPj: 1.314e10, cpuSeconds: 255 }, trim: { energyPj: 1.225e10, cpuSeconds: 3.52 }, ratio: { energy: 0.9327, cpuSeconds: 0.0138 }, layersTrimAbove: '4 of 21 (0.840–1.039×, median 0.948×)' },
  ],
} as const;

/**
 * TRIM's YAML reader refuses a repeated key (tpu_like.yaml repeats `ports:` in `sram_2MB`); ZigZag reads it with
 * PyYAML, which keeps the last. The copy TRIM reads resolves it the same way.
 */
function asPyYamlReadsIt(path: string, dir: string): string {
  const out = join(dir, path.split('/').pop() ?? 'accelerator.yaml');
  writeFileSync(out, stringify(parse(readFileSync(path, 'utf8'), { uniqueKeys: false })));
  return out;
}

interface PeerRun {
  energyPj: number;
  latencyCycles: number;
  cpuSeconds: number;
  layers: Array<{ name: string; energyPj: number; latencyCycles: number }>;
}

function runZigZag(source: string, c: (typeof CASES)[number], dump: string): PeerRun {
  const python = process.env.ZIGZAG_PYTHON ?? 'python3';
  const r = spawnSync(python, [join(import.meta.dirname, 'zigzag/run.py'), source, c.hardware, c.mapping, WORKLOAD, 'energy', dump], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`ZigZag on ${c.accelerator} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as PeerRun;
}

export async function benchZigZag(registry: Registry): Promise<void> {
  const source = process.env.ZIGZAG_SRC;
  if (!source) {
    for (const t of RECORDED.totals) {
      emit({ bench: 'peers-zigzag', source: 'recorded', machine: RECORDED.machine, date: RECORDED.date, workload: 'resnet18', objective: 'energy', ...t });
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trim-zigzag-'));
  try {
    const only = process.env.ZIGZAG_ACCELERATORS?.split(',');
    for (const c of CASES) {
      if (only && !only.includes(c.accelerator)) continue;
      const arch = asPyYamlReadsIt(c.hardware, dir);
      const c0 = process.cpuUsage();
      const trim = await evaluateRequest(registry, { arch, workload: WORKLOAD, goal: 'energy', interlayer: false, fusion: 'none' });
      const used = process.cpuUsage(c0);
      const trimCpu = (used.user + used.system) / 1e6;
      const peer = runZigZag(source, c, join(dir, c.accelerator));
      const byName = new Map(trim.layers.filter((l) => l.macs > 0).map((l) => [l.name, l]));
      let above = 0;
      let trimSum = 0;
      for (const z of peer.layers) {
        const t = byName.get(z.name);
        if (!t) continue;
        const ratio = t.energyPj.total / z.energyPj;
        if (ratio > 1) above++;
        trimSum += t.energyPj.total;
        emit({ bench: 'peers-zigzag', source: 'measured', accelerator: c.accelerator, layer: z.name, zigzagEnergyPj: round(z.energyPj), trimEnergyPj: round(t.energyPj.total), ratio: round(ratio) });
      }
      emit({
        bench: 'peers-zigzag',
        source: 'measured',
        accelerator: c.accelerator,
        workload: 'resnet18',
        objective: 'energy',
        layers: peer.layers.length,
        zigzag: { energyPj: round(peer.energyPj), cpuSeconds: round(peer.cpuSeconds, 3) },
        trim: { energyPj: round(trimSum), cpuSeconds: round(trimCpu, 3) },
        ratio: { energy: round(trimSum / peer.energyPj), cpuSeconds: round(trimCpu / peer.cpuSeconds) },
        layersTrimAbove: `${above} of ${peer.layers.length}`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `pnpm bench depth`: the mapper on deep hierarchies. ResNet-18 (ZigZag's ONNX) on ZigZag's 6-level eyeriss_like
// (validation/zigzag/inputs, read by the zigzag template's importer: 7 memory levels, 6 of them tiled):
//   1. the whole `trim eval` (evaluateRequest, the one path; default --mapper auto = beam here): CPU seconds, energy,
//      cycles, candidates priced;
//   2. beam against exhaustive on the same mapspace made small enough for exhaustive to finish (maxCandidates 2,
//      every distinct layer shape × every dataflow): the ratio of their best (goal latency and energy) and the CPU
//      seconds of each.
import { fileURLToPath } from 'node:url';
import { bestMapping, evaluateRequest, loadNetwork, phaseOps, pickDataflows, rank, resolveArchitecture, type Goal, type MacOp, type Registry } from '../packages/core/src/index.js';

const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (v: number, digits = 3) => Number(v.toPrecision(digits));
const cpuSince = (c0: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1e6;
};

const ARCH = fileURLToPath(new URL('../validation/zigzag/inputs/hardware/eyeriss_like.yaml', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('../validation/zigzag/inputs/workload/resnet18.onnx', import.meta.url));

export async function benchDepth(registry: Registry): Promise<void> {
  const { model: hw, template } = resolveArchitecture(registry, ARCH);
  for (const goal of ['latency', 'energy'] as const) {
    const c0 = process.cpuUsage();
    const r = await evaluateRequest(registry, { arch: ARCH, workload: WORKLOAD, goal });
    emit({
      bench: 'depth-eval',
      arch: 'zigzag eyeriss_like',
      levels: hw.levels.length,
      workload: 'resnet18',
      goal,
      mapper: 'auto (beam)',
      cpuSeconds: round(cpuSince(c0)),
      candidates: r.mappingsEvaluated,
      cycles: r.totals.cycles,
      energyPj: round(r.totals.energyPj),
    });
  }
  const net = await loadNetwork(registry, WORKLOAD, 1, hw.precision);
  const seen = new Set<string>();
  const ops = (phaseOps(registry, 'inference', net, 1).filter((o) => o.kind === 'mac') as MacOp[]).filter((o) => !seen.has(o.key) && seen.add(o.key));
  const dataflows = pickDataflows(registry, template, 'auto').map((d) => ({ ...d, config: { ...(d.config as object), maxCandidates: 2 } }));
  for (const goal of ['latency', 'energy'] as Goal[]) {
    let beamCpu = 0;
    let exhaustiveCpu = 0;
    let worst = 1;
    let sum = 0;
    let pairs = 0;
    let same = 0;
    for (const op of ops) {
      for (const df of dataflows) {
        let c0 = process.cpuUsage();
        const b = bestMapping(op, hw, df, goal, { mode: 'beam', budget: Infinity });
        beamCpu += cpuSince(c0);
        c0 = process.cpuUsage();
        const e = bestMapping(op, hw, df, goal, { mode: 'exhaustive', budget: Infinity });
        exhaustiveCpu += cpuSince(c0);
        if (!('mapping' in b) || !('mapping' in e)) continue;
        const ratio = rank(goal, b.cost) / rank(goal, e.cost);
        pairs++;
        sum += ratio;
        worst = Math.max(worst, ratio);
        if (ratio <= 1 + 1e-9) same++;
      }
    }
    emit({
      bench: 'depth-beam-vs-exhaustive',
      arch: 'zigzag eyeriss_like (maxCandidates 2)',
      goal,
      pairs,
      sameBest: same,
      meanRatio: round(sum / pairs, 5),
      worstRatio: round(worst, 5),
      beamCpuSeconds: round(beamCpu),
      exhaustiveCpuSeconds: round(exhaustiveCpu),
    });
  }
}

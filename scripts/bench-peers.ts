// `pnpm bench peers`: TRIM side by side with timeloop-mapper on Timeloop's own Eyeriss-like inputs (the architecture,
// its constraints, the problem files and the ERT of validation/timeloop), one JSON line per layer.
//   - timeloop-mapper installed (on PATH, or TIMELOOP_BIN=/path/to/timeloop-mapper): each layer runs through it (the
//     energy-only mapper.yaml of validation/timeloop/derived, with the shipped mapspace constraints) and through TRIM's
//     own search (dataflow `timeloop-search`, goal energy, via `evaluateRequest`: the pipeline of `trim eval`), and
//     the line gives both tools' best energy, cycles, EDP, CPU seconds and TRIM/peer ratios ("measured").
//   - otherwise the figures recorded on this project's machine are printed, each line labelled "recorded" with the
//     machine and the date (docs/benchmarks.md says how to install Timeloop and ZigZag).
// Energies are as each tool prices its own mapping (the conventions that differ: packages/timeloop/README.md).
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { evaluateRequest, type Registry } from '../packages/core/src/index.js';

const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (v: number, digits = 4) => Number(v.toPrecision(digits));

const V = join(import.meta.dirname, '../validation/timeloop');
const ISPASS = `${V}/inputs/ispass_timeloop+accelergy`;
const BASELINE = `${V}/inputs/baseline_designs`;
/** One architecture for every layer: the ispass and baseline eyeriss_like int16 files are byte-identical. */
const ARCH = `${ISPASS}/arch/eyeriss_like-int16.yaml`;
const ARCH_CONSTRAINTS = `${ISPASS}/constraints/eyeriss_like_arch_constraints.yaml`;
const MAP_CONSTRAINTS = `${ISPASS}/constraints/eyeriss_like_map_constraints.yaml`;
const ERT = `${V}/derived/eyeriss_like-int16.ERT.yaml`;
/** The shipped mapper.yaml with energy as its only metric: the objective TRIM's `--goal energy` has. */
const MAPPER = `${V}/derived/mapper-energy.yaml`;

const LAYERS: ReadonlyArray<{ layer: string; problem: string }> = [
  { layer: 'ispass 3x3 C128 M256 P56 Q56', problem: `${ISPASS}/prob/prob.yaml` },
  ...[1, 2, 3, 4, 5].map((i) => ({ layer: `AlexNet layer ${i}`, problem: `${BASELINE}/layer_shapes/AlexNet/AlexNet_layer${i}.yaml` })),
];

/**
 * The measured mode's own output on this project's machine, 2026-11-29: Timeloop v3.0.3 built from source
 * (docs/benchmarks.md), `TIMELOOP_BIN=… nice -n 10 pnpm bench peers`. TRIM's CPU-s are the search alone (in this
 * process, no start-up); timeloop-mapper's its whole process, all threads.
 */
const RECORDED = {
  machine: '2-core AMD EPYC (shared), 24 GiB, Debian 12, Node 20',
  date: '2026-11-29',
  layers: [
    { layer: 'ispass 3x3 C128 M256 P56 Q56', trim: { energyUJ: 5056.86, cycles: 5_505_024, cpuSeconds: 0.931 }, timeloopMapper: { energyUJ: 5364.79, cycles: 5_505_024, cpuSeconds: 38.5 } },
    { layer: 'AlexNet layer 1', trim: { energyUJ: 602.133, cycles: 958_320, cpuSeconds: 0.66 }, timeloopMapper: { energyUJ: 647.91, cycles: 958_320, cpuSeconds: 10.7 } },
    { layer: 'AlexNet layer 2', trim: { energyUJ: 2377.23, cycles: 3_732_480, cpuSeconds: 0.79 }, timeloopMapper: { energyUJ: 2787.13, cycles: 4_976_640, cpuSeconds: 34.6 } },
    { layer: 'AlexNet layer 3', trim: { energyUJ: 863.497, cycles: 1_038_336, cpuSeconds: 0.837 }, timeloopMapper: { energyUJ: 942.29, cycles: 958_464, cpuSeconds: 31.1 } },
    { layer: 'AlexNet layer 4', trim: { energyUJ: 1291.9, cycles: 1_557_504, cpuSeconds: 0.821 }, timeloopMapper: { energyUJ: 1536.69, cycles: 1_437_696, cpuSeconds: 39.7 } },
    { layer: 'AlexNet layer 5', trim: { energyUJ: 859.853, cycles: 1_557_504, cpuSeconds: 0.87 }, timeloopMapper: { energyUJ: 986.96, cycles: 1_277_952, cpuSeconds: 39 } },
  ],
  // Issue 18, measured side by side in the same window on this kind of machine (peers' own mapper throughput).
  peers: [
    { tool: 'timeloop-mapper', figure: '250–1,050 valid mappings per CPU-s', date: '2026-11' },
    { tool: 'ZigZag LOMA', figure: '150–310 evaluations per CPU-s; ResNet-18 on tpu_like ~80 CPU-s, best 1.86e9 pJ; ResNet-18 on the 6-level eyeriss_like 328 CPU-s (TRIM side by side: the peers-zigzag lines)', date: '2026-11' },
    { tool: 'SCALE-Sim', figure: 'AlexNet on a 256x256 array: 35 CPU-s, 1.4 GB', date: '2026-11' },
  ],
} as const;

interface Best {
  energyUJ: number;
  cycles: number;
  cpuSeconds: number;
}

/** EDP as Timeloop prints it (`EDP(J*cycle)`): energy in joules times cycles. */
const edp = (b: Best) => round(b.energyUJ * 1e-6 * b.cycles);

/** The timeloop-mapper to run: TIMELOOP_BIN, else `timeloop-mapper` on PATH; undefined when neither exists. */
function timeloopMapper(): string | undefined {
  const given = process.env.TIMELOOP_BIN;
  if (given) return given;
  return (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'timeloop-mapper')).find((p) => existsSync(p));
}

/**
 * CPU seconds of this process's finished children (user + system; /proc/self/stat fields 16–17 in clock ticks of
 * 1/100 s, Linux's USER_HZ): read before and after a child that spawnSync waited for.
 */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on (the name may hold spaces)
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function runTimeloop(bin: string, problem: string): Best {
  const dir = mkdtempSync(join(tmpdir(), 'trim-bench-peers-'));
  try {
    // A build tree's binary finds its libtimeloop-*.so beside it.
    const env = { ...process.env, LD_LIBRARY_PATH: [dirname(bin), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter) };
    const before = childCpuSeconds();
    const r = spawnSync(bin, [ARCH, ARCH_CONSTRAINTS, MAP_CONSTRAINTS, MAPPER, problem, ERT], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    const cpuSeconds = childCpuSeconds() - before;
    const statsFile = join(dir, 'timeloop-mapper.stats.txt');
    if (r.status !== 0 || !existsSync(statsFile)) throw new Error(`${bin} failed on ${problem} (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
    const stats = readFileSync(statsFile, 'utf8');
    const energy = /^Energy: ([\d.]+) uJ$/m.exec(stats);
    const cycles = /^Cycles: (\d+)$/m.exec(stats);
    if (!energy || !cycles) throw new Error(`${statsFile}: no "Energy: … uJ" / "Cycles: …" summary lines`);
    return { energyUJ: Number(energy[1]), cycles: Number(cycles[1]), cpuSeconds: round(cpuSeconds, 3) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runTrim(registry: Registry, problem: string): Promise<Best> {
  const t = process.cpuUsage();
  const r = await evaluateRequest(registry, { arch: ARCH, sets: [`constraints=${ARCH_CONSTRAINTS}`], energyTable: ERT, workload: problem, dataflow: 'timeloop-search', goal: 'energy' });
  const cpu = process.cpuUsage(t);
  return { energyUJ: round(r.totals.energyPj / 1e6, 6), cycles: r.totals.cycles, cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3) };
}

const line = (layer: string, trim: Best, peer: Best, source: Record<string, string>) =>
  emit({
    bench: 'peers',
    peer: 'timeloop-mapper',
    layer,
    ...source,
    trim: { ...trim, edp: edp(trim) },
    timeloopMapper: { ...peer, edp: edp(peer) },
    ratio: { energy: round(trim.energyUJ / peer.energyUJ), cycles: round(trim.cycles / peer.cycles), edp: round(edp(trim) / edp(peer)), cpuSeconds: round(trim.cpuSeconds / peer.cpuSeconds) },
  });

export async function benchPeers(registry: Registry): Promise<void> {
  const bin = timeloopMapper();
  if (!bin) {
    const source = { source: 'recorded', machine: RECORDED.machine, date: RECORDED.date, note: 'timeloop-mapper not found (PATH, TIMELOOP_BIN): figures recorded earlier' };
    for (const r of RECORDED.layers) line(r.layer, r.trim, r.timeloopMapper, source);
    for (const p of RECORDED.peers) emit({ bench: 'peers', source: 'recorded (issue 18)', machine: RECORDED.machine, ...p });
    return;
  }
  for (const { layer, problem } of LAYERS) {
    const trim = await runTrim(registry, problem);
    const peer = runTimeloop(bin, problem);
    line(layer, trim, peer, { source: 'measured', peerBinary: bin });
  }
}

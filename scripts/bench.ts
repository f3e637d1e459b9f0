// `pnpm bench`: performance figures as JSON lines (one object per measurement, `bench` names it).
//   1. evaluate: mapping evaluations per second on one core (the template's cost model, `hw.cost.evaluate`: on
//      generic-16x16 the loop-nest engine's three stages; a ResNet-style 3×3 conv).
//   2. mapspace: the same through `bestMapping` (enumeration + evaluation + pruning probes).
//   3. resnet50-mappings: time to find the best mapping of every ResNet-50 layer on each built-in architecture of
//      interest (inference and training when a training phase model is registered).
//   5. scalesim: ResNet-18 on SCALE-Sim's 32×32 configuration per dataflow (see benchScaleSim).
//   6. depth (only by name): the mapper on ZigZag's 6-level eyeriss_like (scripts/bench-depth.ts).
//   4. sweep: a ≥ 1,000-point hardware sweep of ResNet-50 on 2 worker threads: a registered sweep space grown to
//      BENCH_SWEEP_POINTS points (default 1000; 0 skips), BENCH_SWEEP_SPACE to pick it, BENCH_SWEEP_BUDGET to stop early.
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bestMapping,
  builtinSpaces,
  copyMapping,
  definePlugin,
  Cost,
  createBackend,
  evaluateRequest,
  Evaluator,
  loadNetwork,
  macOp,
  phaseOps,
  pickDataflows,
  prepareExplore,
  resolveArchitecture,
  runExplore,
  spaceFromSpec,
  tiledMapspace,
  type DesignSpaceSpec,
  type Mapping,
  type Registry,
} from '../packages/core/src/index.js';
import { createRegistry } from '../apps/cli/src/builtins.js';

const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (v: number, digits = 3) => Number(v.toPrecision(digits));

const conv = macOp({
  name: 'conv3x3',
  layer: 'conv3x3',
  layerKind: 'conv2d',
  phase: 'forward',
  bounds: { N: 1, K: 128, C: 128, P: 28, Q: 28, R: 3, S: 3 },
  operands: [
    { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
  ],
});
const convSpec = { spatialX: ['K'], spatialY: ['C'], peOrder: ['P', 'Q', 'R', 'S'], outerOrders: [['K', 'C', 'N', 'P', 'Q', 'R', 'S']] } as const;

function benchEvaluate(registry: Registry): void {
  const hw = resolveArchitecture(registry, 'generic-16x16').model;
  const maps: Mapping[] = [];
  tiledMapspace(conv, hw, convSpec, (m) => {
    if (maps.length < 4000) maps.push(copyMapping(m));
  });
  const cost = new Cost(hw.levels.length);
  const model = hw.cost;
  let legal = 0;
  for (const m of maps) if (model.evaluate(conv, m, cost).legal) legal++;
  // Per wall-clock second and per second of this process's CPU time (the figure that does not depend on how busy
  // the machine is); the median of 5 runs of 0.5 s each.
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    let n = 0;
    while (performance.now() - t < 500) {
      for (const m of maps) model.evaluate(conv, m, cost);
      n += maps.length;
    }
    const used = process.cpuUsage(c0);
    wall.push(n / ((performance.now() - t) / 1000));
    cpu.push(n / ((used.user + used.system) / 1e6));
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  emit({
    bench: 'evaluate',
    op: 'conv 3x3 K128 C128 28x28',
    arch: 'generic-16x16',
    mappings: maps.length,
    legal,
    evalsPerSecond: Math.round(wall[2]),
    evalsPerCpuSecond: Math.round(cpu[2]),
    loadAverage: round(loadavg()[0]),
  });
}

function benchMapspace(registry: Registry): void {
  const hw = resolveArchitecture(registry, 'generic-16x16').model;
  const df = { plugin: { kind: 'dataflow' as const, name: 'bench', description: '', templates: '*' as const, mapspace: (op: typeof conv, h: typeof hw, e: (m: Mapping) => void) => tiledMapspace(op, h, convSpec, e) }, config: {} };
  const c0 = process.cpuUsage();
  const t = performance.now();
  const r = bestMapping(conv, hw, df, 'latency');
  const s = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c0);
  const cpuS = (used.user + used.system) / 1e6;
  emit({ bench: 'mapspace', op: 'conv 3x3 K128 C128 28x28', arch: 'generic-16x16', mappings: r.evaluated, seconds: round(s), mappingsPerSecond: Math.round(r.evaluated / s), mappingsPerCpuSecond: Math.round(r.evaluated / cpuS) });
}

async function benchResnet(registry: Registry): Promise<void> {
  const archs = ['eyeriss', 'generic-16x16', 'systolic-32x32'];
  const phases = ['inference', 'training'].filter((p) => registry.phaseModels.has(p));
  for (const arch of archs) {
    if (!registry.architectures.has(arch)) {
      emit({ bench: 'resnet50-mappings', arch, skipped: 'architecture not registered' });
      continue;
    }
    const { model: hw, template } = resolveArchitecture(registry, arch);
    const dataflows = pickDataflows(registry, template, 'auto');
    if (dataflows.length === 0) {
      emit({ bench: 'resnet50-mappings', arch, skipped: `no dataflow for template ${template}` });
      continue;
    }
    for (const phase of phases) {
      const net = await loadNetwork(registry, 'resnet50', 1, hw.precision);
      const ops = phaseOps(registry, phase, net, 1);
      const c0 = process.cpuUsage();
      const t = performance.now();
      const ev = new Evaluator(hw, dataflows, 'latency');
      let failed = 0;
      for (const op of ops) {
        try {
          ev.evaluateOp(op);
        } catch {
          failed++;
        }
      }
      const s = (performance.now() - t) / 1000;
      const used = process.cpuUsage(c0);
      emit({
        bench: 'resnet50-mappings',
        arch,
        phase,
        dataflows: dataflows.map((d) => d.plugin.name),
        ops: ops.length,
        unmappable: failed,
        mappings: ev.mappingsEvaluated,
        seconds: round(s),
        cpuSeconds: round((used.user + used.system) / 1e6),
        mappingsPerSecond: Math.round(ev.mappingsEvaluated / s),
      });
    }
  }
}

/**
 * The cost of fusion: `trim eval` (evaluateRequest, the one path) of ResNet-18 and ResNet-50 with `--fusion none`,
 * `epilogue` and `full` on each architecture: CPU seconds (mapping search, scheduling, and for `full` the
 * depth-first stacks' band-op searches and attention blocks) beside the DRAM bytes, cycles and energy they give.
 */
async function benchFusion(registry: Registry): Promise<void> {
  for (const arch of ['generic-16x16', 'eyeriss', 'tpu-v1']) {
    if (!registry.architectures.has(arch)) continue;
    for (const workload of ['resnet18', 'resnet50']) {
      const base: Record<string, number> = {};
      // A first run warms the JIT and the plug-ins (each request maps with a fresh evaluator: no memo carries over).
      await evaluateRequest(registry, { arch, workload, fusion: 'none' });
      for (const fusion of ['none', 'epilogue', 'full'] as const) {
        const c0 = process.cpuUsage();
        const r = await evaluateRequest(registry, { arch, workload, fusion });
        const used = process.cpuUsage(c0);
        const cpuSeconds = round((used.user + used.system) / 1e6);
        if (fusion === 'none') base.cpu = cpuSeconds;
        emit({
          bench: 'fusion',
          arch,
          workload,
          fusion,
          cpuSeconds,
          cpuVsNone: round(cpuSeconds / base.cpu),
          dramBytes: r.totals.dramBytes,
          cycles: r.totals.cycles,
          energyPj: round(r.totals.energyPj),
          groups: r.interlayer.fusion?.groups.length ?? 0,
          stacks: r.interlayer.fusion?.stacks.length ?? 0,
        });
      }
    }
  }
}

/** A registered space grown to at least `points` points by adding doubled values to its numeric parameters. */
function grownSpace(spec: DesignSpaceSpec, points: number): DesignSpaceSpec {
  const params: Record<string, unknown[]> = Object.fromEntries(Object.entries(spec.parameters).map(([k, v]) => [k, [...v]]));
  const size = () => Object.values(params).reduce((a, v) => a * v.length, 1);
  for (let round = 0; size() < points && round < 10; round++) {
    for (const values of Object.values(params)) {
      if (size() >= points) break;
      const nums = values.filter((v): v is number => typeof v === 'number');
      if (nums.length === values.length && nums.length > 0) values.push(Math.max(...nums) * 2);
    }
  }
  return { ...spec, name: `${spec.name}-bench`, parameters: params };
}

async function benchSweep(registry: Registry): Promise<void> {
  const points = Number(process.env.BENCH_SWEEP_POINTS ?? 1000);
  if (points <= 0) return;
  const candidates = process.env.BENCH_SWEEP_SPACE ? [process.env.BENCH_SWEEP_SPACE] : ['spatial-sweep', 'generic-sweep', 'systolic-sweep'];
  const base = candidates.find((n) => registry.spaces.has(n) && registry.dataflowsFor(registry.spaces.get(n).template).length > 0);
  if (!base) {
    emit({ bench: 'sweep', skipped: 'no registered sweep space with a dataflow' });
    return;
  }
  const spec = grownSpace(registry.spaces.get(base), points);
  const budget = process.env.BENCH_SWEEP_BUDGET ? Number(process.env.BENCH_SWEEP_BUDGET) : undefined;
  const prepared = prepareExplore(registry, { space: spaceFromSpec(spec), workload: 'resnet50', search: 'exhaustive', seed: 1, ...(budget ? { budget } : {}) });
  const workers = 2;
  // Workers build their registry from the CLI built-ins; the job carries the space itself, so the extra spaces
  // registered above are not needed there.
  const backend = await createBackend({
    workers,
    registry,
    registryModule: new URL('../apps/cli/src/builtins.ts', import.meta.url).href,
    job: prepared.job,
  });
  const t = performance.now();
  try {
    const out = join(tmpdir(), `trim-bench-sweep-${process.pid}.jsonl`);
    const res = await runExplore({ prepared, backend, out });
    const s = (performance.now() - t) / 1000;
    emit({
      bench: 'sweep',
      space: spec.name,
      workload: 'resnet50',
      workers,
      template: spec.template,
      points: res.summary.evaluated,
      feasible: res.summary.feasible,
      mappings: res.records.reduce((a, r) => a + r.mappings, 0),
      seconds: round(s),
      pointsPerSecond: round(res.summary.evaluated / s),
      out,
    });
  } finally {
    await backend.close();
  }
}

/**
 * 5. scalesim-resnet18: ResNet-18 on SCALE-Sim's own 32×32 configuration, once per dataflow, through the whole
 *    `trim eval` path (`evaluateRequest`: resolve, lower, map, cost, schedule, check) from a cold start of the
 *    evaluator (the SCALE-Sim reference runs took 3–8 minutes and 2–6 GB per network on this kind of machine).
 */
async function benchScaleSim(registry: Registry): Promise<void> {
  const dir = join(import.meta.dirname, '../validation/scalesim');
  for (const df of ['ws', 'os', 'is']) {
    const cfg = join(dir, `a_32x32_${df}_resnet18/config.cfg`);
    const topology = join(dir, `a_32x32_${df}_resnet18/topology.csv`);
    const here = existsSync(cfg) && existsSync(topology);
    const t = performance.now();
    const r = await evaluateRequest(registry, here ? { arch: cfg, workload: topology, dataflow: df } : { arch: 'systolic-32x32', sets: [`dataflow=${df}`], workload: 'resnet18', dataflow: df });
    const ms = performance.now() - t;
    emit({ bench: 'scalesim-resnet18', dataflow: df, workload: here ? 'scalesim case' : 'resnet18', layers: r.layers.length, cycles: r.totals.cycles, ms: round(ms), speedupVsScaleSim3min: round((3 * 60 * 1000) / ms) });
  }
}

const registry = await createRegistry();
// The data-only built-in spaces (systolic-sweep, generic-sweep), unless a plug-in already registers them.
const missing = builtinSpaces.filter((s) => !registry.spaces.has(s.name));
if (missing.length) registry.use(definePlugin({ name: 'bench-spaces', spaces: missing }));
const only = process.argv[2];
if (!only || only === 'evaluate') benchEvaluate(registry);
if (!only || only === 'mapspace') benchMapspace(registry);
if (!only || only === 'resnet50') await benchResnet(registry);
if (!only || only === 'scalesim') await benchScaleSim(registry);
if (!only || only === 'sweep') await benchSweep(registry);
if (!only || only === 'fusion') await benchFusion(registry);
if (only === 'peers') await (await import('./bench-peers.js')).benchPeers(registry); // side by side with timeloop-mapper
if (only === 'peers') await (await import('./bench-zigzag.js')).benchZigZag(registry); // and with ZigZag LOMA (ZIGZAG_SRC)
if (only === 'depth') await (await import('./bench-depth.js')).benchDepth(registry); // the mapper on a 6-level hierarchy

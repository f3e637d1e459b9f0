import fc from 'fast-check';
import type { CapturedRun } from '../../src/capture.js';
import { OnnxModelBuilder } from '../../../../packages/workloads/test/onnx-fixtures.js';
import { stringify } from 'yaml';

/** One generated CLI run: its arguments and the files it reads ("$DIR/" in argv is the run's temp folder). */
export interface FuzzInput {
  argv: string[];
  files: Record<string, string | Uint8Array>;
  /** A results file in $DIR whose lock another run holds while this one runs (two runs sharing one `--out`). */
  lockedOut?: string;
  /** Symlinks to create in $DIR: name → target (relative to $DIR). */
  links?: Record<string, string>;
  /** A check beyond the contract, run after the CLI returns ($DIR still there): a problem, or null. */
  check?: (dir: string, r: CapturedRun) => string | null;
}

export interface Surface {
  name: string;
  arbitrary: fc.Arbitrary<FuzzInput>;
}

// Seeds: a SCALE-Sim config, both topology forms and a Timeloop problem, as the tools write them.
const SEED_CFG = `[general]
run_name = fuzz

[architecture_presets]
ArrayHeight:    8
ArrayWidth:     8
IfmapSramSzkB:    64
FilterSramSzkB:   64
OfmapSramSzkB:    64
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Dataflow : ws
Bandwidth : 10
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: CALC
`;
const SEED_CONV_CSV = `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
Conv1     ,16         ,16        ,3           ,3          ,3       ,8        ,2      ,
Conv2     ,9         ,9        ,3            ,3           ,8      ,16       ,1      ,
`;
const SEED_GEMM_CSV = `Layer Name, M, N, K,
Test 1, 32, 16, 24,
`;
const SEED_TIMELOOP = `problem:
  shape:
    name: Conv1D_OC
    dimensions: [ K, R, P ]
    data-spaces:
    - name: Weights
      projection:
      - [ [K] ]
      - [ [R] ]
    - name: Inputs
      projection:
      - [ [R], [P] ]
    - name: Outputs
      projection:
      - [ [K] ]
      - [ [P] ]
      read-write: True

  instance:
    K: 32
    R: 3
    P: 16
`;

/** A tiny workload so that inputs which parse also evaluate fast. */
export const TINY_CSV = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 10, 10, 3, 3, 4, 8, 1,\n';

const weird = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 0.5, 1e308, -1e308, 2 ** 60, 'abc', '', null, true, [], {}, 'unbounded', '1e999', 'NaN', '-0'),
  fc.integer({ min: -1000, max: 100000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 6 }),
);

function paths(v: unknown, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const out: string[][] = prefix.length ? [prefix] : [];
  for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setPath(obj: unknown, path: string[], value: unknown, remove: boolean): unknown {
  const root = structuredClone(obj) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    if (next === null || typeof next !== 'object') return root;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return root;
}

/** Structural mutations of a spec (set a field to a weird value, drop it) then text mutations of its YAML. */
function mutatedYaml(base: Record<string, unknown>): fc.Arbitrary<string> {
  const all = paths(base);
  const structural = fc
    .array(fc.tuple(fc.nat({ max: all.length - 1 }), weird, fc.boolean()), { minLength: 0, maxLength: 3 })
    .map((muts) => {
      let spec: unknown = base;
      for (const [i, v, rm] of muts) spec = setPath(spec, all[i], v, rm);
      return stringify(spec);
    });
  return fc.oneof({ weight: 4, arbitrary: structural }, { weight: 1, arbitrary: structural.chain(textMutation) });
}

/** Truncation, character insertion and line deletion. */
function textMutation(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n)),
    fc.tuple(fc.nat({ max: text.length }), fc.string({ minLength: 1, maxLength: 4 })).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.nat({ max: 40 }).map((n) => text.split('\n').filter((_, i) => i !== n).join('\n')),
    fc.string({ maxLength: 80 }),
  );
}

const evalArgs = (extra: string[]) => ['eval', '--workload', '$DIR/tiny.csv', '--format', 'json', ...extra];

export function surfaces(architectures: Array<{ name: string; template: string; spec: unknown }>): Surface[] {
  const archSurface: Surface = {
    name: 'architecture YAML',
    arbitrary: fc.constantFrom(...architectures).chain((a) =>
      mutatedYaml({ template: a.template, ...(a.spec as Record<string, unknown>) }).map((yaml) => ({
        argv: evalArgs(['--arch', '$DIR/arch.yaml']),
        files: { 'arch.yaml': yaml, 'tiny.csv': TINY_CSV },
      })),
    ),
  };
  const cfg = SEED_CFG;
  const cfgSurface: Surface = {
    name: 'SCALE-Sim cfg',
    arbitrary: fc.oneof(
      textMutation(cfg),
      fc.tuple(fc.constantFrom('ArrayHeight', 'ArrayWidth', 'IfmapSramSzkB', 'FilterSramSzkB', 'OfmapSramSzkB', 'Dataflow', 'Bandwidth'), weird).map(([k, v]) =>
        cfg.replace(new RegExp(`(${k}\\s*[:=]\\s*)\\S+`), `$1${String(v)}`),
      ),
    ).map((text) => ({ argv: evalArgs(['--arch', '$DIR/arch.cfg']), files: { 'arch.cfg': text, 'tiny.csv': TINY_CSV } })),
  };
  const convCsv = SEED_CONV_CSV;
  const gemmCsv = SEED_GEMM_CSV;
  const csvSurface: Surface = {
    name: 'SCALE-Sim CSV',
    arbitrary: fc
      .oneof(textMutation(convCsv), textMutation(gemmCsv), fc.tuple(fc.array(weird, { minLength: 8, maxLength: 8 })).map(([v]) => `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nx,${v.map(String).join(',')},\n`))
      .map((text) => ({ argv: ['eval', '--workload', '$DIR/topo.csv', '--arch', 'systolic-8x8', '--format', 'json'], files: { 'topo.csv': text } })),
  };
  const timeloop = SEED_TIMELOOP;
  const timeloopSurface: Surface = {
    name: 'Timeloop problem YAML',
    arbitrary: textMutation(timeloop).map((text) => ({ argv: ['eval', '--workload', '$DIR/problem.yaml', '--format', 'json'], files: { 'problem.yaml': text } })),
  };
  const flagValues = fc.oneof(fc.constantFrom('0', '-1', '1', '2', 'x', '', 'auto', 'ws', 'rs', 'json', 'training', 'adam', 'conv', '1/2', '3/2', 'alexnet', 'eyeriss'), fc.string({ maxLength: 5 }));
  const flags = ['--arch', '--workload', '--dataflow', '--phase', '--batch', '--optimizer', '--only', '--set', '--goal', '--format', '--interlayer', '--budget', '--seed', '--workers', '--shard', '--search', '--space', '--suite', '--recompute', '--mixed', '--bogus'];
  const cliSurface: Surface = {
    name: 'CLI flags',
    arbitrary: fc
      .tuple(fc.constantFrom('eval', 'list', 'validate', 'explore', 'merge', 'bogus', '--help'), fc.array(fc.tuple(fc.constantFrom(...flags), flagValues), { maxLength: 4 }))
      .map(([cmd, fv]) => {
        const argv: string[] = [cmd];
        // Keep evals tiny: default to the tiny workload unless a --workload was generated.
        if (cmd === 'eval' && !fv.some(([f]) => f === '--workload')) argv.push('--workload', '$DIR/tiny.csv', '--arch', 'systolic-8x8');
        if (cmd === 'explore') argv.push('--budget', '2', '--workload', '$DIR/tiny.csv', '--quiet');
        if (cmd === 'validate' && !fv.some(([f]) => f === '--suite')) argv.push('--suite', '$DIR');
        for (const [f, v] of fv) argv.push(f, f === '--workload' && v === 'alexnet' ? '$DIR/tiny.csv' : v);
        return { argv, files: { 'tiny.csv': TINY_CSV } };
      }),
  };
  const generic = architectures.find((a) => a.name === 'generic-16x16')!;
  const setPaths = paths(generic.spec).map((p) => p.join('.'));
  const setSurface: Surface = {
    name: '--set values',
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...setPaths, 'levels.glb.capacityWords', 'levels.dram.bandwidthWordsPerCycle', 'levels.9.name', 'nope.deeper'), fc.string({ maxLength: 6 })), fc.oneof(weird.map(String), fc.constantFrom('[1,2]', '{"x":1}', '[', 'unbounded'))), { minLength: 1, maxLength: 3 })
      .map((sets) => ({ argv: evalArgs(['--arch', 'generic-16x16', ...sets.flatMap(([p, v]) => ['--set', `${p}=${v}`])]), files: { 'tiny.csv': TINY_CSV } })),
  };
  const pluginSurface: Surface = {
    name: 'plug-in config',
    arbitrary: fc
      .oneof(
        textMutation('plugins:\n  - ./p.mjs\n  - [./q.mjs, { tag: x }]\nonPluginError: stop\n'),
        fc.array(fc.oneof(fc.constantFrom('./p.mjs', './missing.mjs', './bad.mjs', './nonplugin.mjs', '@trim-dse/nope', 'zod'), fc.string({ maxLength: 5 })), { maxLength: 3 }).map((ps) => stringify({ plugins: ps })),
      )
      .map((cfgText) => ({
        argv: ['--config', '$DIR/trim.config.yaml', 'list', '--format', 'json'],
        files: {
          'trim.config.yaml': cfgText,
          'p.mjs': "export default { name: 'fuzz-p' };\n",
          'q.mjs': "export default (o) => ({ name: 'fuzz-q-' + String(o && o.tag) });\n",
          'bad.mjs': "throw new Error('boom');\n",
          'nonplugin.mjs': 'export default 42;\n',
        },
      })),
  };
  const onnxSeed = seedOnnx();
  const onnxSurface: Surface = {
    name: 'ONNX bytes',
    arbitrary: fc
      .oneof(
        fc.constant(onnxSeed),
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.tuple(fc.nat({ max: onnxSeed.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((flips) => {
          const b = new Uint8Array(onnxSeed); // a copy (protobufjs may return a pooled Buffer view)
          for (const [i, v] of flips) b[i] = v;
          return b;
        }),
        fc.nat({ max: onnxSeed.length }).map((n) => new Uint8Array(onnxSeed.subarray(0, n))),
      )
      .map((bytes) => ({ argv: ['eval', '--workload', '$DIR/model.onnx', '--arch', 'systolic-8x8', '--format', 'json'], files: { 'model.onnx': bytes } })),
  };
  const spaceSeed = { template: 'systolic', base: 'systolic-8x8', parameters: { rows: [4, 8], cols: { from: 4, to: 8, step: 4 }, 'sram.ifmapKB': [16, 64] }, goal: 'latency', constraints: { areaMm2: 1000 } };
  const spaceSurface: Surface = {
    name: 'design-space YAML',
    arbitrary: mutatedYaml(spaceSeed).map((yaml) => ({
      argv: ['explore', '--space', '$DIR/space.yaml', '--workload', '$DIR/tiny.csv', '--budget', '4', '--quiet', '--format', 'json'],
      files: { 'space.yaml': yaml, 'tiny.csv': TINY_CSV },
    })),
  };
  return [archSurface, cfgSurface, csvSurface, timeloopSurface, cliSurface, setSurface, pluginSurface, onnxSurface, spaceSurface];
}

/** A small valid ONNX model (conv, relu, global pool, flatten, gemm) whose bytes the ONNX surface mutates. */
function seedOnnx(): Uint8Array {
  const m = new OnnxModelBuilder('fuzz');
  const x = m.input('x', ['N', 3, 8, 8]);
  const c = m.node('Conv', [x, m.weight('w', [4, 3, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const r = m.node('Relu', [c]);
  const g = m.node('GlobalAveragePool', [r]);
  const f = m.node('Flatten', [g]);
  const y = m.node('Gemm', [f, m.weight('fc', [10, 4])], { transB: 1 });
  m.output(y);
  return new Uint8Array(m.encode());
}

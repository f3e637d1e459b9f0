import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  capabilities,
  capabilityOf,
  corePlugin,
  defineCapability,
  defineDataflow,
  definePlugin,
  defineSearch,
  loadPlugins,
  provide,
  readTrimConfig,
  registerLoaded,
  Registry,
  tiledMapspace,
} from '../src/index.js';

const schema = z.object({ maxCandidates: z.number().int().min(2).max(16).default(6) }).strict();
const rs = defineDataflow({
  name: 'rs',
  description: 'd',
  templates: '*',
  configSchema: schema,
  mapspace: (op, hw, emit, c) => tiledMapspace(op, hw, { spatialX: ['C'], spatialY: ['K'], peOrder: [], outerOrders: [[]], maxCandidates: c.maxCandidates }, emit),
});

describe('plug-in options: one channel to the plug-in’s schema', () => {
  it('options reach the named contribution, merged, parsed once by its schema', () => {
    const r = new Registry().use(definePlugin({ name: 'pkg', dataflows: [rs] }));
    expect(r.configOf('dataflow', rs)).toEqual({ maxCandidates: 6 });
    r.setOptions('rs', { maxCandidates: 8 }, '--plugin-option');
    expect(r.configOf('dataflow', rs)).toEqual({ maxCandidates: 8 });
    r.setOptions('dataflow:rs', { maxCandidates: 9 }, 'trim.config.yaml');
    expect(r.configOf('dataflow', rs)).toEqual({ maxCandidates: 9 });
  });

  it('a bad option is a user error naming the plug-in, the option and where it came from', () => {
    const r = new Registry().use(definePlugin({ name: 'pkg', dataflows: [rs] }));
    r.setOptions('rs', { maxCandidates: 99 }, '--plugin-option');
    expect(() => r.configOf('dataflow', rs)).toThrow(/options of dataflow rs \(from --plugin-option\): field maxCandidates: .*16/);
    const r2 = new Registry().use(definePlugin({ name: 'pkg', dataflows: [rs] }));
    r2.setOptions('rs', { maxCandidate: 8 }, '--plugin-option');
    expect(() => r2.configOf('dataflow', rs)).toThrow(/maxCandidate/);
  });

  it('an unknown or ambiguous target is refused, listing the configurable plug-ins', () => {
    const search = defineSearch({ name: 'rs', description: 's', configSchema: z.object({}).strict(), create: () => ({ ask: () => [], tell: () => undefined }) });
    const r = new Registry().use(definePlugin({ name: 'pkg', dataflows: [rs], searches: [search] }));
    expect(() => r.setOptions('nope', {}, '--plugin-option')).toThrow(/no configurable plug-in named "nope" \(configurable: rs, rs\)/);
    expect(() => r.setOptions('rs', {}, '--plugin-option')).toThrow(/"rs" names several plug-ins \(dataflow:rs, search:rs\)/);
    expect(() => r.setOptions('search:rs', {}, '--plugin-option')).not.toThrow();
  });

  it('a plug-in without a config schema refuses options', () => {
    const plain = defineDataflow({ name: 'plain', description: 'd', templates: '*', mapspace: () => undefined });
    const r = new Registry().use(definePlugin({ name: 'pkg', dataflows: [plain] }));
    expect(() => r.setOptions('plain', { x: 1 }, 'cfg')).toThrow(/no configurable plug-in named "plain"/);
  });

  it('trim.config.yaml: [package, options] for a one-contribution plug-in, then the options map on top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-options-'));
    writeFileSync(
      join(dir, 'single.mjs'),
      "export default { name: 'single', dataflows: [{ kind: 'dataflow', name: 'one', description: 'd', templates: '*', configSchema: { safeParse: (v) => ({ success: true, data: { depth: 1, ...v } }) }, mapspace() {} }] };\n",
    );
    const cfg = join(dir, 'trim.config.yaml');
    writeFileSync(cfg, 'plugins:\n  - [./single.mjs, { depth: 3 }]\n');
    let config = readTrimConfig(cfg);
    let r = new Registry();
    registerLoaded(r, await loadPlugins(config, cfg), config, cfg);
    expect(r.configOf('dataflow', r.dataflows.get('one'))).toEqual({ depth: 3 });
    writeFileSync(cfg, 'plugins:\n  - [./single.mjs, { depth: 3 }]\noptions:\n  one: { depth: 4 }\n');
    config = readTrimConfig(cfg);
    r = new Registry();
    registerLoaded(r, await loadPlugins(config, cfg), config, cfg);
    expect(r.configOf('dataflow', r.dataflows.get('one'))).toEqual({ depth: 4 });
  });
});

describe('plug-in loading resolves packages with ESM semantics', () => {
  it('an ESM-only package (exports with only an "import" condition) loads, and its options reach its contribution', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-esm-'));
    const pkg = join(dir, 'node_modules', 'trim-esm-only');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'trim-esm-only', type: 'module', exports: { '.': { import: './index.js' } } }));
    writeFileSync(
      join(pkg, 'index.js'),
      "export default { name: 'trim-esm-only', dataflows: [{ kind: 'dataflow', name: 'esm', description: 'd', templates: '*', configSchema: { safeParse: (v) => ({ success: true, data: { depth: 1, ...v } }) }, mapspace() {} }] };\n",
    );
    const cfg = join(dir, 'trim.config.yaml');
    writeFileSync(cfg, 'plugins:\n  - [trim-esm-only, { depth: 3 }]\n');
    const config = readTrimConfig(cfg);
    const loaded = await loadPlugins(config, cfg);
    expect(loaded.map((l) => l.plugin.name)).toEqual(['trim-esm-only']);
    const r = new Registry().use(corePlugin);
    registerLoaded(r, loaded, config, cfg);
    expect(r.configOf('dataflow', r.dataflows.get('esm'))).toEqual({ depth: 3 });
  });

  it('options a non-factory plug-in cannot take are refused, naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-opts-'));
    writeFileSync(join(dir, 'two.mjs'), "const d = (name) => ({ kind: 'dataflow', name, description: 'd', templates: '*', configSchema: { safeParse: (v) => ({ success: true, data: v }) }, mapspace() {} });\nexport default { name: 'two', dataflows: [d('a'), d('b')] };\n");
    const cfg = join(dir, 'trim.config.yaml');
    writeFileSync(cfg, 'plugins:\n  - [./two.mjs, { depth: 3 }]\n');
    const config = readTrimConfig(cfg);
    const loaded = await loadPlugins(config, cfg);
    expect(() => registerLoaded(new Registry(), loaded, config, cfg)).toThrow(/options depth match no configurable contribution \(a, b\)/);
    writeFileSync(cfg, 'plugins:\n  - [./two.mjs, { a: { depth: 3 } }]\n');
    const ok = readTrimConfig(cfg);
    const r = new Registry();
    registerLoaded(r, await loadPlugins(ok, cfg), ok, cfg);
    expect(r.configOf('dataflow', r.dataflows.get('a'))).toEqual({ depth: 3 });
    expect(r.configOf('dataflow', r.dataflows.get('b'))).toEqual({});
  });
});

describe('a plug-in’s whole shape is checked when it registers', () => {
  it('names the plug-in, the contribution and the member', () => {
    const r = () => new Registry();
    expect(() => r().use({ name: 'p', dataflows: [{ name: 'x', description: 'd', templates: '*' }] } as never)).toThrow(/plug-in p: dataflows\[0\] \(x\)\.mapspace must be a function/);
    expect(() => r().use({ name: 'p', hardware: [{ name: 'h', description: 'd', configSchema: {}, builtins: {}, build: () => null }] } as never)).toThrow(/hardware\[0\] \(h\)\.configSchema must be a zod schema/);
    expect(() => r().use({ name: 'p', dataflow: [] } as never)).toThrow(/unknown field "dataflow"/);
    expect(() => r().use({ name: '' } as never)).toThrow(/has no name/);
  });
});

describe('capabilities: typed, validated facts a template publishes', () => {
  const engine = defineCapability('test-engine', z.object({ lanes: z.number().int().positive() }).strict());
  it('provide validates at build; capabilityOf returns the typed value, or undefined when absent', () => {
    const hw = { name: 'h', capabilities: capabilities(provide(engine, { lanes: 4 })) };
    expect(capabilityOf(hw, engine)).toEqual({ lanes: 4 });
    expect(capabilityOf({ name: 'g', capabilities: capabilities() }, engine)).toBeUndefined();
    expect(() => provide(engine, { lanes: 0 })).toThrow(/capability test-engine: field lanes/);
  });
  it('a malformed value slipped in by hand is an internal error naming the hardware and the capability', () => {
    const hw = { name: 'h', capabilities: { 'test-engine': { lanes: 'four' } } };
    expect(() => capabilityOf(hw, engine)).toThrow(/hardware h: capability test-engine is malformed at lanes/);
  });
});

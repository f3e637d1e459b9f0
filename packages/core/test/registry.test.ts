import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  corePlugin,
  defineDataflow,
  definePlugin,
  genericSchema,
  jsonSchemaOf,
  loadPlugins,
  readTrimConfig,
  Registry,
  resolveArchitecture,
  tiledMapspace,
  TrimUserError,
} from '../src/index.js';
import { checkPlugin } from '../src/testkit/index.js';

const df = (name: string) =>
  defineDataflow({ name, description: 'd', templates: ['generic'], mapspace: (op, hw, emit) => tiledMapspace(op, hw, { spatialX: ['C'], spatialY: ['K'], peOrder: [], outerOrders: [[]] }, emit) });

describe('registry', () => {
  it('rejects a duplicate name and says which packages registered it', () => {
    const r = new Registry().use(definePlugin({ name: 'pkg-a', dataflows: [df('ws')] }));
    expect(() => r.use(definePlugin({ name: 'pkg-b', dataflows: [df('ws')] }))).toThrow(/dataflow "ws" is registered twice: by pkg-a and by pkg-b/);
  });

  it('an unknown name lists the known ones', () => {
    const r = new Registry().use(corePlugin);
    expect(() => r.dataflows.get('zz')).toThrow(TrimUserError);
    expect(() => r.architectures.get('nope')).toThrow(/known: generic-16x16/);
  });

  it('core registers the generic template whose built-in builds', () => {
    const r = checkPlugin(corePlugin);
    const a = resolveArchitecture(r, 'generic-16x16');
    expect(a.model.levels.map((l) => l.name)).toEqual(['rf', 'glb', 'dram']);
    expect(a.model.levels[1].fanoutX * a.model.levels[1].fanoutY).toBe(256);
  });

  it('--set overrides a named level field and the schema validates it', () => {
    const r = new Registry().use(corePlugin);
    const a = resolveArchitecture(r, 'generic-16x16', ['levels.glb.capacityWords=4096', 'clockMHz=250']);
    expect(a.model.levels[1].capacityBytes).toBe(4096 * 2); // 16-bit words
    expect(a.model.clockMHz).toBe(250);
    expect(() => resolveArchitecture(r, 'generic-16x16', ['levels.glb.fanout.x=0'])).toThrow(/field levels\.1\.fanout\.x/);
  });

  it('exports JSON Schema for a template', () => {
    const s = jsonSchemaOf(genericSchema);
    expect(s.type).toBe('object');
    expect(Object.keys(s.properties as object)).toContain('levels');
  });
});

describe('plug-in loading from a config file', () => {
  it('loads a file plug-in and a factory with options; a broken one stops or is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-plugins-'));
    writeFileSync(join(dir, 'plain.mjs'), "export default { name: 'plain', dataflows: [] };\n");
    writeFileSync(join(dir, 'factory.mjs'), "export default (o) => ({ name: 'factory-' + o.tag });\n");
    writeFileSync(join(dir, 'broken.mjs'), "throw new Error('boom');\n");
    writeFileSync(join(dir, 'trim.config.yaml'), "plugins:\n  - ./plain.mjs\n  - [./factory.mjs, { tag: x }]\n");
    const cfg = join(dir, 'trim.config.yaml');
    const loaded = await loadPlugins(readTrimConfig(cfg), cfg);
    expect(loaded.map((p) => p.plugin.name)).toEqual(['plain', 'factory-x']);

    writeFileSync(cfg, 'plugins: [./broken.mjs]\n');
    await expect(loadPlugins(readTrimConfig(cfg), cfg)).rejects.toThrow(/plug-in \.\/broken\.mjs failed to load: boom/);
    writeFileSync(cfg, 'plugins: [./broken.mjs, ./plain.mjs]\nonPluginError: skip\n');
    const warnings: string[] = [];
    const some = await loadPlugins(readTrimConfig(cfg), cfg, (m) => warnings.push(m));
    expect(some.map((p) => p.plugin.name)).toEqual(['plain']);
    expect(warnings[0]).toMatch(/skipped/);
  });

  it('a malformed config names the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-plugins-'));
    const cfg = join(dir, 'trim.config.yaml');
    writeFileSync(cfg, 'plugins: 5\n');
    expect(() => readTrimConfig(cfg)).toThrow(/field plugins/);
  });

  it('zod schemas are Standard Schema', () => {
    const s = z.object({ a: z.number() });
    expect(typeof s['~standard'].validate).toBe('function');
  });
});

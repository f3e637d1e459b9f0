import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/builtins.js';
import { runCaptured } from '../src/capture.js';
import { docSchemas } from '../src/schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-show-'));
const registry = await createRegistry({});
const builtins = registry.architectures.entries().map((e) => e.name);

describe('trim show arch', () => {
  it.each(builtins)('%s: the printed YAML read back with --arch gives the same evaluation as the built-in', async (name) => {
    const shown = await runCaptured(['show', 'arch', name]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^# yaml-language-server: \$schema=\S+\.schema\.json\n/);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, shown.stdout);
    const args = ['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json'];
    const fromFile = await runCaptured([...args, '--arch', file]);
    const builtin = await runCaptured([...args, '--arch', name]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.stdout).toBe(builtin.stdout);
  });

  it('an unknown name exits 1, suggesting the closest built-in', async () => {
    const r = await runCaptured(['show', 'arch', 'eyeris']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trim: unknown architecture "eyeris" \(did you mean "eyeriss"\?\)/);
  });
});

describe('JSON Schemas under docs/', () => {
  it('one per template and the design-space file, up to date with the zod schemas (pnpm schemas rewrites them)', () => {
    const schemas = docSchemas(registry);
    expect(Object.keys(schemas).sort()).toEqual([
      'design-space.schema.json',
      'network.schema.json',
      'schemas/fpga.schema.json',
      'schemas/generic.schema.json',
      'schemas/spatial.schema.json',
      'schemas/systolic.schema.json',
      'schemas/timeloop.schema.json',
      'schemas/zigzag.schema.json',
    ]);
    for (const [name, schema] of Object.entries(schemas)) {
      const onDisk = JSON.parse(readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8')) as unknown;
      expect(onDisk, `docs/${name} is out of date: run pnpm schemas`).toEqual(schema);
    }
  });

  it('trim show schema prints a template’s schema: closed objects, every field described', async () => {
    const r = await runCaptured(['show', 'schema', 'systolic']);
    const s = JSON.parse(r.stdout) as { properties: Record<string, { description?: string }>; additionalProperties: boolean; required: string[] };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toContain('template');
    for (const [k, v] of Object.entries(s.properties)) expect(v.description, `systolic field ${k}`).toBeTruthy();
  });
});

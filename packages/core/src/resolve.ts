import { existsSync } from 'node:fs';
import { extname, resolve as resolvePath } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { TrimUserError } from './errors.js';
import type { HardwareModel } from './hardware.js';
import type { Network } from './ir/network.js';
import { applySets } from './overrides.js';
import { readInputText } from './safe-file.js';
import type { WorkloadLoadOptions } from './plugin.js';
import type { Registry } from './registry.js';
import { didYouMean, parseWith } from './zod-errors.js';

// The safe reading and writing of user files lives beside the readers that use it.
export * from './safe-file.js';

/** A mapping key named __proto__ anywhere in parsed data (it would reach Object.prototype when copied), or undefined. */
function prototypeKeyIn(root: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      if (k === '__proto__') return at;
      stack.push([(v as Record<string, unknown>)[k], at]);
    }
  }
  return undefined;
}

/**
 * YAML text above this is refused: the `yaml` library's document model takes about 250 bytes of heap per byte of
 * text (measured: 4 MB of YAML, 1 GB and 11 s), so 4 MiB keeps a parse under a quarter of the 2 GB a run may use.
 * JSON text (which YAML files may also be) is read by JSON.parse up to `MAX_TEXT_INPUT_BYTES`.
 */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/**
 * Reads a YAML or JSON file into plain data, with the line of a syntax error in the message: a regular file
 * (checked before it is opened) within the size limits above, whose mappings have no `__proto__` key.
 */
export function readYamlFile(path: string): unknown {
  const text = readInputText(path);
  let data: unknown;
  let parsed = false;
  if (/^\s*[[{]/.test(text)) {
    try {
      data = JSON.parse(text) as unknown;
      parsed = true;
    } catch {
      /* not JSON: read as YAML below */
    }
  }
  if (!parsed) {
    if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
      throw new TrimUserError(`${path}: is ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB of YAML, above the ${MAX_YAML_BYTES / 1048576} MB limit`, {
        field: path,
        fix: 'give a smaller file, or write it as JSON (read up to 16 MB)',
      });
    }
    try {
      // maxAliasCount bounds alias expansion ("billion laughs"): the library's default, kept explicit.
      data = parseYaml(text, { logLevel: 'error', maxAliasCount: 100 }) as unknown;
    } catch (e) {
      if (e instanceof YAMLParseError) {
        const pos = e.linePos?.[0];
        throw new TrimUserError(`${path}${pos ? `:${pos.line}:${pos.col}` : ''}: malformed YAML: ${e.message.split('\n')[0]}`, { field: path });
      }
      throw new TrimUserError(`${path}: malformed YAML`, { field: path });
    }
  }
  const proto = prototypeKeyIn(data);
  if (proto) throw new TrimUserError(`${path}: field ${proto}: "__proto__" is not a field name`, { field: proto, fix: 'remove it' });
  return data;
}

export interface ResolvedArchitecture {
  readonly model: HardwareModel;
  readonly template: string;
  /** The parsed spec (after --set), for reports and exploration. */
  readonly spec: unknown;
}

/** Where an architecture comes from, before its template's schema reads it. */
export interface ArchitectureSource {
  readonly template: string;
  /** The spec as written (a built-in's, a YAML file's, or what a template's importer made of a file). */
  readonly raw: unknown;
  /** For messages: `architecture NAME` or the file. */
  readonly where: string;
  /** A template's importer wrote `raw` (its fields are the importer's, not the user's). */
  readonly imported: boolean;
}

/** A built-in architecture name or a file (YAML/JSON with a `template:` field, or a format a template imports). */
export function architectureSource(registry: Registry, ref: string): ArchitectureSource {
  if (registry.architectures.has(ref)) {
    const e = registry.architectures.get(ref);
    return { template: e.template, raw: e.spec, where: `architecture ${ref}`, imported: false };
  }
  if (existsSync(ref)) {
    const ext = extname(ref).toLowerCase();
    if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
      const data = readYamlFile(ref);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new TrimUserError(`${ref}: expected a mapping of architecture fields at the top level`, { field: '(root)' });
      }
      const { template: t, ...rest } = data as Record<string, unknown>;
      const importer = typeof t === 'string' ? undefined : contentImporter(registry, data, ref);
      if (importer) return { template: importer.template, raw: importer.parse(readInputText(ref), ref), where: ref, imported: true };
      return { template: typeof t === 'string' ? t : 'generic', raw: { name: rest.name ?? ref, ...rest }, where: ref, imported: false };
    }
    const owner = registry.hardware.values().find((h) => h.importers?.some((i) => i.extensions.includes(ext)));
    if (!owner) {
      throw new TrimUserError(`${ref}: no hardware template reads "${ext}" files`, { field: '--arch', fix: 'use a .yaml architecture or a built-in name (trim list)' });
    }
    const importer = owner.importers!.find((i) => i.extensions.includes(ext))!;
    return { template: owner.name, raw: importer.parse(readInputText(ref, { label: ref }), ref), where: ref, imported: true };
  }
  const names = registry.architectures.entries().map((e) => e.name).sort();
  throw new TrimUserError(`unknown architecture "${ref}"${didYouMean(ref, names)} (not a built-in and no such file); built-ins: ${names.join(', ')}`, {
    field: '--arch',
    fix: 'run `trim list` for the built-in architectures',
  });
}

/**
 * A built-in architecture name or a file, after `--set`s, read by its template's schema (a field the schema does not
 * know is an error, unless an importer wrote the spec) and built.
 */
export function resolveArchitecture(registry: Registry, ref: string, sets: readonly string[] = []): ResolvedArchitecture {
  const { template, raw, where, imported } = architectureSource(registry, ref);
  const plugin = registry.hardware.get(template);
  const spec = parseWith(plugin.configSchema, applySets(raw, sets), where, imported ? {} : { unknownKeys: 'error' });
  const name = registry.architectures.has(ref) ? ref : ((spec as { name?: string }).name ?? ref);
  return { model: plugin.build(spec, name), template, spec };
}

/** The first template whose importer claims a YAML/JSON file by its content (a Timeloop architecture, …). */
function contentImporter(registry: Registry, data: unknown, path: string): { template: string; parse: (text: string, path: string) => unknown } | undefined {
  for (const h of registry.hardware.values()) {
    for (const i of h.importers ?? []) if (i.accepts?.(data, path)) return { template: h.name, parse: (text, p) => i.parse(text, p) };
  }
  return undefined;
}

/** A built-in workload name, or a file whose extension a workload source reads. */
export async function resolveWorkload(registry: Registry, ref: string, options: WorkloadLoadOptions): Promise<Network> {
  const sources = registry.workloadSources.values();
  const named = sources.find((s) => s.builtins?.includes(ref));
  if (named) return named.load(ref, options);
  if (existsSync(ref)) {
    const ext = extname(ref).toLowerCase();
    const byExt = sources.filter((s) => s.extensions?.includes(ext));
    // Several sources may share an extension (.yaml): the first that accepts the file reads it; if none does, the
    // first claimant loads it and explains what it expected.
    const reader = byExt.find((s) => s.accepts?.(ref) ?? true) ?? byExt[0];
    if (!reader) {
      const exts = sources.flatMap((s) => s.extensions ?? []).join(', ') || 'none';
      throw new TrimUserError(`${ref}: no workload source reads "${ext}" files (readable: ${exts})`, { field: '--workload' });
    }
    return reader.load(resolvePath(ref), options);
  }
  const names = sources.flatMap((s) => s.builtins ?? []).sort();
  throw new TrimUserError(`unknown workload "${ref}"${didYouMean(ref, names)} (not a built-in and no such file); built-ins: ${names.join(', ')}`, {
    field: '--workload',
    fix: 'run `trim list` for the built-in workloads',
  });
}

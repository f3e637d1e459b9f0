import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleResolve } from 'import-meta-resolve';
import { z } from 'zod';
import { TrimUserError } from './errors.js';
import { validatePluginShape } from './plugin-shape.js';
import type { Plugin } from './plugin.js';
import type { Registry } from './registry.js';
import { readYamlFile } from './resolve.js';
import { parseWith } from './zod-errors.js';

/**
 * `trim.config.yaml`: plug-ins by package name or file path, optionally with options (as changesets names its
 * plug-ins), options for any configurable contribution by name (built-ins included), and what to do when a plug-in
 * fails.
 */
export const trimConfigSchema = z
  .object({
    plugins: z.array(z.union([z.string().min(1), z.tuple([z.string().min(1), z.record(z.string(), z.unknown())])])).default([]),
    /** `rs: { maxCandidates: 8 }`: options of a dataflow, phase model or search strategy, by its name. */
    options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** Stop (default) or skip and warn when a plug-in fails to load or to run. */
    onPluginError: z.enum(['stop', 'skip']).default('stop'),
  })
  .strict();
export type TrimConfig = z.infer<typeof trimConfigSchema>;

export function readTrimConfig(path: string): TrimConfig {
  return parseWith(trimConfigSchema, readYamlFile(path) ?? {}, path);
}

/** A plug-in module imported from a config, with the options the config gave it (unless its factory took them). */
export interface LoadedPlugin {
  readonly spec: string;
  readonly plugin: Plugin;
  /** Options for the plug-in's contributions; undefined when there were none or a factory consumed them. */
  readonly options?: Record<string, unknown>;
}

/** Export conditions of this process (`--conditions` / `-C` in execArgv or NODE_OPTIONS) plus Node's defaults. */
function conditions(): Set<string> {
  const out = new Set(['node', 'import']);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--conditions=')) out.add(a.slice('--conditions='.length));
    else if ((a === '--conditions' || a === '-C') && args[i + 1]) out.add(args[++i]);
  }
  return out;
}

/** Where a plug-in module lives: a path relative to the config, or a package resolved with ESM semantics. */
export function resolvePluginModule(spec: string, base: string): string {
  const local = spec.startsWith('.') || isAbsolute(spec);
  if (local) {
    const target = resolve(base, spec);
    if (!existsSync(target)) throw new TrimUserError(`plug-in ${spec}: no such file ${target}`, { field: 'plugins' });
    return pathToFileURL(target).href;
  }
  // A package name never holds a colon (npm's rules); a URL or a drive path (`J:/`, `https:…`) is not loaded, and the
  // resolver's own error for one is a JavaScript TypeError, not a message.
  if (spec.includes(':')) {
    throw new TrimUserError(`plug-in ${JSON.stringify(spec)}: not a package name or a path (a plug-in is an installed package, or a file path starting with ./, ../ or /)`, { field: 'plugins' });
  }
  // ESM resolution (package `exports`, `import` condition), from the config's folder: ESM-only packages resolve.
  return moduleResolve(spec, pathToFileURL(`${base}/`), conditions()).href;
}

/**
 * Imports the plug-ins a config names, relative to the config's folder. A module's default export is a Plugin, or a
 * factory taking the options and returning one (the factory validates them, as Astro's integrations do).
 */
export async function loadPlugins(config: TrimConfig, configPath: string, warn: (msg: string) => void = () => {}): Promise<LoadedPlugin[]> {
  const base = dirname(resolve(configPath));
  const out: LoadedPlugin[] = [];
  for (const entry of config.plugins) {
    const [spec, options] = typeof entry === 'string' ? [entry, undefined] : entry;
    try {
      const url = resolvePluginModule(spec, base);
      const mod = (await import(url)) as { default?: unknown };
      const exported = mod.default;
      const factory = typeof exported === 'function';
      const value = factory ? (exported as (o: unknown) => unknown)(options ?? {}) : exported;
      const plugin = validatePluginShape(value, spec);
      out.push({ spec, plugin, ...(!factory && options && Object.keys(options).length > 0 ? { options } : {}) });
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      const msg = e instanceof TrimUserError ? e.message : `plug-in ${spec} failed to load: ${why}`;
      if (config.onPluginError === 'skip') warn(`${msg} (skipped)`);
      else throw new TrimUserError(msg, { field: 'plugins', fix: 'install the package, fix the path, or set onPluginError: skip' });
    }
  }
  return out;
}

/** Names of a plug-in's contributions that take options. */
function configurable(p: Plugin): string[] {
  return [...(p.dataflows ?? []), ...(p.phaseModels ?? []), ...(p.searches ?? [])].filter((c) => c.configSchema).map((c) => c.name);
}

/**
 * Registers loaded plug-ins and routes their options: `{ <contribution>: {...} }` per contribution, or, for a
 * plug-in with a single configurable contribution, its options directly. Then the config's `options:` map.
 */
export function registerLoaded(registry: Registry, loaded: readonly LoadedPlugin[], config: TrimConfig, where: string): void {
  for (const l of loaded) {
    registry.use(l.plugin);
    if (!l.options) continue;
    const names = configurable(l.plugin);
    const keys = Object.keys(l.options);
    const from = `${where}: plugins entry ${l.spec}`;
    if (keys.every((k) => names.includes(k))) {
      for (const k of keys) registry.setOptions(k, l.options[k] as Record<string, unknown>, from);
    } else if (names.length === 1) {
      registry.setOptions(names[0], l.options, from);
    } else {
      throw new TrimUserError(`${from}: options ${keys.join(', ')} match no configurable contribution (${names.join(', ') || 'none'})`, {
        field: 'plugins',
        fix: names.length ? `key the options by contribution: { ${names[0]}: { … } }` : 'this plug-in takes no options',
      });
    }
  }
  registry.onPluginError = config.onPluginError;
  for (const [name, values] of Object.entries(config.options)) registry.setOptions(name, values, `${where}: options.${name}`);
}

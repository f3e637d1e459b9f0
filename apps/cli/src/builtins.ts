import { resolve } from 'node:path';
import { configToLoad } from './config-trust.js';
import { corePlugin, FORBIDDEN_KEYS, loadPlugins, parseSetValue, readTrimConfig, registerLoaded, Registry, TrimUserError, type Plugin } from '@trim-dse/core';

/** Plug-in module imports `builtinPlugins` has made in this process (the start-up test: `trim --help` makes none). */
let pluginModulesImported = 0;

/** How many built-in plug-in modules this process has imported through `builtinPlugins` (0 until a command needs them). */
export function builtinPluginModulesImported(): number {
  return pluginModulesImported;
}

/**
 * Every plug-in shipped with TRIM. Imported only here, when a command first needs a registry: `trim --help`,
 * `--version`, a command's `--help`, `trust` and `merge` import none of them.
 */
export async function builtinPlugins(): Promise<Plugin[]> {
  const imports = [
    import('@trim-dse/workloads'),
    import('@trim-dse/hw-systolic'),
    import('@trim-dse/hw-spatial'),
    import('@trim-dse/hw-fpga'),
    import('@trim-dse/timeloop'),
    import('@trim-dse/zigzag'),
    import('@trim-dse/dataflow-ws'),
    import('@trim-dse/dataflow-os'),
    import('@trim-dse/dataflow-is'),
    import('@trim-dse/dataflow-rs'),
    import('@trim-dse/dataflow-nlr'),
    import('@trim-dse/dataflow-free'),
    import('@trim-dse/dataflow-fpga'),
    import('@trim-dse/training'),
    import('@trim-dse/search-exhaustive'),
    import('@trim-dse/search-random'),
    import('@trim-dse/search-genetic'),
    import('@trim-dse/search-anneal'),
    import('@trim-dse/report'),
  ];
  pluginModulesImported += imports.length;
  const mods = await Promise.all(imports);
  return [corePlugin, ...mods.map((m) => m.default)];
}

export interface RegistryOptions {
  /**
   * A trim.config.yaml naming extra plug-ins and options, loaded because the user named it (`--config`) or the parent
   * process already chose it; null: none. When absent, ./trim.config.yaml is loaded only if trusted (config-trust.ts).
   */
  config?: string | null;
  /** `--trust-config`: load ./trim.config.yaml this once. */
  trustConfig?: boolean;
  /** `--plugin-option target.key=value`, each applied to the named plug-in's options. */
  pluginOptions?: readonly string[];
  warn?: (msg: string) => void;
}

/** One `--plugin-option rs.maxCandidates=8` as [target, { key: value }] (values read like `--set` values). */
export function parsePluginOption(raw: string): [string, Record<string, unknown>] {
  const eq = raw.indexOf('=');
  const dot = raw.lastIndexOf('.', eq < 0 ? raw.length : eq);
  if (eq < 0 || dot <= 0 || dot + 1 >= eq) {
    throw new TrimUserError(`--plugin-option "${raw}": expected <plug-in>.<option>=<value>`, { field: '--plugin-option', fix: 'write --plugin-option rs.maxCandidates=8' });
  }
  const [target, key] = [raw.slice(0, dot), raw.slice(dot + 1, eq)];
  for (const part of [...target.split(/[.:]/), key]) {
    if (FORBIDDEN_KEYS.has(part)) throw new TrimUserError(`--plugin-option "${raw}": "${part}" is not an option name`, { field: '--plugin-option', fix: 'write --plugin-option rs.maxCandidates=8' });
  }
  return [target, { [key]: parseSetValue(raw.slice(eq + 1)) }];
}

/**
 * The CLI's registry: the built-ins, then the plug-ins and options of the config (named, or trusted), then the
 * `--plugin-option`s.
 */
export async function createRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const registry = new Registry();
  for (const p of await builtinPlugins()) registry.use(p);
  const configPath = configToLoad({ ...(options.config !== undefined ? { config: options.config } : {}), trustConfig: options.trustConfig === true, ...(options.warn ? { warn: options.warn } : {}) });
  if (configPath) {
    const path = resolve(configPath);
    const config = readTrimConfig(path);
    registerLoaded(registry, await loadPlugins(config, path, options.warn), config, path);
  }
  for (const raw of options.pluginOptions ?? []) {
    const [target, values] = parsePluginOption(raw);
    registry.setOptions(target, values, `--plugin-option ${raw}`);
  }
  return registry;
}

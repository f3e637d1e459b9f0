import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { corePlugin, loadPlugins, readTrimConfig, Registry, type Plugin } from '@trim-dse/core';

/** Every plug-in shipped with TRIM, loaded lazily so `trim --help` stays instant. */
export async function builtinPlugins(): Promise<Plugin[]> {
  const mods = await Promise.all([
    import('@trim-dse/workloads'),
    import('@trim-dse/hw-systolic'),
    import('@trim-dse/hw-spatial'),
    import('@trim-dse/hw-fpga'),
    import('@trim-dse/dataflow-ws'),
    import('@trim-dse/dataflow-os'),
    import('@trim-dse/dataflow-is'),
    import('@trim-dse/dataflow-rs'),
    import('@trim-dse/dataflow-nlr'),
    import('@trim-dse/dataflow-fpga'),
    import('@trim-dse/training'),
    import('@trim-dse/search-exhaustive'),
    import('@trim-dse/search-random'),
    import('@trim-dse/search-genetic'),
    import('@trim-dse/search-anneal'),
    import('@trim-dse/report'),
  ]);
  return [corePlugin, ...mods.map((m) => m.default)];
}

export interface RegistryOptions {
  /** A trim.config.yaml naming extra plug-ins; defaults to ./trim.config.yaml when present. */
  config?: string;
  warn?: (msg: string) => void;
}

export async function createRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const registry = new Registry();
  for (const p of await builtinPlugins()) registry.use(p);
  const configPath = options.config ?? (existsSync('trim.config.yaml') ? 'trim.config.yaml' : undefined);
  if (configPath) {
    const path = resolve(configPath);
    const config = readTrimConfig(path);
    registry.onPluginError = config.onPluginError;
    for (const p of await loadPlugins(config, path, options.warn)) registry.use(p);
  }
  return registry;
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { TrimUserError } from './errors.js';
import type { Plugin } from './plugin.js';
import { readYamlFile } from './resolve.js';
import { parseWith } from './zod-errors.js';

/** `trim.config.yaml`: plug-ins by package name or file path, optionally with options, as changesets names its plug-ins. */
export const trimConfigSchema = z.object({
  plugins: z.array(z.union([z.string().min(1), z.tuple([z.string().min(1), z.record(z.string(), z.unknown())])])).default([]),
  /** Stop (default) or skip and warn when a plug-in fails to load. */
  onPluginError: z.enum(['stop', 'skip']).default('stop'),
});
export type TrimConfig = z.infer<typeof trimConfigSchema>;

export function readTrimConfig(path: string): TrimConfig {
  return parseWith(trimConfigSchema, readYamlFile(path) ?? {}, path);
}

function isPlugin(v: unknown): v is Plugin {
  return v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string';
}

/**
 * Imports the plug-ins a config names, relative to the config's folder. A module's default export is a Plugin, or a
 * factory taking the options and returning one. Only named modules are imported.
 */
export async function loadPlugins(config: TrimConfig, configPath: string, warn: (msg: string) => void = () => {}): Promise<Plugin[]> {
  const base = dirname(resolve(configPath));
  const req = createRequire(resolve(base, 'noop.js'));
  const out: Plugin[] = [];
  for (const entry of config.plugins) {
    const [spec, options] = typeof entry === 'string' ? [entry, {}] : entry;
    try {
      const local = spec.startsWith('.') || isAbsolute(spec);
      const target = local ? resolve(base, spec) : req.resolve(spec);
      if (local && !existsSync(target)) throw new TrimUserError(`plug-in ${spec}: no such file ${target}`, { field: 'plugins' });
      const mod = (await import(pathToFileURL(target).href)) as { default?: unknown };
      const exported = mod.default;
      const value = typeof exported === 'function' ? (exported as (o: unknown) => unknown)(options) : exported;
      if (!isPlugin(value)) {
        throw new TrimUserError(`plug-in ${spec}: its default export is not a plug-in (expected definePlugin({ name, … }) or a factory returning one)`, { field: 'plugins' });
      }
      out.push(value);
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      const msg = e instanceof TrimUserError ? e.message : `plug-in ${spec} failed to load: ${why}`;
      if (config.onPluginError === 'skip') warn(`${msg} (skipped)`);
      else throw new TrimUserError(msg, { field: 'plugins', fix: 'install the package, fix the path, or set onPluginError: skip' });
    }
  }
  return out;
}

import { TrimUserError } from '@trim-dse/core';
import { createRegistry, parsePluginOption } from '../builtins.js';
import { configToLoad } from '../config-trust.js';

const warn = (m: string) => process.stderr.write(`trim: ${m}\n`);

/** The config file this run loads (named, or ./trim.config.yaml when trusted), or undefined: see config-trust.ts. */
export function configFor(globals: Record<string, unknown>): string | undefined {
  return configToLoad({ ...(typeof globals.config === 'string' ? { config: globals.config } : {}), trustConfig: globals.trustConfig === true, warn: (m) => warn(`warning: ${m}`) });
}

/**
 * The registry of a command: the built-ins, the config file's plug-ins and options, the `--plugin-option`s. `config`
 * is the config already chosen (explore chooses once and gives worker threads the same), else chosen here.
 */
export function registryFor(globals: Record<string, unknown>, config: string | null | undefined = configFor(globals) ?? null) {
  return createRegistry({ config, pluginOptions: (globals.pluginOption as string[] | undefined) ?? [], warn });
}

/** The `--plugin-option`s as [target, values, where] entries, for explore jobs (replayed in worker threads). */
export function pluginOptionEntries(globals: Record<string, unknown>): Array<[string, Record<string, unknown>, string]> {
  return ((globals.pluginOption as string[] | undefined) ?? []).map((raw) => [...parsePluginOption(raw), `--plugin-option ${raw}`]);
}

/** A whole number ≥ 1 written in decimal digits, at most `max` (default 2⁵³ − 1, beyond which doubles skip integers). */
export function positiveInt(raw: unknown, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new TrimUserError(`${flag} ${JSON.stringify(String(raw))}: expected a positive integer`, { field: flag, fix: `write ${flag} 4` });
  if (n > max) throw new TrimUserError(`${flag} ${text}: at most ${max}`, { field: flag, fix: `give ${flag} ${max} or less` });
  return n;
}

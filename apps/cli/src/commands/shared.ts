import { TrimUserError } from '@trim-dse/core';
import { createRegistry, parsePluginOption } from '../builtins.js';

/** The registry of a command: the built-ins, the config file's plug-ins and options, the `--plugin-option`s. */
export function registryFor(globals: Record<string, unknown>) {
  return createRegistry({
    config: globals.config as string | undefined,
    pluginOptions: (globals.pluginOption as string[] | undefined) ?? [],
    warn: (m) => process.stderr.write(`trim: ${m}\n`),
  });
}

/** The `--plugin-option`s as [target, values, where] entries, for explore jobs (replayed in worker threads). */
export function pluginOptionEntries(globals: Record<string, unknown>): Array<[string, Record<string, unknown>, string]> {
  return ((globals.pluginOption as string[] | undefined) ?? []).map((raw) => [...parsePluginOption(raw), `--plugin-option ${raw}`]);
}

export function positiveInt(raw: unknown, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new TrimUserError(`${flag} ${String(raw)}: expected a positive integer`, { field: flag });
  return n;
}

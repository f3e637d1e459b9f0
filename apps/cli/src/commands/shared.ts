import { TrimUserError } from '@trim-dse/core';
import { createRegistry } from '../builtins.js';

export function registryFor(globals: Record<string, unknown>) {
  return createRegistry({
    config: globals.config as string | undefined,
    warn: (m) => process.stderr.write(`trim: ${m}\n`),
  });
}

export function positiveInt(raw: unknown, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new TrimUserError(`${flag} ${String(raw)}: expected a positive integer`, { field: flag });
  return n;
}

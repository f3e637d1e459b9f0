import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminalText, TrimUserError, type Registry, type ValidationRow } from '@trim-dse/core';
import { formatTable, validationRowError } from '@trim-dse/report';
import { registryFor } from './shared.js';

/** Folders (this one and below, depth-first) claimed by a suite; a claimed folder is not searched further. */
async function collect(registry: Registry, dir: string, depth: number, rows: ValidationRow[]): Promise<void> {
  const suites = registry.validationSuites.values().filter((s) => s.detect(dir));
  if (suites.length > 0) {
    for (const s of suites) rows.push(...(await s.run(dir, { registry })));
    return;
  }
  if (depth === 0) return;
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (statSync(sub).isDirectory()) await collect(registry, sub, depth - 1, rows);
  }
}

export async function run(opts: Record<string, unknown>, globals: Record<string, unknown>): Promise<void> {
  const registry = await registryFor(globals);
  // Default: the reference data shipped in the repository (validation/, beside apps/ when run from a checkout).
  if (opts.suite === '') throw new TrimUserError('--suite "": expected a folder of reference data', { field: '--suite', fix: 'e.g. --suite validation/scalesim' });
  const dir = typeof opts.suite === 'string' ? resolve(opts.suite) : fileURLToPath(new URL('../../../../validation', import.meta.url));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TrimUserError(`--suite ${dir}: no such folder`, { field: '--suite', fix: 'point --suite at a folder of reference data' });
  }
  const rows: ValidationRow[] = [];
  await collect(registry, dir, 3, rows);
  if (rows.length === 0) {
    throw new TrimUserError(`--suite ${dir}: no validation suite recognises this folder (suites: ${registry.validationSuites.values().map((s) => s.name).join(', ') || 'none'})`, { field: '--suite' });
  }
  const failed = rows.filter((r) => Math.abs(validationRowError(r)) > r.tolerance);
  if (opts.format === 'json') {
    const out = rows.map((r) => ({ ...r, error: validationRowError(r), pass: Math.abs(validationRowError(r)) <= r.tolerance }));
    process.stdout.write(`${JSON.stringify({ schema: 'trim.validate/v1', rows: out, failed: failed.length }, null, 2)}\n`);
  } else {
    const table = formatTable(
      ['suite', 'case', 'metric', 'ours', 'reference', 'unit', 'error', 'tolerance', 'reference is', ''],
      rows.map((r) => {
        const err = validationRowError(r);
        return [
          r.suite,
          r.case,
          r.metric,
          fmt(r.ours),
          fmt(r.reference),
          r.unit,
          `${(err * 100).toFixed(2)}%`,
          `${Number((r.tolerance * 100).toPrecision(3))}%`,
          r.source?.kind ?? '',
          Math.abs(err) <= r.tolerance ? 'ok' : 'FAIL',
        ];
      }),
      { alignRight: [3, 4, 6, 7] },
    );
    // Each reference's provenance once, by suite.
    const sources = new Map<string, string>();
    for (const r of rows) if (r.source) sources.set(`${r.suite}: ${r.source.citation} (${r.source.kind})`, r.suite);
    const cited = [...sources.keys()].map((s) => `  ${s}`).join('\n');
    process.stdout.write(terminalText(`${table}\n${cited ? `sources:\n${cited}\n` : ''}${rows.length - failed.length} passed, ${failed.length} failed\n`, true));
  }
  if (failed.length > 0) {
    // Exit 1 says why on stderr in one line, as every other exit 1 does (the rows marked FAIL are on stdout).
    process.stderr.write(`trim: validate: ${failed.length} of ${rows.length} rows are outside their tolerance\n`);
    process.exitCode = 1;
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(5);
}

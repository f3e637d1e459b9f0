#!/usr/bin/env node
// The `trim` command. Installed from a package it runs the compiled dist/. In a source checkout (src/ beside this
// file; `pnpm trim` at the repository root runs this bin) it runs:
// - the compiled dist/ when the build is current: this CLI and every workspace package (packages/*) have a
//   dist/index.js written after the newest file of their src/ (`pnpm build` makes it so). Plain JavaScript starts in
//   about a third of the CPU time tsx takes (`trim --help`: ~0.09 against ~0.3 CPU-s).
// - else the TypeScript sources: tsx compiles them, and the `@trim-dse/source` export condition points the workspace
//   packages at their sources too, so no build is needed and an edit made since the last build is never run stale.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/bin.ts', import.meta.url);
const fromSource =
  existsSync(source) &&
  !(await import('./build-current.mjs')).buildIsCurrent(fileURLToPath(new URL('..', import.meta.url)), fileURLToPath(new URL('../../../packages', import.meta.url)));
if (fromSource) {
  // Resolve hooks run last-registered first: tsx's calls this one, which adds the condition for every specifier.
  register(
    'data:text/javascript,export function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, "@trim-dse/source"] }); }',
    import.meta.url,
  );
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(source.href);
} else {
  await import('../dist/bin.js');
}

#!/usr/bin/env node
// The `trim` command. Installed from a package it runs the compiled dist/. In a source checkout (src/ beside this
// file; `pnpm trim` at the repository root runs this bin) it runs the TypeScript sources: tsx compiles them, and the
// `@trim-dse/source` export condition points the workspace packages at their sources too, so no build is needed.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/bin.ts', import.meta.url);
if (existsSync(source)) {
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

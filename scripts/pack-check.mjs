#!/usr/bin/env node
// Checks that the published packages work as a user gets them: after `pnpm build`, packs every package in packages/
// (and the CLI), installs the tarballs into a scratch project outside the workspace, and imports each one with plain
// node (no tsx, no source condition). Usage: node scripts/pack-check.mjs [--keep] [--no-cli]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const keep = process.argv.includes('--keep');
const withCli = !process.argv.includes('--no-cli');
const started = Date.now();
const step = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${out}`);
  }
}

const dirs = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')));
if (withCli) dirs.push(join(root, 'apps', 'cli'));
const packages = dirs.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));

const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist', 'index.js')));
if (unbuilt.length > 0) {
  console.error(`pack-check: no dist/ in ${unbuilt.map((p) => p.manifest.name).join(', ')}; run \`pnpm build\` first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'trim-pack-check-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);
let failed = 0;
try {
  // 1. pnpm pack rewrites workspace:^ ranges to the real versions, as pnpm publish does.
  const files = [];
  for (const p of packages) {
    const before = new Set(readdirSync(tarballs));
    run('pnpm', ['pack', '--pack-destination', tarballs], p.dir);
    const made = readdirSync(tarballs).filter((f) => !before.has(f));
    if (made.length !== 1) throw new Error(`pnpm pack in ${p.dir} made ${made.length} tarballs`);
    files.push(join(tarballs, made[0]));
  }
  step(`packed ${files.length} packages into ${tarballs}`);

  // 2. A scratch project outside the workspace: our packages come from the tarballs, their deps from the registry.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'trim-pack-check', private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], project);
  step('npm install of the tarballs done');

  // 3. Plain node imports every entry point (the default export of a plug-in package is its plug-in).
  const entries = packages.flatMap((p) => Object.keys(p.manifest.exports ?? { '.': {} }).filter((k) => k !== './package.json').map((k) => (k === '.' ? p.manifest.name : `${p.manifest.name}/${k.slice(2)}`)));
  for (const spec of entries) {
    const script = `const m = await import(${JSON.stringify(spec)}); const d = m.default; if (Object.keys(m).length === 0) throw new Error('no exports'); if (d !== undefined && typeof d === 'object' && typeof d.name !== 'string') throw new Error('default export is not a plug-in'); console.log(d && typeof d.name === 'string' ? 'plug-in ' + d.name : Object.keys(m).length + ' exports');`;
    try {
      const out = run(process.execPath, ['--input-type=module', '-e', script], project).trim();
      console.log(`  ok    ${spec}: ${out}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  ${spec}: ${e.message.split('\n').slice(1, 6).join(' | ')}`);
    }
  }

  // 4. The CLI's bin runs from the tarball.
  if (withCli) {
    try {
      const out = run(join(project, 'node_modules', '.bin', 'trim'), ['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json'], project);
      const doc = JSON.parse(out);
      if (doc.schema !== 'trim.eval/v1' || doc.layers.length !== 5) throw new Error(`unexpected output: ${out.slice(0, 200)}`);
      console.log(`  ok    trim eval (bin): ${doc.layers.length} layers, ${doc.totals.cycles} cycles`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  trim bin: ${e.message.split('\n').slice(0, 6).join(' | ')}`);
    }
  }
} catch (e) {
  failed++;
  console.error(`pack-check: ${e.message}`);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
step(failed === 0 ? 'pack-check passed' : `pack-check FAILED (${failed})`);
process.exitCode = failed === 0 ? 0 : 1;

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../bin/build-current.mjs';
import { builtinPluginModulesImported } from '../src/builtins.js';
import { runCaptured } from '../src/capture.js';
import { repo } from './run-cli.js';

// The order matters: the commands that need no registry run first, while this process has imported no plug-in.
describe('start-up: built-in plug-ins are imported only by a command that needs them', () => {
  it('--help, --version and a command\'s --help import no plug-in module', async () => {
    for (const argv of [['--help'], ['--version'], ['eval', '--help'], ['explore', '--help'], ['show', 'arch', '--help']]) {
      const r = await runCaptured(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout.length, argv.join(' ')).toBeGreaterThan(0);
    }
    expect(builtinPluginModulesImported()).toBe(0);
  });

  it('an unknown option or command fails without importing a plug-in', async () => {
    expect((await runCaptured(['eval', '--workload', 'alexnet', '--no-such-flag'])).code).toBe(1);
    expect((await runCaptured(['no-such-command'])).code).toBe(1);
    expect(builtinPluginModulesImported()).toBe(0);
  });

  it('list imports the plug-ins, once per module', async () => {
    const r = await runCaptured(['list', '--format', 'json']);
    expect(r.code).toBe(0);
    const plugins = (JSON.parse(r.stdout) as { plugins: unknown[] }).plugins;
    // The core's own plug-in is not a module of its own: every other listed plug-in is one import.
    expect(builtinPluginModulesImported()).toBe(plugins.length - 1);
  });
});

describe('bin/trim.js runs the compiled dist/ of a checkout only when the build is current', () => {
  const root = mkdtempSync(join(tmpdir(), 'trim-build-current-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const cli = join(root, 'apps', 'cli');
  const packages = join(root, 'packages');
  const at = (file: string, seconds: number) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '');
    utimesSync(file, seconds, seconds);
  };

  it('current when each dist/index.js is newer than every source file; stale after an edit or without a build', () => {
    at(join(cli, 'src', 'main.ts'), 1000);
    at(join(cli, 'dist', 'index.js'), 2000);
    at(join(packages, 'core', 'src', 'engine', 'nest.ts'), 1000);
    at(join(packages, 'core', 'dist', 'index.js'), 2000);
    mkdirSync(join(packages, 'no-sources'), { recursive: true }); // a folder without src/ has nothing to build
    expect(buildIsCurrent(cli, packages)).toBe(true);
    at(join(packages, 'core', 'src', 'engine', 'nest.ts'), 3000); // a nested source edited after the build
    expect(buildIsCurrent(cli, packages)).toBe(false);
    at(join(packages, 'core', 'dist', 'index.js'), 4000); // rebuilt
    expect(buildIsCurrent(cli, packages)).toBe(true);
    at(join(packages, 'workloads', 'src', 'index.ts'), 1000); // a package never built
    expect(buildIsCurrent(cli, packages)).toBe(false);
  });
});

describe('bin/trim.js picks dist/ or src/ by that rule', () => {
  // A checkout in miniature: the real bin, a src/bin.ts and a dist/bin.js that say which one ran, the repository's
  // node_modules (tsx) beside it.
  const root = mkdtempSync(join(tmpdir(), 'trim-bin-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const cli = join(root, 'apps', 'cli');
  for (const dir of ['bin', 'src', 'dist']) mkdirSync(join(cli, dir), { recursive: true });
  mkdirSync(join(root, 'packages'));
  for (const f of ['trim.js', 'build-current.mjs']) copyFileSync(fileURLToPath(new URL(`../bin/${f}`, import.meta.url)), join(cli, 'bin', f));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(cli, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(cli, 'src', 'bin.ts'), "const from: string = 'source';\nprocess.stdout.write(from);\n");
  writeFileSync(join(cli, 'dist', 'bin.js'), "process.stdout.write('dist');\n");
  const ran = () => spawnSync(process.execPath, [join(cli, 'bin', 'trim.js')], { encoding: 'utf8' }).stdout;

  it('dist/ when it was built after the sources, src/ once a source is newer', () => {
    utimesSync(join(cli, 'src', 'bin.ts'), 1000, 1000);
    writeFileSync(join(cli, 'dist', 'index.js'), '');
    utimesSync(join(cli, 'dist', 'index.js'), 2000, 2000);
    expect(ran()).toBe('dist');
    utimesSync(join(cli, 'src', 'bin.ts'), 3000, 3000);
    expect(ran()).toBe('source');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

// A cloned repository: its trim.config.yaml names a local plug-in whose import writes a file (any code could run).
const home = mkdtempSync(join(tmpdir(), 'trim-trust-home-'));
const repoDir = mkdtempSync(join(tmpdir(), 'trim-trust-repo-'));
const pwned = join(repoDir, 'pwned.txt');
writeFileSync(join(repoDir, 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pwned)}, 'ran');\nexport default { name: 'evil-plugin' };\n`);
writeFileSync(join(repoDir, 'trim.config.yaml'), 'plugins:\n  - ./evil.mjs\n');

// The CLI in a child process (a plug-in's import runs once per process), with the user's config folder in a temp dir.
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
function trim(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@trim-dse/source', '--import', tsx, bin, ...args], {
    encoding: 'utf8',
    cwd: repoDir,
    env: { ...process.env, XDG_CONFIG_HOME: home, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('a config found in the current folder runs no code unasked', () => {
  it('trim list there does not load it: the plug-in never runs, one warning says how to load it', () => {
    const r = trim(['list', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(existsSync(pwned)).toBe(false);
    expect((JSON.parse(r.stdout) as { plugins: string[] }).plugins).not.toContain('evil-plugin');
    expect(r.stderr).toBe(
      "trim: warning: ./trim.config.yaml was not loaded: this folder's config is not trusted and its plug-ins would run code; load it with --trust-config, trust it with `trim trust`, or name it with --config\n",
    );
  });

  it('explore worker threads load what the parent loaded, no more: the untrusted config runs in none of them', () => {
    writeFileSync(join(repoDir, 'tiny.csv'), 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 10, 10, 3, 3, 4, 8, 1,\n');
    const r = trim(['explore', '--space', 'systolic-sweep', '--workload', 'tiny.csv', '--search', 'random', '--budget', '4', '--workers', '2', '--quiet', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(pwned)).toBe(false);
  });

  it('--trust-config loads it for this run (the plug-in runs)', () => {
    const r = trim(['--trust-config', 'list', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(readFileSync(pwned, 'utf8')).toBe('ran');
    expect((JSON.parse(r.stdout) as { plugins: string[] }).plugins).toContain('evil-plugin');
  });
});

describe('trim trust: an allow-list of config files and their content hashes in the user config folder', () => {
  // In process (the plug-in's module is cached after its first import: its name in `list` shows it was loaded).
  const cwd = process.cwd();
  const xdg = process.env.XDG_CONFIG_HOME;
  const dir = mkdtempSync(join(tmpdir(), 'trim-trust-inproc-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(join(dir, 'nice.mjs'), "export default { name: 'nice-plugin' };\n");
    writeFileSync(join(dir, 'trim.config.yaml'), 'plugins:\n  - ./nice.mjs\n');
    process.env.XDG_CONFIG_HOME = join(dir, 'cfg');
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = xdg;
  });
  const plugins = async () => {
    const r = await runCaptured(['list', '--format', 'json']);
    expect(r.code).toBe(0);
    return { plugins: (JSON.parse(r.stdout) as { plugins: string[] }).plugins, stderr: r.stderr };
  };

  it('trusted, it loads without a flag; changed, it is untrusted again; removed, it no longer loads', async () => {
    expect((await plugins()).plugins).not.toContain('nice-plugin');
    const t = await runCaptured(['trust']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^trusted .*trim\.config\.yaml: trim loads it/);
    expect(JSON.parse(readFileSync(join(dir, 'cfg', 'trim', 'trusted-configs.json'), 'utf8'))).toEqual({
      schema: 'trim.trusted-configs/v1',
      configs: { [join(dir, 'trim.config.yaml')]: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(await plugins()).toEqual({ plugins: expect.arrayContaining(['nice-plugin']), stderr: '' });

    writeFileSync(join(dir, 'trim.config.yaml'), 'plugins:\n  - ./nice.mjs\n# edited\n');
    const changed = await plugins();
    expect(changed.plugins).not.toContain('nice-plugin');
    expect(changed.stderr).toMatch(/^trim: warning: \.\/trim\.config\.yaml was not loaded: it changed since you trusted it/);
    expect((await runCaptured(['trust', '--list'])).stdout).toBe(`changed   ${join(dir, 'trim.config.yaml')}\n`);

    expect((await runCaptured(['trust'])).code).toBe(0);
    expect((await plugins()).plugins).toContain('nice-plugin');
    expect((await runCaptured(['trust', '--remove'])).stdout).toBe('no longer trusted: trim.config.yaml\n');
    expect((await plugins()).plugins).not.toContain('nice-plugin');
  });

  it('a config named with --config loads (the user chose it); --trust-config without a config here is an error', async () => {
    const r = await runCaptured(['--config', 'trim.config.yaml', 'list', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { plugins: string[] }).plugins).toContain('nice-plugin');
    process.chdir(join(dir, 'cfg'));
    try {
      const none = await runCaptured(['--trust-config', 'list']);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe('trim: --trust-config: there is no trim.config.yaml in this folder\n');
    } finally {
      process.chdir(dir);
    }
  });
});

describe('trim --version', () => {
  it('is the version in apps/cli/package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCaptured(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pnpmTrim, repo } from './run-cli.js';

// A scratch folder inside the checkout (/tmp at the root is git-ignored): `pnpm trim` finds the CLI from any folder
// of the workspace.
const scratch = join(repo, 'tmp', `pnpm-trim-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('pnpm trim prints exactly what the CLI prints', () => {
  it('stdout is the JSON document alone (no pnpm banner); an error is one line (no ELIFECYCLE)', () => {
    const ok = pnpmTrim(['eval', '--workload', 'alexnet', '--only', 'conv', '--format', 'json'], repo);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { schema: string }).schema).toBe('trim.eval/v1');
    const bad = pnpmTrim(['eval', '--workload', 'nosuchnet'], repo);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^trim: unknown workload "nosuchnet"/)]);
  });

  it('relative paths resolve from the folder it is run in: --arch, --workload and --out', () => {
    mkdirSync(scratch, { recursive: true });
    const caseDir = join(repo, 'validation', 'scalesim', 'a_32x32_os_alexnet');
    writeFileSync(join(scratch, 'mine.yaml'), 'template: systolic\nname: mine\nrows: 8\ncols: 8\nsram: { ifmapKB: 64, filterKB: 64, ofmapKB: 64 }\n');
    writeFileSync(join(scratch, 'topology.csv'), readFileSync(join(caseDir, 'topology.csv')));
    const r = pnpmTrim(['eval', '--arch', './mine.yaml', '--workload', 'topology.csv', '--out', 'out.json', '--format', 'json'], scratch);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote out.json (5 ops, json)\n');
    expect(existsSync(join(scratch, 'out.json'))).toBe(true);
    expect((JSON.parse(readFileSync(join(scratch, 'out.json'), 'utf8')) as { arch: string }).arch).toBe('mine');
  });

  it('a trim.config.yaml in that folder follows the trust rule: not loaded (its plug-in never runs) until trusted', () => {
    const dir = join(scratch, 'cloned');
    mkdirSync(dir, { recursive: true });
    const ran = join(dir, 'ran.txt');
    writeFileSync(join(dir, 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(ran)}, 'ran');\nexport default { name: 'evil' };\n`);
    writeFileSync(join(dir, 'trim.config.yaml'), 'plugins:\n  - ./evil.mjs\n');
    const r = pnpmTrim(['list', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(ran)).toBe(false);
    expect(r.stderr).toMatch(/^trim: warning: \.\/trim\.config\.yaml was not loaded: this folder's config is not trusted/);
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
/** The repository root (the pnpm workspace). */
export const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `trim` from source in a child process, as `pnpm trim` does. */
export function trim(args: string[], cwd?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@trim-dse/source', '--import', 'tsx', bin, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `pnpm trim …` itself, as a user types it, in `cwd` (a folder of the checkout). */
export function pnpmTrim(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('pnpm', ['trim', ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false' } });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

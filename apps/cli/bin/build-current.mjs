// When a source checkout's compiled output can stand in for its sources (bin/trim.js asks before every run).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * True when the CLI (`cliDir`) and every workspace package under `packagesDir` that has a src/ were built after their
 * last source edit: each one's dist/index.js is newer than every file under its src/ (tsc rewrites every output on
 * each build, so one file's time is the build's). A package with src/ but no dist/index.js is not built.
 * @param {string} cliDir
 * @param {string} packagesDir
 * @returns {boolean}
 */
export function buildIsCurrent(cliDir, packagesDir) {
  const packages = existsSync(packagesDir)
    ? readdirSync(packagesDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(packagesDir, d.name))
    : [];
  return [cliDir, ...packages].every((dir) => !existsSync(join(dir, 'src')) || builtAfterSources(dir));
}

/**
 * @param {string} dir
 * @returns {boolean}
 */
function builtAfterSources(dir) {
  const built = join(dir, 'dist', 'index.js');
  if (!existsSync(built)) return false;
  const builtMs = statSync(built).mtimeMs;
  return readdirSync(join(dir, 'src'), { recursive: true, withFileTypes: true }).every((f) => !f.isFile() || statSync(join(f.parentPath, f.name)).mtimeMs <= builtMs);
}

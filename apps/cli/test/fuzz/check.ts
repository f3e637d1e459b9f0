import type { CapturedRun } from '../../src/capture.js';

/** Walks a parsed JSON document; every number must be finite and every count non-negative. */
function badNumber(v: unknown, path: string): string | null {
  // JSON.stringify writes NaN and ±Infinity as null: our documents have no nulls otherwise.
  // (`best` is null in `trim.explore/v1` when no point was feasible.)
  if (v === null) return path === '$.best' ? null : `${path} = null (NaN or Infinity before serialisation)`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return `${path} = ${v}`;
    if (v < 0 && !/error|delta|saved/i.test(path)) return `${path} = ${v} (negative)`;
    return null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const b = badNumber(v[i], `${path}[${i}]`);
      if (b) return b;
    }
    return null;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const b = badNumber(x, `${path}.${k}`);
      if (b) return b;
    }
  }
  return null;
}

/**
 * The contract every input must meet: exit 0 with clean numbers, or exit 1 with one line on stderr naming the
 * problem and nothing on stdout; never an internal error, an escaped exception, a stack trace, NaN or Infinity.
 */
export function violation(r: CapturedRun): string | null {
  if (r.escaped !== undefined) return `exception escaped main: ${r.escaped instanceof Error ? r.escaped.stack : String(r.escaped)}`;
  if (r.code === 2) return `internal error: ${r.stderr.trim()}`;
  if (r.code === 1) {
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) return 'exit 1 without a message';
    if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) return `stack trace on stderr: ${r.stderr}`;
    if (!lines[0].startsWith('trim: ') && !lines[0].startsWith('error: ')) return `message does not start with "trim: ": ${lines[0]}`;
    if (lines.length > 1 && lines[0].startsWith('trim: ')) return `more than one line: ${r.stderr}`;
    // A user's own value echoed in quotes is fine; a bare NaN/Infinity/undefined is a formatting bug.
    if (/(?<!["\w])(NaN|Infinity|undefined|\[object Object\])(?!["\w])/.test(lines[0])) return `message shows a broken value: ${lines[0]}`;
    return null;
  }
  if (r.code !== 0) return `exit code ${r.code}`;
  const t = r.stdout.trim();
  if (t.startsWith('{')) {
    // JSON: every number must be clean (names the user chose, such as a level called "NaN", are only strings).
    try {
      const bad = badNumber(JSON.parse(t) as unknown, '$');
      if (bad) return `bad number in JSON output: ${bad}`;
    } catch {
      return 'JSON output does not parse';
    }
  } else if (/(?<![\w"])(NaN|Infinity)(?![\w"])/.test(r.stdout)) return `NaN/Infinity in output: ${r.stdout.slice(0, 300)}`;
  return null;
}

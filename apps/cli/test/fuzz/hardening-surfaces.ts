import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readResultsFile, resultsFileText } from '@trim-dse/core';
import { runCaptured } from '../../src/capture.js';
import { TINY_CSV, type FuzzInput, type Surface } from './surfaces.js';

/**
 * The classes of input of issue 16 ("Hardening"): special files as inputs and outputs, two runs sharing one results
 * file, tampered and truncated results files for merge, resume and report, huge valid sizes and long networks,
 * prototype keys, training phases on every template. Each input has a check beyond the contract where the right
 * answer is known (a merge that exits 0 gives the unsharded run's bytes; a fixture is never replaced).
 */

const SPACE = ['name: fuzz-sweep', 'template: systolic', 'base: systolic-8x8', 'parameters:', '  rows: [4, 8]', '  cols: [4, 8]', 'goal: latency', ''].join('\n');
const READONLY_TEXT = 'template: generic\nname: read-only\n';

/** The fixture folder ($FIX): a FIFO, a folder, a read-only file, links to them, and the runs the results surfaces tamper with. */
export function specialFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trim-fuzz-fix-'));
  execFileSync('mkfifo', [join(dir, 'fifo'), join(dir, 'fifo.html')]);
  mkdirSync(join(dir, 'folder'));
  mkdirSync(join(dir, 'folder.html'));
  symlinkSync(join(dir, 'fifo'), join(dir, 'link-to-fifo.html'));
  symlinkSync(join(dir, 'folder'), join(dir, 'link-to-folder.html'));
  symlinkSync(join(dir, 'link-loop.html'), join(dir, 'link-loop.html'));
  writeFileSync(join(dir, 'readonly.yaml.html'), READONLY_TEXT);
  chmodSync(join(dir, 'readonly.yaml.html'), 0o444);
  writeFileSync(join(dir, 'readonly.yaml'), READONLY_TEXT);
  chmodSync(join(dir, 'readonly.yaml'), 0o444);
  symlinkSync(join(dir, 'fifo'), join(dir, 'link-to-fifo'));
  symlinkSync(join(dir, 'folder'), join(dir, 'link-to-folder'));
  symlinkSync(join(dir, 'link-loop'), join(dir, 'link-loop'));
  writeFileSync(join(dir, 'space.yaml'), SPACE);
  writeFileSync(join(dir, 'tiny.csv'), TINY_CSV);
  return dir;
}

/** Why the fixtures are no longer what `specialFixtures` made (a run replaced or wrote into one), or null. */
function fixturesChanged(fix: string): string | null {
  for (const ext of ['', '.html']) {
    if (!lstatSync(join(fix, `fifo${ext}`)).isFIFO()) return `$FIX/fifo${ext} is no longer a FIFO`;
    if (!statSync(join(fix, `folder${ext}`)).isDirectory() || readdirSync(join(fix, `folder${ext}`)).length > 0) return `$FIX/folder${ext} was replaced or written into`;
    const ro = statSync(join(fix, `readonly.yaml${ext}`));
    if ((ro.mode & 0o777) !== 0o444 || readFileSync(join(fix, `readonly.yaml${ext}`), 'utf8') !== READONLY_TEXT) return `$FIX/readonly.yaml${ext} was replaced`;
    if (!lstatSync(join(fix, `link-to-fifo${ext}`)).isSymbolicLink() || !lstatSync(join(fix, `link-to-folder${ext}`)).isSymbolicLink()) return 'a fixture symlink was replaced';
  }
  if (!statSync('/dev/null').isCharacterDevice()) return '/dev/null is no longer a character device';
  const left = readdirSync(fix).filter((f) => f.includes('.tmp-'));
  if (left.length > 0) return `temporary files left in $FIX: ${left.join(', ')}`;
  return null;
}

const tmpLeft = (dir: string): string | null => {
  const left = readdirSync(dir).filter((f) => f.includes('.tmp-') || f.endsWith('.lock'));
  return left.length > 0 ? `temporary or lock files left behind: ${left.join(', ')}` : null;
};

/** The runs the results surfaces start from: the whole run, its two shards, and a run killed part-way. */
interface Runs {
  full: string;
  s1: string;
  s2: string;
  /** The first `k` records of the whole run, unfinished (no `evaluated`), as a killed run leaves its file. */
  killed: (k: number) => string;
}

async function exploreRuns(fix: string): Promise<Runs> {
  const base = ['explore', '--space', join(fix, 'space.yaml'), '--workload', join(fix, 'tiny.csv'), '--quiet'];
  const dir = mkdtempSync(join(tmpdir(), 'trim-fuzz-runs-'));
  for (const [name, extra] of [['full', []], ['s1', ['--shard', '1/2']], ['s2', ['--shard', '2/2']]] as const) {
    const r = await runCaptured([...base, ...extra, '--out', join(dir, `${name}.jsonl`)]);
    if (r.code !== 0) throw new Error(`fuzz fixture: explore ${name} failed: ${r.stderr}`);
  }
  const full = readFileSync(join(dir, 'full.jsonl'), 'utf8');
  const f = readResultsFile(join(dir, 'full.jsonl'));
  return {
    full,
    s1: readFileSync(join(dir, 's1.jsonl'), 'utf8'),
    s2: readFileSync(join(dir, 's2.jsonl'), 'utf8'),
    killed: (k) => resultsFileText(f.header, f.records.slice(0, k), false),
  };
}

const WEIRD_NUMBERS = ['-1', '0', '1e300', '-0', '1.5', '2', '99', '4294967296', '"x"', 'null', 'true', '[]', '{}'];

/** Edits of a results file's text: the ways a file is cut, torn, edited by hand or mixed with another run's. */
function tamper(text: string, other: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const n = lines.length - 1; // the text ends with a newline
  const numberAt = [...text.matchAll(/-?\d+(\.\d+)?(e[-+]?\d+)?/g)].map((m) => [m.index, m[0].length] as const);
  return fc.oneof(
    fc.constant(text),
    fc.constant(''),
    fc.constant(`${lines[0]}\n`),
    fc.nat({ max: text.length }).map((k) => text.slice(0, k)),
    fc.nat({ max: n - 1 }).map((i) => lines.filter((_, j) => j !== i).join('\n')),
    fc.nat({ max: n - 1 }).map((i) => [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n')),
    fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })).map(([i, j]) => {
      const out = [...lines];
      [out[i], out[j]] = [out[j], out[i]];
      return out.join('\n');
    }),
    fc.nat({ max: Math.max(0, other.split('\n').length - 2) }).map((i) => `${text}${other.split('\n')[i + 1] ?? ''}\n`),
    fc.tuple(fc.nat({ max: Math.max(0, numberAt.length - 1) }), fc.constantFrom(...WEIRD_NUMBERS)).map(([i, v]) => {
      const at = numberAt[i];
      return at ? text.slice(0, at[0]) + v + text.slice(at[0] + at[1]) : text;
    }),
    fc.tuple(fc.nat({ max: text.length }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(fc.nat({ max: n - 1 }), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([i, k]) => lines.map((l, j) => (j === i ? l.replace(/^\{/, `{"${k}":{"areaMm2":1},`) : l)).join('\n')),
  );
}

/** Every record line of `m` (after its header) is a line of `full`: a partial merge copies, never invents. */
function subsetOf(m: string, full: string): string | null {
  const have = new Set(full.split('\n').slice(1));
  const stray = m.split('\n').slice(1).find((l) => l !== '' && !have.has(l));
  return stray === undefined ? null : `merged a line the run never wrote: ${stray.slice(0, 200)}`;
}

export async function hardeningSurfaces(architectures: Array<{ name: string; template: string }>, fix: string): Promise<Surface[]> {
  const runs = await exploreRuns(fix);
  const exploreBase = ['explore', '--space', '$FIX/space.yaml', '--workload', '$FIX/tiny.csv', '--quiet', '--format', 'json'];

  const special: Surface = {
    name: 'special files',
    arbitrary: fc
      .tuple(
        fc.constantFrom('$FIX/fifo', '$FIX/folder', '$FIX/link-to-fifo', '$FIX/link-to-folder', '$FIX/link-loop', '/dev/null', '$FIX/readonly.yaml', '$DIR/missing/x', '$DIR/file', '$DIR/link'),
        fc.constantFrom('eval-out', 'eval-arch', 'eval-workload', 'explore-out', 'explore-space', 'merge-in', 'merge-out', 'report-in', 'report-html', 'config', 'zero-fractions', 'scalesim-out'),
      )
      .map(([path, where]): FuzzInput => {
        const evalTiny = ['eval', '--workload', '$DIR/tiny.csv', '--arch', 'systolic-8x8', '--format', 'json'];
        // --html must end in .html: every path has an .html twin (a FIFO, a folder, links, a read-only file).
        const html = path === '/dev/null' ? path : `${path}.html`;
        const argv: Record<string, string[]> = {
          'eval-out': [...evalTiny, '--out', path],
          'eval-arch': ['eval', '--workload', '$DIR/tiny.csv', '--arch', path, '--format', 'json'],
          'eval-workload': ['eval', '--workload', path, '--arch', 'systolic-8x8', '--format', 'json'],
          'explore-out': [...exploreBase, '--out', path],
          'explore-space': ['explore', '--space', path, '--workload', '$FIX/tiny.csv', '--quiet'],
          'merge-in': ['merge', path, '$DIR/s2.jsonl'],
          'merge-out': ['merge', '$DIR/s1.jsonl', '$DIR/s2.jsonl', '--out', path],
          'report-in': ['report', path],
          'report-html': ['report', '$DIR/s1.jsonl', '--no-best', '--html', html],
          config: ['--config', path, 'list', '--format', 'json'],
          'zero-fractions': [...evalTiny, '--zero-fractions', path],
          // --format scalesim writes three files into a folder: a folder fixture would be written into (as asked).
          'scalesim-out': ['eval', '--workload', '$DIR/tiny.csv', '--arch', 'systolic-8x8', '--format', 'scalesim', '--out', /folder$/.test(path) ? '$DIR/reports' : path],
        };
        return {
          argv: argv[where],
          files: { 'tiny.csv': TINY_CSV, 's1.jsonl': runs.s1, 's2.jsonl': runs.s2, file: 'x\n', 'file.html': 'x\n' },
          links: { link: 'file', 'link.html': 'file.html' },
          check: (dir, r) => {
            const changed = fixturesChanged(fix) ?? tmpLeft(dir);
            if (changed) return changed;
            // A symlink output stays a symlink (written through).
            if (!lstatSync(join(dir, 'link')).isSymbolicLink() || !lstatSync(join(dir, 'link.html')).isSymbolicLink()) return 'the symlink $DIR/link was replaced by a file';
            const target = argv[where][argv[where].length - 1];
            if (r.code === 0 && (target.startsWith('$FIX') || target === '/dev/null') && /out|html/.test(where)) return `exit 0 writing to ${target}`;
            return null;
          },
        };
      }),
  };

  const symlinkOut: Surface = {
    name: 'symlink outputs',
    arbitrary: fc.constantFrom('eval', 'explore', 'merge', 'html').map((cmd): FuzzInput => {
      const argv: Record<string, string[]> = {
        eval: ['eval', '--workload', '$DIR/tiny.csv', '--arch', 'systolic-8x8', '--format', 'json', '--out', '$DIR/link.html'],
        explore: [...exploreBase, '--out', '$DIR/link.html'],
        merge: ['merge', '$DIR/s1.jsonl', '$DIR/s2.jsonl', '--out', '$DIR/link.html'],
        html: ['report', '$DIR/s1.jsonl', '$DIR/s2.jsonl', '--no-best', '--html', '$DIR/link.html'],
      };
      return {
        argv: argv[cmd],
        files: { 'tiny.csv': TINY_CSV, 's1.jsonl': runs.s1, 's2.jsonl': runs.s2, 'target.txt': 'old\n' },
        links: { 'link.html': 'target.txt' },
        check: (dir, r) => {
          if (r.code !== 0) return `exit ${r.code} writing through a symlink: ${r.stderr.trim()}`;
          const link = join(dir, 'link.html');
          if (!lstatSync(link).isSymbolicLink()) return 'the symlink was replaced by a regular file';
          if (readFileSync(join(dir, 'target.txt'), 'utf8') === 'old\n') return 'the link target was not written';
          return tmpLeft(dir);
        },
      };
    }),
  };

  const merge: Surface = {
    name: 'merge tampered results',
    arbitrary: fc
      .tuple(tamper(runs.s1, runs.s2), tamper(runs.s2, runs.full), fc.boolean(), fc.constantFrom('both', 'one', 'same-twice', 'with-full'))
      .map(([a, b, partial, which]): FuzzInput => {
        const files = which === 'one' ? ['$DIR/a.jsonl'] : which === 'same-twice' ? ['$DIR/a.jsonl', '$DIR/a.jsonl'] : which === 'with-full' ? ['$DIR/a.jsonl', '$DIR/full.jsonl'] : ['$DIR/b.jsonl', '$DIR/a.jsonl'];
        return {
          argv: ['merge', ...files, '--out', '$DIR/m.jsonl', '--format', 'json', ...(partial ? ['--allow-partial'] : [])],
          files: { 'a.jsonl': a, 'b.jsonl': b, 'full.jsonl': runs.full },
          check: (dir, r) => {
            if (r.code !== 0) return existsSync(join(dir, 'm.jsonl')) ? 'a refused merge wrote its output' : tmpLeft(dir);
            const m = readFileSync(join(dir, 'm.jsonl'), 'utf8');
            if (!partial && m !== runs.full) return 'merge exited 0 without --allow-partial but its output is not the run';
            return subsetOf(m, runs.full) ?? tmpLeft(dir);
          },
        };
      }),
  };

  const resume: Surface = {
    name: 'resume tampered results',
    arbitrary: fc
      .tuple(fc.oneof(tamper(runs.full, runs.s2), fc.nat({ max: 4 }).map((k) => runs.killed(k)), fc.nat({ max: 4 }).chain((k) => tamper(runs.killed(k), runs.s1))), fc.constantFrom('', '1/2', '2/2'))
      .map(([text, shard]): FuzzInput => ({
        argv: [...exploreBase, '--out', '$DIR/out.jsonl', '--resume', ...(shard ? ['--shard', shard] : [])],
        files: { 'out.jsonl': text },
        check: (dir, r) => {
          if (r.code !== 0) return tmpLeft(dir);
          const out = readFileSync(join(dir, 'out.jsonl'), 'utf8');
          const want = shard === '1/2' ? runs.s1 : shard === '2/2' ? runs.s2 : runs.full;
          return out === want ? tmpLeft(dir) : `resume exited 0 but its file is not the run's (${shard || 'unsharded'})`;
        },
      })),
  };

  const report: Surface = {
    name: 'report tampered results',
    arbitrary: tamper(runs.full, runs.s1).map((text): FuzzInput => ({
      argv: ['report', '$DIR/r.jsonl'],
      files: { 'r.jsonl': text },
      check: (_dir, r) => (r.code === 0 && /[\u001b\u009b]/.test(r.stdout) ? 'an escape code reached the terminal' : null),
    })),
  };

  const host = hostname();
  const locks: Surface = {
    name: 'concurrent writers',
    arbitrary: fc.constantFrom('held', 'dead-owner', 'torn-lock', 'resume-held').map((kind): FuzzInput => {
      const out = ['--out', '$DIR/out.jsonl', ...(kind === 'resume-held' ? ['--resume'] : [])];
      if (kind === 'held' || kind === 'resume-held') {
        return {
          argv: [...exploreBase, ...out],
          files: {},
          lockedOut: 'out.jsonl',
          check: (dir, r) => (r.code === 1 && /another trim explore/.test(r.stderr) && !existsSync(join(dir, 'out.jsonl')) ? null : `a second run on a locked --out: exit ${r.code} ${r.stderr.trim()}`),
        };
      }
      // A lock left by a dead run on this machine (a pid no process has) is taken over; a torn one too, once stale.
      const lock = kind === 'dead-owner' ? JSON.stringify({ pid: 2 ** 30, host, since: 0 }) : '{"pid":';
      return {
        argv: [...exploreBase, ...out],
        files: { 'out.jsonl.lock': lock },
        check: (dir, r) => {
          if (kind === 'dead-owner') return r.code === 0 && readFileSync(join(dir, 'out.jsonl'), 'utf8') === runs.full ? tmpLeft(dir) : `a dead run's lock was not taken over: exit ${r.code} ${r.stderr.trim()}`;
          // A fresh torn lock may be a run starting now: refused until it is stale.
          return r.code === 1 ? null : `a fresh torn lock was ignored (exit ${r.code})`;
        },
      };
    }),
  };

  const proto = fc.constantFrom('__proto__', 'constructor', 'prototype');
  const prototypeKeys: Surface = {
    name: 'prototype keys',
    arbitrary: fc.oneof(
      fc.tuple(proto, fc.constantFrom('.areaMm2', '', '.x.y', '.prototype.areaMm2')).map(([k, tail]) => ({
        argv: ['explore', '--space', '$DIR/space.yaml', '--workload', '$DIR/tiny.csv', '--quiet', '--format', 'json'],
        files: { 'space.yaml': `template: systolic\nbase: systolic-8x8\nparameters:\n  "${k}${tail}": [1, 2]\n  rows: [4, 8]\n`, 'tiny.csv': TINY_CSV },
        check: (_d: string, r: { code: number }) => (r.code === 1 ? null : `a design-space key ${k}${tail} was accepted`),
      })),
      fc.tuple(proto, fc.boolean()).map(([k, json]) => ({
        argv: ['eval', '--workload', '$DIR/tiny.csv', '--arch', json ? '$DIR/arch.json' : '$DIR/arch.yaml', '--format', 'json'],
        files: {
          'arch.yaml': `template: systolic\nrows: 8\ncols: 8\n${k}:\n  areaMm2: 1\n`,
          'arch.json': `{"template":"systolic","name":"j","${k}":{"areaMm2":1},"rows":8,"cols":8}`,
          'tiny.csv': TINY_CSV,
        },
      })),
      fc.tuple(proto, fc.constantFrom('path', 'value', 'plugin')).map(([k, where]) => ({
        argv: [
          ...(where === 'plugin' ? ['--plugin-option', `${k}.x=1`] : []),
          'eval',
          '--workload',
          '$DIR/tiny.csv',
          '--arch',
          'generic-16x16',
          '--format',
          'json',
          ...(where === 'path' ? ['--set', `${k}.areaMm2=5`] : where === 'value' ? ['--set', `levels={"${k}":{"areaMm2":5}}`] : []),
        ],
        files: { 'tiny.csv': TINY_CSV },
        check: (_d: string, r: { code: number }) => (r.code === 1 ? null : `a key ${k} in --set or --plugin-option was accepted`),
      })),
    ),
  };

  const hugeSizes: Surface = {
    name: 'huge sizes and long networks',
    arbitrary: fc.oneof(
      fc
        .tuple(
          fc.array(fc.oneof(fc.constantFrom(1, 2, 3, 7, 2 ** 16 + 1, 2 ** 32, 2 ** 32 + 1, 1e12, 2 ** 53 - 1, 2 ** 53 + 2), fc.integer({ min: 1, max: 2 ** 40 })), { minLength: 3, maxLength: 3 }),
          fc.constantFrom('systolic-8x8', 'systolic-32x32', 'generic-16x16', 'tpu-v1'),
          fc.constantFrom('1', '16', '16384'),
        )
        .map(([[m, n, k], arch, batch]) => ({
          argv: ['eval', '--workload', '$DIR/gemm.csv', '--arch', arch, '--batch', batch, '--format', 'json'],
          files: { 'gemm.csv': `Layer Name, M, N, K,\ng, ${m}, ${n}, ${k},\n` },
        })),
      fc
        .tuple(fc.constantFrom(1, 3, 1e6, 1e12, 2 ** 31), fc.constantFrom(1, 8, 1e9, 1e12), fc.constantFrom('systolic-8x8', 'generic-16x16'), fc.constantFrom('1', '64', '16384'))
        .map(([c, k, arch, batch]) => ({
          argv: ['eval', '--workload', '$DIR/conv.csv', '--arch', arch, '--batch', batch, '--format', 'json', '--summary'],
          files: { 'conv.csv': `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc, 8, 8, 3, 3, ${c}, ${k}, 1,\n` },
        })),
      fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('systolic-8x8', 'generic-16x16'), fc.boolean()).map(([layers, arch, training]) => ({
        argv: ['eval', '--workload', '$DIR/long.csv', '--arch', arch, '--format', 'json', '--summary', ...(training ? ['--phase', 'training'] : [])],
        files: { 'long.csv': `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n${'c, 6, 6, 3, 3, 4, 4, 1,\n'.repeat(layers)}` },
      })),
      fc.constantFrom('Infinity', '1e6', '4294967296', '9007199254740993', '0x10', '1.5', ' 2', '16384').map((batch) => ({
        argv: ['eval', '--workload', '$DIR/tiny.csv', '--arch', 'systolic-8x8', '--batch', batch, '--format', 'json'],
        files: { 'tiny.csv': TINY_CSV },
      })),
    ),
  };

  const names = architectures.map((a) => a.name);
  const templates: Surface = {
    name: 'every template, training',
    arbitrary: fc
      .tuple(
        fc.constantFrom(...names),
        fc.constantFrom('inference', 'training'),
        fc.option(fc.constantFrom('sgd', 'momentum', 'adam'), { nil: undefined }),
        fc.option(fc.constantFrom('none', 'checkpoint-blocks'), { nil: undefined }),
        fc.option(fc.constantFrom('fp16', 'bf16', 'fp8'), { nil: undefined }),
        fc.option(fc.constantFrom('int8', 'int16', 'fp16', 'fp32'), { nil: undefined }),
        fc.constantFrom('1', '2', '8'),
        fc.constantFrom('on', 'off'),
      )
      .map(([arch, phase, opt, recompute, mixed, precision, batch, interlayer]) => ({
        argv: [
          'eval',
          '--workload',
          '$DIR/tiny.csv',
          '--arch',
          arch,
          '--phase',
          phase,
          '--batch',
          batch,
          '--interlayer',
          interlayer,
          '--format',
          'json',
          ...(opt ? ['--optimizer', opt] : []),
          ...(recompute ? ['--recompute', recompute] : []),
          ...(mixed ? ['--mixed', mixed] : []),
          ...(precision ? ['--precision', precision] : []),
        ],
        files: { 'tiny.csv': TINY_CSV },
      })),
  };

  return [special, symlinkOut, merge, resume, report, locks, prototypeKeys, hugeSizes, templates];
}

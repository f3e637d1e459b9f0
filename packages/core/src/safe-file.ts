import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TrimUserError } from './errors.js';

/**
 * The files a user names, read and written so that no input can hang or exhaust a run and no output can destroy
 * what it points at:
 * - inputs are regular files, checked before they are opened (a FIFO or a device would block or never end), and at
 *   most a size limit (a clear error instead of an exhausted heap);
 * - outputs go to a temporary file beside the target, flushed to disk (file and folder) before a rename, so a crash
 *   or a power loss leaves the old file or the new one; the target must be absent or a regular file the user may
 *   replace (a device, a FIFO or a folder is refused), and a symlink is written through to its target;
 * - every file-system error is a user error naming the path (exit 1), and no temporary file outlives a failure.
 */

/** Text inputs (YAML, JSON, CSV, SCALE-Sim cfg): the largest real one is a few hundred KB; parsing 16 MB of YAML
 *  already takes about 1 GB of heap (the `yaml` library's document model), so larger is refused. */
export const MAX_TEXT_INPUT_BYTES = 16 * 1024 * 1024;

/** ONNX models: protobuf caps a message at 2 GiB; half of that keeps decoding under the 2 GB a run may use (larger
 *  models keep their weights as ONNX external data, which TRIM never needs: it reads shapes only). */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/** Results files (JSONL): 256 MiB holds about 200 k points, read whole by `--resume`, `merge` and `report`. */
export const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

const KIND_NAMES: Array<[(s: Stats) => boolean, string]> = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

/** "a folder", "a FIFO (named pipe)", … for a file that is not a regular file. */
export function fileKind(s: Stats): string {
  for (const [is, name] of KIND_NAMES) if (is(s)) return name;
  return s.isFile() ? 'a regular file' : 'not a regular file';
}

/** A size for messages: bytes, KB or MB as fits (binary units, as `ls -lh`). */
function sizeText(n: number): string {
  if (n < 10 * 1024) return `${n} bytes`;
  if (n < 10 * 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${Math.round(n / (1024 * 1024))} MB`;
}

/** A file-system error as a sentence a user can act on (the errno code kept for searches). */
export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder (ENOENT)';
    case 'ENOTDIR':
      return 'a part of the path is not a folder (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is exceeded (EDQUOT)';
    case 'EFBIG':
      return 'the file is larger than this process may write (EFBIG)';
    case 'EISDIR':
      return 'it is a folder (EISDIR)';
    case 'ELOOP':
      return 'too many symbolic links (ELOOP)';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    case 'EIO':
      return 'an input/output error (EIO)';
    case 'EXDEV':
      return 'the temporary file and the target are on different file systems (EXDEV)';
    default:
      return code ? `cannot access it (${code})` : 'cannot access it';
  }
}

export interface InputOptions {
  /** How the message names the file: a flag (`--workload x.csv`) or the path alone (default). */
  readonly label?: string;
  readonly maxBytes?: number;
}

/**
 * Reads a file the user named: a regular file (refused before it is opened otherwise) of at most `maxBytes`. Opened
 * non-blocking and checked again on the descriptor, so a file swapped for a FIFO between the check and the open
 * cannot hang the run.
 */
export function readInputBytes(path: string, o: InputOptions = {}): Buffer {
  const label = o.label ?? path;
  const max = o.maxBytes ?? MAX_TEXT_INPUT_BYTES;
  const fail = (why: string, fix = 'check the path') => new TrimUserError(`${label}: ${why}`, { field: label, fix });
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw fail(`cannot read it: ${fsErrorText(e)}`);
  }
  if (!st.isFile()) throw fail(`is ${fileKind(st)}, not a regular file`, 'give a regular file');
  if (st.size > max) throw fail(`is ${sizeText(st.size)}, above the ${sizeText(max)} limit for this kind of file`, 'give a smaller file');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fail(`cannot read it: ${fsErrorText(e)}`);
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw fail(`is ${fileKind(now)}, not a regular file`, 'give a regular file');
    // Read at most max + 1 bytes: a file that grew past the limit since the check is refused, not read whole. (The
    // buffer grows for files whose size the kernel reports as 0, such as those of /proc.)
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(now.size, st.size) + 1));
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > max) break;
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > max) throw fail(`is above the ${sizeText(max)} limit for this kind of file`, 'give a smaller file');
    return buf.subarray(0, got);
  } catch (e) {
    if (e instanceof TrimUserError) throw e;
    throw fail(`cannot read it: ${fsErrorText(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** `readInputBytes` as UTF-8 text. */
export function readInputText(path: string, o: InputOptions = {}): string {
  return readInputBytes(path, o).toString('utf8');
}

/** The regular file a write to `path` lands on: `path` itself, or the final target of a chain of symlinks. */
function writeTarget(path: string): string {
  const abs = resolve(path);
  let link: Stats;
  try {
    link = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return abs;
    throw e;
  }
  if (!link.isSymbolicLink()) return abs;
  try {
    return realpathSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    // A dangling link: writing through it creates its target (as `echo > link` does).
    let target = abs;
    for (let hops = 0; hops < 40; hops++) {
      let st: Stats;
      try {
        st = lstatSync(target);
      } catch {
        return target;
      }
      if (!st.isSymbolicLink()) return target;
      target = resolve(dirname(target), readlinkSync(target));
    }
    const loop = new Error('too many symbolic links') as NodeJS.ErrnoException;
    loop.code = 'ELOOP';
    throw loop;
  }
}

export interface OutputTarget {
  /** The path as the user gave it (for messages). */
  readonly path: string;
  /** The regular file that will be replaced or created (symlinks followed). */
  readonly target: string;
  /** Mode bits of the file being replaced (kept by the new file), when it exists. */
  readonly mode?: number;
}

/**
 * Checks, before any work, that `path` may be written: absent in a writable folder, or a regular file the user may
 * replace (writable by them; a file without any write bit is read-only even for root). A device, a FIFO, a socket
 * or a folder is refused; a symlink is judged by its target. A user error names the path and the reason.
 */
export function checkOutputFile(path: string, flag = '--out'): OutputTarget {
  const fail = (why: string, fix: string) => new TrimUserError(`${flag} ${path}: ${why}`, { field: flag, fix });
  let target: string;
  try {
    target = writeTarget(path);
  } catch (e) {
    throw fail(`cannot write here: ${fsErrorText(e)}`, 'give a path in a folder you can write');
  }
  let st: Stats | undefined;
  try {
    st = statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(`cannot write here: ${fsErrorText(e)}`, 'give a path in a folder you can write');
  }
  if (st && !st.isFile()) {
    throw fail(`is ${fileKind(st)}${target !== resolve(path) ? ` (${target})` : ''}, not a regular file: TRIM writes only regular files`, 'give the path of a file to create or replace');
  }
  if (st) {
    let writable = (st.mode & 0o222) !== 0;
    try {
      accessSync(target, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable) throw fail('the file is read-only, so TRIM will not replace it', 'make it writable (chmod u+w) or give another path');
  }
  const dir = dirname(target);
  let dst: Stats;
  try {
    dst = statSync(dir);
  } catch (e) {
    throw fail(`the folder ${dir} does not exist (${fsErrorText(e)})`, 'create the folder first, or give a path in an existing folder');
  }
  if (!dst.isDirectory()) throw fail(`${dir} is not a folder`, 'give a path in an existing folder');
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fail(`cannot create files in ${dir}: ${fsErrorText(e)}`, 'give a path in a folder you can write');
  }
  return { path, target, ...(st ? { mode: st.mode & 0o7777 } : {}) };
}

let tmpCounter = 0;

/** A name beside the target no other writer picks (pid, a counter, a random tail; created with O_EXCL). */
function temporaryName(target: string): string {
  const rand = Math.floor(Math.random() * 0x100000000).toString(36);
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${tmpCounter++}-${rand}`);
}

/** fsync a folder so that a rename in it survives a power loss (a no-op where folders cannot be opened). */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders (EINVAL): the rename is then as durable as they make it.
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `path` whole or not at all: checks the target (see `checkOutputFile`), writes a temporary file
 * beside it, fsyncs it, renames it over the target and fsyncs the folder. Any failure removes the temporary file and
 * is a user error naming the path.
 */
export function writeFileSafely(path: string, data: string | Uint8Array | Iterable<string>, flag = '--out'): void {
  const t = checkOutputFile(path, flag);
  const tmp = temporaryName(t.target);
  let fd = -1;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, t.mode ?? 0o666);
    const file = fd;
    const put = (bytes: Uint8Array) => {
      let done = 0;
      while (done < bytes.length) done += writeSync(file, bytes, done, bytes.length - done);
    };
    if (typeof data === 'string') put(Buffer.from(data, 'utf8'));
    else if (data instanceof Uint8Array) put(data);
    // Pieces of a large text (a 100 k-layer JSON report), written as they come in ~1 MB batches.
    else for (const batch of batched(data)) put(Buffer.from(batch, 'utf8'));
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, t.target);
  } catch (e) {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or already renamed */
    }
    throw new TrimUserError(`${flag} ${path}: cannot write this file: ${fsErrorText(e)}; nothing was written`, { field: flag, fix: 'give a path in a folder you can write, with space left' });
  }
  syncFolder(dirname(t.target));
}

/** Checks that `dir` is, or can be created as, a folder the user may write files into (`--format scalesim --out`). */
export function checkOutputFolder(dir: string, flag = '--out'): void {
  const fail = (why: string, fix: string) => new TrimUserError(`${flag} ${dir}: ${why}`, { field: flag, fix });
  let st: Stats | undefined;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(`cannot use this folder: ${fsErrorText(e)}`, 'give a folder path you can write');
  }
  if (st && !st.isDirectory()) throw fail(`is ${fileKind(st)}, not a folder`, 'give a folder (it is created when absent)');
  let probe = resolve(dir);
  while (!st) {
    const parent = dirname(probe);
    try {
      st = statSync(parent);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === probe) throw fail(`cannot create this folder: ${fsErrorText(e)}`, 'give a folder path you can write');
    }
    if (st && !st.isDirectory()) throw fail(`${parent} is not a folder`, 'give a folder path you can write');
    probe = parent;
  }
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fail(`cannot write in ${probe}: ${fsErrorText(e)}`, 'give a folder path you can write');
  }
}

/** Joins small text pieces into batches of about `bytes` characters (fewer writes, no whole-text string). */
export function* batched(pieces: Iterable<string>, chars = 1 << 20): Generator<string> {
  let pending = '';
  for (const p of pieces) {
    pending += p;
    if (pending.length >= chars) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}

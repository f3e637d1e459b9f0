import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { TrimUserError } from '../errors.js';
import { fsErrorText } from '../safe-file.js';

/** A live run touches its lock this often, so that a lock left by a dead run on another machine can be recognised. */
const HEARTBEAT_MS = 10_000;
/** A lock untouched this long belongs to a run that is gone (three missed heartbeats: a busy machine is not dead). */
const STALE_MS = 3 * HEARTBEAT_MS;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** When the lock was taken (ms since the epoch); with pid and host it tells this lock from a later one. */
  readonly since: number;
}

function thisHost(): string {
  try {
    return hostname();
  } catch {
    return 'unknown';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.since === 'number') return v as LockOwner;
  } catch {
    /* torn or foreign: judged by its age alone */
  }
  return undefined;
}

/**
 * An exclusive lock on a results file (`<file>.lock`, created with O_EXCL beside it), so that two `trim explore` runs
 * never write one `--out`. A lock whose owner is gone — its process dead on this machine, or no heartbeat for
 * `STALE_MS` (a run killed on another machine of a shared file system, as a requeued Slurm task is) — is taken over.
 * SIGINT and SIGTERM (Slurm's preemption signal) release it before the process ends.
 */
export class ResultsLock {
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly onSignal: (sig: NodeJS.Signals) => void;
  private readonly onExit: () => void;
  private released = false;

  private constructor(
    readonly path: string,
    private readonly owner: LockOwner,
  ) {
    this.heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(this.path, now, now);
      } catch {
        /* the next acquirer judges by age; nothing to do here */
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.onExit = () => this.release();
    this.onSignal = (sig) => {
      this.release();
      process.kill(process.pid, sig);
    };
    process.once('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Takes the lock of results file `target` (its real path), or throws a user error naming the run that holds it. */
  static acquire(target: string, flag = '--out'): ResultsLock {
    const path = `${target}.lock`;
    const owner: LockOwner = { pid: process.pid, host: thisHost(), since: Date.now() };
    for (let attempt = 0; attempt < 5; attempt++) {
      let fd: number;
      try {
        fd = openSync(path, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new TrimUserError(`${flag} ${target}: cannot create its lock file ${path}: ${fsErrorText(e)}`, { field: flag, fix: 'give a results file in a folder you can write' });
        }
        const held = readOwner(path);
        let age = 0;
        try {
          age = Date.now() - statSync(path).mtimeMs;
        } catch {
          continue; // released meanwhile: try again
        }
        const gone = age > STALE_MS || (held !== undefined && held.host === owner.host && !alive(held.pid));
        if (!gone) {
          const who = held ? `pid ${held.pid} on ${held.host}, since ${new Date(held.since).toISOString()}` : 'another process';
          throw new TrimUserError(`${flag} ${target} is being written by another trim explore (${who}): two runs cannot share a results file`, {
            field: flag,
            fix: `wait for that run, or give another --out (if that run is gone, delete ${path})`,
          });
        }
        // Move the stale lock aside under a name of our own: of two processes taking it over, one rename wins.
        try {
          const aside = `${path}.stale-${process.pid}-${Date.now()}`;
          renameSync(path, aside);
          unlinkSync(aside);
        } catch {
          /* another process took it over first: try again */
        }
        continue;
      }
      try {
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      return new ResultsLock(path, owner);
    }
    throw new TrimUserError(`${flag} ${target}: could not take its lock ${path} (other processes keep taking it)`, { field: flag, fix: 'give another --out' });
  }

  /** Removes the lock if it is still ours (idempotent). */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    const held = readOwner(this.path);
    if (held && held.pid === this.owner.pid && held.host === this.owner.host && held.since === this.owner.since) {
      try {
        unlinkSync(this.path);
      } catch {
        /* already gone */
      }
    }
  }
}

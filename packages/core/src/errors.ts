/**
 * A problem with what the user gave us (a file, a flag, a name). The CLI prints `message` alone and exits 1.
 * `field` names the offending field (a dotted/zod path) and `fix` says what to do about it.
 */
export class TrimUserError extends Error {
  readonly field: string | undefined;
  readonly fix: string | undefined;
  constructor(message: string, options: { field?: string; fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrimUserError';
    this.field = options.field;
    this.fix = options.fix;
  }
}

/** A broken invariant inside TRIM or a plug-in: a bug, never the user's fault. The CLI exits 2. */
export class TrimInternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrimInternalError';
  }
}

export function isTrimUserError(e: unknown): e is TrimUserError {
  return e instanceof Error && e.name === 'TrimUserError';
}

/** Runs plug-in code: user errors pass through; anything else becomes an internal error naming the plug-in. */
export function inPlugin<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && (e.name === 'TrimUserError' || e.name === 'TrimInternalError')) throw e;
    throw new TrimInternalError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

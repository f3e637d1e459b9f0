import { main } from './main.js';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** An exception that escaped `main` (never expected). */
  escaped?: unknown;
}

/**
 * Runs the CLI in this process with stdout and stderr captured: for fuzzing and fast tests. Output written by the
 * run goes only to the returned strings.
 */
export async function runCaptured(argv: string[]): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const prevExit = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } catch (e) {
    return { code: -1, stdout: out.join(''), stderr: err.join(''), escaped: e };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
    process.exitCode = prevExit;
  }
}

/** A progress line for `trim eval`: on a terminal's stderr only, and only once a run has taken a while. */
export interface EvalProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/** Runs shorter than this print nothing: a progress line that flashes by is noise. */
const QUIET_MS = 1000;
/** Redraws at most this often (a terminal write per op would slow a 100 k-op network). */
const REDRAW_MS = 100;

export function startEvalProgress(wanted: boolean, stream: NodeJS.WriteStream = process.stderr): EvalProgress {
  if (!wanted || !stream.isTTY) return { update() {}, stop() {} };
  const started = performance.now();
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - started < QUIET_MS || (now - last < REDRAW_MS && done < total)) return;
      last = now;
      const s = (now - started) / 1000;
      const eta = done > 0 ? (s / done) * (total - done) : 0;
      stream.write(`\r\x1b[2Keval: ${done}/${total} ops mapped, ${s.toFixed(0)} s, about ${eta.toFixed(0)} s left`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

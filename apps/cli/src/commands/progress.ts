import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A progress bar with rate and ETA on stderr; nothing when stderr is not a terminal or when not wanted. */
export function startProgress(wanted: boolean): Progress {
  if (!wanted || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'explore [{bar}] {value}/{total} points | {rate} points/s | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    update(done, total) {
      const rate = done / Math.max(1e-3, (performance.now() - started) / 1000);
      if (!running) {
        bar.start(total, done, { rate: rate.toFixed(1) });
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { rate: rate.toFixed(1) });
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

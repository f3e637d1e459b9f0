import { C, inputExtent, N, P, Q, R, S, sharedMemo, TrimUserError, windowRows, type MacOp } from '@trim-dse/core';
import { OS, WS, type SystolicDataflowCode } from './codes.js';
import type { ArrayFolds } from './folds.js';
import { replayIfmapMisses } from './ifmap-replay.js';
import { epochWords, ofmapDramWrites, sweepMisses } from './read-buffer.js';
import type { SramCounts } from './sram.js';

/** DRAM traffic of one group in elements, SCALE-Sim's CALC-mode buffers (see `read-buffer.ts`). */
export class DramCounts {
  ifmapReads = 0;
  filterReads = 0;
  ofmapWrites = 0;
}

/**
 * A forward-style op: weights × sliding window → outputs (the im2col addressing of `ifmap-replay.ts` applies).
 * Projection codes: 0 filter, 1 window, 2 output.
 */
function isForwardConv(op: MacOp): boolean {
  const p = op.projections;
  return p[0] === 0 && p[1] === 1 && p[2] === 2;
}

/** Whether two im2col entries share an input word (overlapping windows) or some window hangs over the edge. */
function needsReplay(op: MacOp): boolean {
  const b = op.bounds;
  const validRows = op.inputRows;
  const validCols = op.inputCols;
  if (windowRows(b[P], b[R], op.strideH, op.dilationH) < b[P] * b[R]) return true;
  if (windowRows(b[Q], b[S], op.strideW, op.dilationW) < b[Q] * b[S]) return true;
  if (validRows > 0 && validRows < inputExtent(b[P], b[R], op.strideH, op.dilationH)) return true;
  return validCols > 0 && validCols < inputExtent(b[Q], b[S], op.strideW, op.dilationW);
}

/**
 * Bounds of the exact replay, so that any valid size ends in bounded time and memory or is refused naming the limit:
 * - input words tracked (N·H·W·C): 2²⁵, since the replay keeps three 32-bit marks per word (grown up to twice over),
 *   at most 32 Mi × 24 B ≈ 800 MB, within the 2 GB a run may use;
 * - demands replayed (im2col entries, N·P·Q·R·S·C, one pass): 2²⁸, about 30 s at the measured 10⁷ demands per second
 *   (AlexNet conv1 at batch 128 on 32×32: 1.4·10⁸ demands, 15 s for the whole network), within the 60 s a run may take.
 */
export const MAX_REPLAY_WORDS = 2 ** 25;
export const MAX_REPLAY_DEMANDS = 2 ** 28;

function checkReplaySize(op: MacOp): void {
  const b = op.bounds;
  const words = b[N] * inputExtent(b[P], b[R], op.strideH, op.dilationH) * inputExtent(b[Q], b[S], op.strideW, op.dilationW) * b[C];
  const demands = b[N] * b[P] * b[Q] * b[R] * b[S] * b[C];
  if (words <= MAX_REPLAY_WORDS && demands <= MAX_REPLAY_DEMANDS) return;
  const what = words > MAX_REPLAY_WORDS ? `${words.toExponential(2)} input words (limit 2²⁵ = ${MAX_REPLAY_WORDS})` : `${demands.toExponential(2)} buffer demands (limit 2²⁸ = ${MAX_REPLAY_DEMANDS})`;
  throw new TrimUserError(
    `layer ${op.layer} (${op.phase}): the systolic template replays SCALE-Sim's ifmap buffer exactly for overlapping windows, and this op needs ${what}, beyond what a run may take in time or memory`,
    { field: '--batch', fix: 'give a smaller --batch (the replay grows with it) or a smaller input' },
  );
}

/**
 * Replays cost O(SRAM ifmap reads); design-space sweeps revisit the same (op, array, buffer) many times while other
 * parameters change, so results are kept in a bounded table (cleared when full). Built only on the replay path.
 */
const replayCache = new Map<string, number>();
const REPLAY_CACHE_ENTRIES = 4096;

function cachedReplay(
  df: SystolicDataflowCode,
  op: MacOp,
  f: ArrayFolds,
  rows: number,
  cols: number,
  capI: number,
): number {
  // The ifmap stream depends on the shape (the clipped input extent and element size included in `op.key`), the
  // dataflow, the rows (and, through the folds, the columns) and the epoch.
  const key = `${op.key}#${df}#${rows}#${cols}#${capI}`;
  let misses = replayCache.get(key);
  if (misses !== undefined) return misses;
  // Another worker of the run may have replayed it (explore's shared memo; this thread's own table inline).
  const shared = sharedMemo();
  misses = shared.get(`scalesim-ifmap-replay|${key}`);
  if (misses === undefined) {
    checkReplaySize(op);
    misses = replayIfmapMisses(df, op, f, rows, cols, capI, op.inputRows, op.inputCols);
    shared.set(`scalesim-ifmap-replay|${key}`, misses);
  }
  if (replayCache.size >= REPLAY_CACHE_ENTRIES) replayCache.clear();
  replayCache.set(key, misses);
  return misses;
}

/**
 * DRAM reads and writes of one group, in elements, with buffers of `bufferElements` elements per operand slot
 * (⌊bytes / element bytes⌋: SCALE-Sim's buffers count 1-byte words). Input rows/columns past `op.inputRows`/
 * `op.inputCols` (SCALE-Sim's edge convention) are never fetched.
 * Filter reads: WS reads every weight once; OS re-reads a column fold's block back to back for every row fold; IS
 * sweeps the row-fold blocks once per column fold. Ifmap reads: by block sweeps when the im2col matrix has no
 * repeated word (GEMMs, 1×1 and non-overlapping convolutions), else by replaying the demand stream. Ofmap: every
 * word the array writes (partial sums included), plus the write buffer's line rounding.
 */
export function dramCountsOf(
  df: SystolicDataflowCode,
  op: MacOp,
  f: ArrayFolds,
  sram: SramCounts,
  rows: number,
  cols: number,
  bufferElements: readonly [number, number, number],
  out: DramCounts,
): DramCounts {
  const capF = epochWords(bufferElements[0]);
  const capI = epochWords(bufferElements[1]);
  const T = f.temporal;
  const lastRows = f.spatialRows - (f.rowFolds - 1) * rows;
  const lastCols = f.spatialCols - (f.colFolds - 1) * cols;
  if (df === WS) out.filterReads = f.spatialRows * f.spatialCols;
  else if (df === OS) out.filterReads = sweepMisses(capF, f.colFolds, T * cols, T * lastCols, 1, f.rowFolds);
  else out.filterReads = sweepMisses(capF, f.rowFolds, T * rows, T * lastRows, f.colFolds, 1);
  if (isForwardConv(op) && needsReplay(op)) {
    out.ifmapReads = cachedReplay(df, op, f, rows, cols, capI);
  } else if (df === WS || df === OS) {
    out.ifmapReads = sweepMisses(capI, f.rowFolds, T * rows, T * lastRows, f.colFolds, 1);
  } else {
    out.ifmapReads = f.spatialRows * f.spatialCols;
  }
  out.ofmapWrites = ofmapDramWrites(sram.ofmapResults, bufferElements[2], cols);
  return out;
}

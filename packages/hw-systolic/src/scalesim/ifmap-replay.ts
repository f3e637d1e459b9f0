import { C, inputExtent, N, P, Q, R, S, type MacOp } from '@trim-dse/core';
import { OS, WS, type SystolicDataflowCode } from './codes.js';
import type { ArrayFolds } from './folds.js';

/**
 * Exact DRAM reads of the ifmap of a convolution whose windows overlap (the im2col matrix repeats addresses), by
 * replaying SCALE-Sim's demand order through the read-buffer rule of `read-buffer.ts`. Cost O(SRAM ifmap reads) with
 * module-level scratch arrays (grown once, never per call).
 *
 * im2col: pixel i = (n, p, q), q fastest; window column j = (r, s, c), c fastest (SCALE-Sim's order). The input is
 * addressed ((n·H + y)·W + x)·C + c with y = p·strideH + r·dilationH, x = q·strideW + s·dilationW. Rows y ≥ `validRows`
 * or columns x ≥ `validCols` are not fetched (SCALE-Sim rounds the output size up, so its last window may hang over
 * the input's edge); 0 means the whole extent.
 *
 * Demand order per fold (column folds outermost, row folds inside), inside a cycle by array row/column:
 * - WS: window columns on the rows; at cycle L row c reads pixel L − c − R (skewed stream);
 * - OS: pixels on the rows; at cycle L row c reads window column L − c;
 * - IS: window columns on the rows, loaded bottom row first; each loads the fold's pixels.
 * For WS and OS the column folds repeat one pass over the row folds; two shortcuts keep this exact but cheaper:
 * when every reuse distance of the pass (wrap-around included) is at least an epoch, every pass misses fully;
 * otherwise once the state between passes (where the current epoch began) repeats, the rest is extrapolated.
 */
let pxY = new Int32Array(1024);
let pxX = new Int32Array(1024);
let pxBase = new Int32Array(1024);
let tapY = new Int32Array(1024);
let tapX = new Int32Array(1024);
let tapOff = new Int32Array(1024);
let stamp = new Int32Array(1 << 16);
let stampEpoch = 0;

let epochCap = 1;
let held = 0;
let missCount = 0;
let limitY = 0;
let limitX = 0;
/** Demands served so far, and the demand index where the current epoch began. */
let position = 0;
let epochStart = 0;

function touch(i: number, j: number): void {
  position++;
  if (pxY[i] + tapY[j] >= limitY || pxX[i] + tapX[j] >= limitX) return;
  const a = pxBase[i] + tapOff[j];
  if (stamp[a] === stampEpoch) return;
  stamp[a] = stampEpoch;
  missCount++;
  if (++held === epochCap) {
    held = 0;
    stampEpoch++;
    epochStart = position;
  }
}

/** A demand of a word known to be inside the input (no edge check). */
function touchAddress(a: number): void {
  if (stamp[a] === stampEpoch) return;
  stamp[a] = stampEpoch;
  missCount++;
  if (++held === epochCap) {
    held = 0;
    stampEpoch++;
    epochStart = position;
  }
}

/**
 * Reuse distances of the first pass: for each word the (1-based) index among the pass's demands of its first and
 * last demand, and the smallest distance between two demands of one word. When every distance, including the
 * wrap-around into the next pass, is at least the epoch, each demand finds its word flushed: all passes miss fully.
 */
let firstSeen = new Int32Array(1024);
let lastSeen = new Int32Array(1024);
let demands = 0;
let minGap = Infinity;

function touchTracked(a: number): void {
  demands++;
  const last = lastSeen[a];
  if (last === 0) firstSeen[a] = demands;
  else if (demands - last < minGap) minGap = demands - last;
  lastSeen[a] = demands;
  touchAddress(a);
}

/** One sweep over the row folds (for WS and OS the ifmap demands do not depend on the column fold). */
function rowFoldPass(df: SystolicDataflowCode, f: ArrayFolds, rows: number, clipped: boolean, track: boolean): void {
  const T = f.temporal;
  for (let fr = 0; fr < f.rowFolds; fr++) {
    const r0 = fr * rows;
    const rUsed = Math.min(rows, f.spatialRows - r0);
    for (let L = 0; L < T + rUsed - 1; L++) {
      const lo = L - T + 1 > 0 ? L - T + 1 : 0;
      const hi = L < rUsed - 1 ? L : rUsed - 1;
      // WS: row c (window column r0 + c) reads pixel L − c; OS: row c (pixel r0 + c) reads window column L − c.
      if (clipped) {
        if (df === WS) for (let c = lo; c <= hi; c++) touch(L - c, r0 + c);
        else for (let c = lo; c <= hi; c++) touch(r0 + c, L - c);
      } else if (track && minGap >= epochCap) {
        // Tracking stops paying once a reuse closer than an epoch is seen.
        for (let c = lo; c <= hi; c++) {
          position++;
          touchTracked(df === WS ? pxBase[L - c] + tapOff[r0 + c] : pxBase[r0 + c] + tapOff[L - c]);
        }
      } else if (df === WS) {
        for (let c = lo; c <= hi; c++) {
          position++;
          touchAddress(pxBase[L - c] + tapOff[r0 + c]);
        }
      } else {
        for (let c = lo; c <= hi; c++) {
          position++;
          touchAddress(pxBase[r0 + c] + tapOff[L - c]);
        }
      }
    }
  }
}

/** Pass index at which each epoch-start offset was seen, and the misses before that pass (period detection). */
let seenPass = new Int32Array(1024);
let seenMisses = new Float64Array(1024);

function grow(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  return a.length >= n ? a : new Int32Array(n * 2);
}
const growInt = grow;
function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return a.length >= n ? a : new Float64Array(n * 2);
}

/** Exact ifmap DRAM reads of one group of a forward-style conv op (see above). */
export function replayIfmapMisses(
  df: SystolicDataflowCode,
  op: MacOp,
  f: ArrayFolds,
  rows: number,
  cols: number,
  epochCapacity: number,
  validRows: number,
  validCols: number,
): number {
  const b = op.bounds;
  const nP = b[P];
  const nQ = b[Q];
  const nR = b[R];
  const nS = b[S];
  const nC = b[C];
  const H = inputExtent(nP, nR, op.strideH, op.dilationH);
  const W = inputExtent(nQ, nS, op.strideW, op.dilationW);
  const pixels = b[N] * nP * nQ;
  const window = nR * nS * nC;
  pxY = grow(pxY, pixels);
  pxX = grow(pxX, pixels);
  pxBase = grow(pxBase, pixels);
  for (let i = 0; i < pixels; i++) {
    const q = i % nQ;
    const np = (i - q) / nQ;
    const p = np % nP;
    const n = (np - p) / nP;
    pxY[i] = p * op.strideH;
    pxX[i] = q * op.strideW;
    pxBase[i] = ((n * H + pxY[i]) * W + pxX[i]) * nC;
  }
  tapY = grow(tapY, window);
  tapX = grow(tapX, window);
  tapOff = grow(tapOff, window);
  for (let j = 0; j < window; j++) {
    const c = j % nC;
    const rs = (j - c) / nC;
    const s = rs % nS;
    const r = (rs - s) / nS;
    tapY[j] = r * op.dilationH;
    tapX[j] = s * op.dilationW;
    tapOff[j] = (tapY[j] * W + tapX[j]) * nC + c;
  }
  const space = b[N] * H * W * nC;
  if (stamp.length < space) {
    stamp = new Int32Array(space * 2);
    stampEpoch = 0;
  }
  if (stampEpoch > 2_000_000_000) {
    stamp.fill(0);
    stampEpoch = 0;
  }
  stampEpoch++;
  epochCap = epochCapacity;
  held = 0;
  missCount = 0;
  limitY = validRows > 0 ? Math.min(validRows, H) : H;
  limitX = validCols > 0 ? Math.min(validCols, W) : W;
  position = 0;
  epochStart = 0;
  const clipped = limitY < H || limitX < W;
  if (df !== WS && df !== OS) {
    for (let fc = 0; fc < f.colFolds; fc++) {
      const c0 = fc * cols;
      const cUsed = Math.min(cols, f.spatialCols - c0);
      for (let fr = 0; fr < f.rowFolds; fr++) {
        const r0 = fr * rows;
        const rUsed = Math.min(rows, f.spatialRows - r0);
        for (let k = r0 + rUsed - 1; k >= r0; k--) for (let c = 0; c < cUsed; c++) touch(c0 + c, k);
      }
    }
    return missCount;
  }
  // WS / OS: the column folds repeat the same pass. The state between passes is where the current epoch began
  // inside the last pass, so once an offset repeats the passes are periodic and the rest is extrapolated.
  const passes = f.colFolds;
  let passLength = 0;
  const track = !clipped && passes > 1;
  if (track) {
    firstSeen = grow(firstSeen, space);
    lastSeen = grow(lastSeen, space);
    lastSeen.fill(0, 0, space);
    demands = 0;
    minGap = Infinity;
  }
  for (let k = 0; k < passes; k++) {
    const before = missCount;
    const passStart = position;
    rowFoldPass(df, f, rows, clipped, track && k === 0);
    if (k === 0 && track && minGap >= epochCap && demands < 2 ** 31 - 1) {
      let wrap = Infinity;
      for (let a = 0; a < space; a++) {
        if (lastSeen[a] !== 0) {
          const gap = demands - lastSeen[a] + firstSeen[a];
          if (gap < wrap) wrap = gap;
        }
      }
      if (wrap >= epochCap) return missCount * passes;
    }
    if (k === 0) {
      passLength = position;
      seenPass = growInt(seenPass, passLength + 1);
      seenMisses = growFloat(seenMisses, passLength + 1);
      seenPass.fill(-1, 0, passLength + 1);
    }
    if (epochStart < passStart) {
      // No flush in a whole pass: every word of the pass is resident, later passes hit.
      if (missCount === before) break;
      continue;
    }
    const offset = epochStart - passStart;
    const prev = seenPass[offset];
    if (prev >= 0) {
      const period = k - prev;
      const perPeriod = missCount - seenMisses[offset];
      const left = passes - 1 - k;
      const periods = Math.floor(left / period);
      missCount += periods * perPeriod;
      for (let j = 0; j < left - periods * period; j++) rowFoldPass(df, f, rows, clipped, false);
      break;
    }
    seenPass[offset] = k;
    seenMisses[offset] = missCount;
  }
  return missCount;
}

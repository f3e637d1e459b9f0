import { ceilDiv } from '../factors.js';
import type { GemmShape } from './gemm.js';
import { OS, WS, type SystolicDataflowCode } from './meta.js';

/**
 * How one group's GEMM lands on an R×C array under a dataflow (SCALE-Sim's mapping):
 * - WS: window → rows, filters → columns, pixels stream in time (weights stay in the PEs);
 * - OS: pixels → rows, filters → columns, window streams in time (partial sums stay in the PEs);
 * - IS: window → rows, pixels → columns, filters stream in time (inputs stay in the PEs).
 * `spatialRows`/`spatialCols` are the GEMM extents laid along the array, `temporal` the extent streamed per fold;
 * a fold is one placement of an R×C block, `rowFolds × colFolds` of them per group.
 */
export class ArrayFolds {
  spatialRows = 1;
  spatialCols = 1;
  temporal = 1;
  rowFolds = 1;
  colFolds = 1;
  /** Cycles of one fold: stream + fill/drain skew (see `foldCycles`). */
  cyclesPerFold = 1;
  /** Cycles of all folds of one group (SCALE-Sim counts the last busy cycle, hence the −1). */
  cyclesPerGroup = 1;
}

/**
 * Cycles of one fold on an R×C array streaming `temporal` vectors, from SCALE-Sim's demand schedule:
 * - WS and IS: the stationary operand shifts in over R cycles, the streamed operand enters with an R−1 row skew, the
 *   last partial sums leave after crossing C−1 columns: temporal + 2R + C − 2;
 * - OS: both operands enter skewed (R−1 and C−1) and the outputs drain down the columns: temporal + R + C − 2.
 */
export function foldCycles(df: SystolicDataflowCode, temporal: number, rows: number, cols: number): number {
  return df === OS ? temporal + rows + cols - 2 : temporal + 2 * rows + cols - 2;
}

/** Fills `out` with the fold structure of `g` on a rows×cols array under dataflow `df` (allocates nothing). */
export function arrayFoldsOf(df: SystolicDataflowCode, g: GemmShape, rows: number, cols: number, out: ArrayFolds): ArrayFolds {
  if (df === WS) {
    out.spatialRows = g.window;
    out.spatialCols = g.filters;
    out.temporal = g.pixels;
  } else if (df === OS) {
    out.spatialRows = g.pixels;
    out.spatialCols = g.filters;
    out.temporal = g.window;
  } else {
    out.spatialRows = g.window;
    out.spatialCols = g.pixels;
    out.temporal = g.filters;
  }
  out.rowFolds = ceilDiv(out.spatialRows, rows);
  out.colFolds = ceilDiv(out.spatialCols, cols);
  out.cyclesPerFold = foldCycles(df, out.temporal, rows, cols);
  out.cyclesPerGroup = out.rowFolds * out.colFolds * out.cyclesPerFold - 1;
  return out;
}

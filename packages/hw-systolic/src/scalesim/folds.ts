import { ceilDiv } from '@trim-dse/core';
import type { GemmShape } from './gemm.js';
import { OS, WS, type SystolicDataflowCode } from './codes.js';

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
  /** Cycles one group adds when groups and ops run back to back (see `sharesFirstCycle`). */
  cyclesPerGroup = 1;
}

/**
 * Cycles of one fold on an R×C array streaming `temporal` vectors: the lines of SCALE-Sim's ofmap demand matrix
 * (scalesim/compute/systolic_compute_{ws,os,is}.py, create_ofmap_demand_mat), one line per cycle:
 * - WS and IS: the stationary operand shifts in over R cycles, the streamed operand enters with an R−1 row skew, the
 *   last partial sums leave after crossing C−1 columns: prefix 2R − 1, T lines, skew C − 1 = T + 2R + C − 2;
 * - OS: both operands enter skewed and the outputs drain down the columns: prefix T − 1, R lines, skew C − 1 =
 *   T + R + C − 2.
 * In every dataflow the fold's last cycle is PE(R−1, C−1)'s last MAC, whose result is written that cycle.
 */
export function foldCycles(df: SystolicDataflowCode, temporal: number, rows: number, cols: number): number {
  return df === OS ? temporal + rows + cols - 2 : temporal + 2 * rows + cols - 2;
}

/**
 * Whether an op's first cycle can share the cycle in which the op before it finishes (its last cycle, where only
 * PE(R−1, C−1) works and writes its result). SCALE-Sim stamps the demand lines from cycle 0 and reports the stamp
 * of the last ofmap line, `lines − 1` (scalesim/memory/double_buffered_scratchpad_mem.py, service_memory_requests:
 * `total_cycles = ofmap_serviced_cycles[-1]`): it counts each layer as starting in its predecessor's last cycle.
 * That is physical when the first cycle uses other PEs than PE(R−1, C−1):
 * - WS and IS: the first cycle latches the first stationary row into array row 0 (all columns at once, no skew):
 *   free of PE(R−1, C−1) iff R > 1;
 * - OS: the first cycle is PE(0, 0)'s first MAC: free iff the array has more than one PE.
 * On a single row (WS, IS) or a single PE (OS) the two cycles need the same PE, so the op takes all its lines: the
 * SCALE-Sim count would put a 1×1 OS array's cycles below MACs / PEs.
 */
export function sharesFirstCycle(df: SystolicDataflowCode, rows: number, cols: number): boolean {
  return df === OS ? rows * cols > 1 : rows > 1;
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
  out.cyclesPerGroup = out.rowFolds * out.colFolds * out.cyclesPerFold - (sharesFirstCycle(df, rows, cols) ? 1 : 0);
  return out;
}

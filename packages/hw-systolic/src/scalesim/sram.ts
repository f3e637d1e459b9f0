import type { ArrayFolds } from './folds.js';
import { OS, WS, type SystolicDataflowCode } from './codes.js';

/**
 * SRAM accesses of one group, as SCALE-Sim counts them (every streamed element of every fold, padding of partial
 * folds excluded):
 * - WS: ifmap colFolds·pixels·window; filter window·filters (loaded once); ofmap rowFolds·pixels·filters (partial
 *   sums of each row fold written again);
 * - OS: ifmap colFolds·pixels·window; filter rowFolds·window·filters; ofmap pixels·filters + folds·(R + C)
 *   (SCALE-Sim also adds the height plus width of every fold's output block, reproduced here);
 * - IS: ifmap window·pixels (loaded once); filter colFolds·window·filters; ofmap rowFolds·pixels·filters.
 */
export class SramCounts {
  ifmapReads = 0;
  filterReads = 0;
  ofmapWrites = 0;
  /** Ofmap words that really leave the array (the OS bookkeeping term excluded): what the DRAM receives. */
  ofmapResults = 0;
}

export function sramCountsOf(df: SystolicDataflowCode, f: ArrayFolds, rows: number, cols: number, out: SramCounts): SramCounts {
  const area = f.spatialRows * f.spatialCols;
  if (df === WS) {
    out.ifmapReads = f.colFolds * f.temporal * f.spatialRows;
    out.filterReads = area;
    out.ofmapResults = f.rowFolds * f.temporal * f.spatialCols;
    out.ofmapWrites = out.ofmapResults;
  } else if (df === OS) {
    out.ifmapReads = f.colFolds * f.spatialRows * f.temporal;
    out.filterReads = f.rowFolds * f.spatialCols * f.temporal;
    out.ofmapResults = area;
    out.ofmapWrites = area + f.rowFolds * f.colFolds * (rows + cols);
  } else {
    out.ifmapReads = area;
    out.filterReads = f.colFolds * f.spatialRows * f.temporal;
    out.ofmapResults = f.rowFolds * f.spatialCols * f.temporal;
    out.ofmapWrites = out.ofmapResults;
  }
  return out;
}

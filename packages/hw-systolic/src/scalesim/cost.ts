import { composeCost, operandSize, type Cost, type HardwareModel, type MacOp } from '@trim-dse/core';
import { IS, OS, WS, type SystolicDataflowCode } from './codes.js';
import { DramCounts, dramCountsOf } from './dram.js';
import { ArrayFolds, arrayFoldsOf } from './folds.js';
import { GemmShape, gemmShapeOf } from './gemm.js';
import { SramCounts, sramCountsOf } from './sram.js';

/** Levels of the systolic model (`build.ts`): PE registers, the three SRAMs (one per operand slot), DRAM. */
export const PE = 0;
export const SRAM = 1;
export const DRAM = 2;

const gemm = new GemmShape();
const folds = new ArrayFolds();
const sram = new SramCounts();
const dram = new DramCounts();
/** Elements each SRAM holds at the op's precision: ⌊bytes / element bytes⌋ (SCALE-Sim's buffers count 1-byte words). */
const bufferElements: [number, number, number] = [0, 0, 0];

/**
 * SCALE-Sim's cost of one MAC op with the given operand stationary, written into `out` as the core `Cost` and then
 * composed by core's `composeCost` (the one rule for time and energy). Counts are totals over the array:
 * - compute cycles: groups × (folds × cycles per fold − the cycle shared with the op before) (`folds.ts`);
 * - SRAM: reads of the filter and ifmap buffers and ofmap writes as SCALE-Sim counts them (`sram.ts`); the SRAM writes
 *   of the input buffers are their DRAM fills, the ofmap reads are the drains to DRAM;
 * - DRAM: SCALE-Sim's CALC-mode buffers (`dram.ts`), with the buffers' capacity in elements of the op's precision;
 * - PE registers: every MAC reads its weight and input registers; each word entering the array is latched into every
 *   PE it passes (the used extent of the array along its path). The partial sum is the MAC's own result register:
 *   latching it is charged with the MAC (one PE register write per MAC), so partial sums never cross the PE level;
 * - bytes: elements × the operand's bytes; the DRAM stall rule is the level model's (port per operand or shared;
 *   transfers overlap compute iff the SRAMs double-buffer).
 * `out` must have been reset (the stationary check does it). Allocates nothing except on the replay path's cache.
 */
export function scaleSimCost(op: MacOp, hw: HardwareModel, df: SystolicDataflowCode, out: Cost): Cost {
  const array = hw.levels[SRAM];
  const rows = array.fanoutY;
  const cols = array.fanoutX;
  const partition = array.slotCapacityBytes!;
  const o = op.operands;
  gemmShapeOf(op, gemm);
  arrayFoldsOf(df, gemm, rows, cols, folds);
  sramCountsOf(df, folds, rows, cols, sram);
  for (let t = 0; t < 3; t++) bufferElements[t] = Math.floor(partition[t] / o[t].bytes);
  dramCountsOf(df, op, folds, sram, rows, cols, bufferElements, dram);
  const g = gemm.groups;

  // Slots: 0 filter (weights side), 1 ifmap (inputs side), 2 ofmap.
  const s = SRAM * 3;
  const d = DRAM * 3;
  out.reads[s] = g * sram.filterReads;
  out.reads[s + 1] = g * sram.ifmapReads;
  out.writes[s + 2] = g * sram.ofmapWrites;
  out.writes[s] = g * dram.filterReads;
  out.writes[s + 1] = g * dram.ifmapReads;
  out.reads[s + 2] = g * dram.ofmapWrites;
  out.reads[d] = g * dram.filterReads;
  out.reads[d + 1] = g * dram.ifmapReads;
  out.writes[d + 2] = g * dram.ofmapWrites;
  // Average used extent of the array along each input operand's path: WS and OS send weights down the rows and
  // inputs across the columns; IS the other way round.
  const usedRows = folds.spatialRows / folds.rowFolds;
  const usedCols = folds.spatialCols / folds.colFolds;
  out.reads[PE * 3] = op.macs;
  out.reads[PE * 3 + 1] = op.macs;
  out.writes[PE * 3] = g * sram.filterReads * (df === IS ? usedCols : usedRows);
  out.writes[PE * 3 + 1] = g * sram.ifmapReads * (df === IS ? usedRows : usedCols);
  for (let l = PE; l <= DRAM; l++) {
    for (let t = 0; t < 3; t++) {
      const i = l * 3 + t;
      out.readBytes[i] = out.reads[i] * o[t].bytes;
      out.writeBytes[i] = out.writes[i] * o[t].bytes;
    }
  }

  // Active instances and what each level holds for this op.
  out.instances[PE] = (folds.spatialRows < rows ? folds.spatialRows : rows) * (folds.spatialCols < cols ? folds.spatialCols : cols);
  out.instances[SRAM] = 1;
  out.instances[DRAM] = 1;
  const stationary = df === WS ? 0 : df === OS ? 2 : 1;
  out.footprintBytes[PE * 3 + stationary] = o[stationary].bytes;
  for (let t = 0; t < 3; t++) {
    const bytes = operandSize(op, t) * o[t].bytes;
    out.footprintBytes[s + t] = bytes < partition[t] ? bytes : partition[t];
  }

  // Compute: busy cycles (fill and drain included), MAC energy with the result latch.
  const busy = g * folds.cyclesPerGroup;
  const streaming = g * folds.rowFolds * folds.colFolds * folds.temporal;
  out.macs = op.macs;
  out.paddedMacs = streaming * rows * cols - op.macs;
  out.computeCycles = busy;
  out.overheadCycles = busy - streaming;
  out.macEnergyPj = op.macs * (hw.macEnergyPj + hw.levels[PE].writePjPerByte[2] * o[2].bytes);
  out.aluEnergyPj = 0;
  out.networkEnergyPj = 0;
  return composeCost(hw, out);
}

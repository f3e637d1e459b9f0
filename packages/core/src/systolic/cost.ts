import { Illegal, type Cost } from '../engine.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import type { MacOp } from '../op.js';
import { DramCounts, dramCountsOf } from './dram.js';
import { ArrayFolds, arrayFoldsOf } from './folds.js';
import { GemmShape, gemmShapeOf } from './gemm.js';
import { systolicMeta, WS, OS, type SystolicDataflowCode } from './meta.js';
import { SramCounts, sramCountsOf } from './sram.js';

const gemm = new GemmShape();
const folds = new ArrayFolds();
const sram = new SramCounts();
const dram = new DramCounts();
/** SRAM capacity per slot in elements of the op's operands (a 4-byte element takes 4 one-byte words). */
const sramElements: [number, number, number] = [0, 0, 0];

/**
 * SCALE-Sim's cost of one MAC op on a `systolic` hardware model (levels: PE registers, SRAM, DRAM), written into
 * `out` (the core Cost: element counts are totals over the array):
 * - cycles: groups × (folds × cycles per fold − 1) (`folds.ts`), plus stalls when DRAM is slower than compute:
 *   the double-buffered SRAMs hide transfers, so a layer stalls by what its busiest DRAM interface needs beyond
 *   the compute cycles (interfaces per operand as in SCALE-Sim, or one shared); single-buffered SRAMs add the
 *   transfer time whole;
 * - SRAM: reads of the filter and ifmap buffers and ofmap writes as SCALE-Sim counts them (`sram.ts`); SRAM writes
 *   of the input buffers are their DRAM fills, ofmap reads are the drains to DRAM;
 * - DRAM: `dram.ts`;
 * - PE registers: every MAC reads a weight and an input and reads and writes its partial sum; each word entering
 *   the array is written into every PE register it passes through (the used extent of the array along its path);
 * - energy: MAC, PE registers, each SRAM (per-operand energy per word from the meta), DRAM, leakage.
 * `validRows`/`validCols` (0 = all) exclude input rows/columns past the edge (SCALE-Sim's rounded-up output size).
 */
export function evaluateSystolic(op: MacOp, hw: HardwareModel, df: SystolicDataflowCode, out: Cost, validRows = 0, validCols = 0): Cost {
  const meta = systolicMeta(hw);
  const rows = meta.rows;
  const cols = meta.cols;
  const L = hw.levels.length;
  const top = L - 1;
  const mid = L - 2;
  gemmShapeOf(op, gemm);
  arrayFoldsOf(df, gemm, rows, cols, folds);
  sramCountsOf(df, folds, rows, cols, sram);
  const wordBytes = hw.wordBits / 8;
  for (let t = 0; t < 3; t++) sramElements[t] = Math.floor((meta.sramWords[t] * wordBytes) / op.operands[t].bytes);
  dramCountsOf(df, op, folds, sram, rows, cols, sramElements, validRows, validCols, dram);
  const g = gemm.groups;

  out.illegal = Illegal.None;
  out.illegalLevel = -1;
  out.illegalDim = -1;
  out.reads.fill(0);
  out.writes.fill(0);
  out.levelCycles.fill(0);
  out.levelEnergyPj.fill(0);

  // Slots: 0 filter (weights side), 1 ifmap (inputs side), 2 ofmap.
  out.reads[mid * 3] = g * sram.filterReads;
  out.reads[mid * 3 + 1] = g * sram.ifmapReads;
  out.writes[mid * 3 + 2] = g * sram.ofmapWrites;
  out.writes[mid * 3] = g * dram.filterReads;
  out.writes[mid * 3 + 1] = g * dram.ifmapReads;
  out.reads[mid * 3 + 2] = g * dram.ofmapWrites;
  out.reads[top * 3] = g * dram.filterReads;
  out.reads[top * 3 + 1] = g * dram.ifmapReads;
  out.writes[top * 3 + 2] = g * dram.ofmapWrites;
  if (mid > 0) {
    // Average used extent of the array along each operand's path.
    const usedRows = folds.spatialRows / folds.rowFolds;
    const usedCols = folds.spatialCols / folds.colFolds;
    const filterHops = df === WS || df === OS ? usedRows : usedCols;
    const ifmapHops = df === WS || df === OS ? usedCols : usedRows;
    out.reads[0] = op.macs;
    out.reads[1] = op.macs;
    out.reads[2] = op.macs;
    out.writes[0] = g * sram.filterReads * filterHops;
    out.writes[1] = g * sram.ifmapReads * ifmapHops;
    out.writes[2] = op.macs;
  }

  // Cycles.
  const foldCount = folds.rowFolds * folds.colFolds;
  const busy = g * folds.cyclesPerGroup;
  const streaming = g * foldCount * folds.temporal;
  const bw = meta.dramWordsPerCycle;
  let dramCycles: number;
  if (meta.dramPerOperand) {
    dramCycles = Math.max(out.reads[top * 3], out.reads[top * 3 + 1], out.writes[top * 3 + 2]) / bw;
  } else {
    dramCycles = (out.reads[top * 3] + out.reads[top * 3 + 1] + out.writes[top * 3 + 2]) / bw;
  }
  out.levelCycles[top] = dramCycles;
  // Double-buffered SRAMs overlap the transfers with compute; single-buffered ones wait for them.
  // A transfer that ends part-way through a cycle still occupies that cycle.
  const stall = Math.ceil(!hw.levels[mid].doubleBuffered ? dramCycles : dramCycles > busy ? dramCycles - busy : 0);
  out.macs = op.macs;
  out.paddedMacs = streaming * rows * cols - op.macs;
  out.computeCycles = busy;
  out.overheadCycles = busy - streaming;
  out.stallCycles = stall;
  out.cycles = busy + stall;
  out.utilization = op.macs / (out.cycles * rows * cols);

  // Energy (counts in elements, energies per word of the datapath).
  let energy = 0;
  let dramBytes = 0;
  for (let l = 0; l < L; l++) {
    const lv = hw.levels[l];
    let e = 0;
    for (let t = 0; t < 3; t++) {
      const bytes = op.operands[t].bytes;
      const words = (out.reads[l * 3 + t] + out.writes[l * 3 + t]) * (bytes / wordBytes);
      if (l === mid) e += words * meta.sramEnergyPj[t];
      else e += (out.reads[l * 3 + t] * lv.readEnergyPj + out.writes[l * 3 + t] * lv.writeEnergyPj) * (bytes / wordBytes);
      if (l === top) dramBytes += (out.reads[l * 3 + t] + out.writes[l * 3 + t]) * bytes;
    }
    out.levelEnergyPj[l] = e;
    energy += e;
  }
  let leakMw = 0;
  for (let l = 0; l < L; l++) leakMw += hw.levels[l].leakageMw * levelInstances(hw, l);
  out.macEnergyPj = op.macs * hw.macEnergyPj;
  out.networkEnergyPj = 0;
  // mW × µs = nJ; cycles / MHz = µs; × 1000 to pJ.
  out.leakageEnergyPj = ((leakMw * out.cycles) / hw.clockMHz) * 1000;
  out.energyPj = energy + out.macEnergyPj + out.leakageEnergyPj;
  out.dramBytes = dramBytes;
  return out;
}

import type { HardwareModel } from './hardware.js';
import type { VectorOp } from './op.js';

export interface VectorCost {
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  /** Element reads and writes per level, [level·3 + slot] with slot 0 = parameters, 1 = inputs, 2 = outputs. */
  reads: Float64Array;
  writes: Float64Array;
  energyPj: number;
  levelEnergyPj: Float64Array;
  aluEnergyPj: number;
  dramBytes: number;
}

/**
 * A non-MAC op streams its operands from DRAM through the outermost on-chip level to the ALUs and its result back:
 * one read and one write per element at each of those two levels. Time is the larger of ALU time and the slowest
 * port (they overlap: streaming with double buffering).
 */
export function evaluateVector(op: VectorOp, hw: HardwareModel): VectorCost {
  const L = hw.levels.length;
  const reads = new Float64Array(L * 3);
  const writes = new Float64Array(L * 3);
  const levelEnergyPj = new Float64Array(L);
  const top = L - 1;
  const stage = L >= 2 ? L - 2 : -1;
  const wordBytes = hw.wordBits / 8;
  let dramBytes = 0;
  let energy = 0;
  const touch = (level: number, slot: number, n: number, bytes: number, isRead: boolean) => {
    if (level < 0) return;
    (isRead ? reads : writes)[level * 3 + slot] += n;
    const lv = hw.levels[level];
    const e = n * (bytes / wordBytes) * (isRead ? lv.readEnergyPj : lv.writeEnergyPj);
    levelEnergyPj[level] += e;
    energy += e;
  };
  for (const r of op.reads) {
    const slot = r.tensor === 'weights' || r.tensor === 'optimizer-state' ? 0 : 1;
    touch(top, slot, r.elements, r.bytes, true);
    touch(stage, slot, r.elements, r.bytes, false);
    touch(stage, slot, r.elements, r.bytes, true);
    dramBytes += r.elements * r.bytes;
  }
  for (const w of op.writes) {
    const slot = w.tensor === 'weights' || w.tensor === 'optimizer-state' ? 0 : 2;
    touch(stage, slot, w.elements, w.bytes, false);
    touch(stage, slot, w.elements, w.bytes, true);
    touch(top, slot, w.elements, w.bytes, false);
    dramBytes += w.elements * w.bytes;
  }
  const computeCycles = Math.ceil(op.aluOps / hw.vectorOpsPerCycle);
  let memCycles = 0;
  for (let l = 0; l < L; l++) {
    const lv = hw.levels[l];
    let r = 0;
    let w = 0;
    for (let s = 0; s < 3; s++) {
      r += reads[l * 3 + s];
      w += writes[l * 3 + s];
    }
    const c = lv.sharedPort ? (r + w) / lv.readBandwidth : Math.max(r / lv.readBandwidth, w / lv.writeBandwidth);
    if (c > memCycles) memCycles = c;
  }
  const cycles = Math.max(computeCycles, Math.ceil(memCycles));
  const aluEnergyPj = op.aluOps * hw.aluEnergyPj;
  return {
    cycles,
    computeCycles,
    stallCycles: cycles - computeCycles,
    reads,
    writes,
    energyPj: energy + aluEnergyPj,
    levelEnergyPj,
    aluEnergyPj,
    dramBytes,
  };
}

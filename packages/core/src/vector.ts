import { Cost } from './cost.js';
import { composeCost } from './engine/compose.js';
import type { HardwareModel } from './hardware.js';
import type { TensorName, VectorOp } from './op.js';

/** The operand slot a vector op's tensor is counted under: parameters and optimizer state 0, inputs 1, outputs 2. */
export function vectorSlot(tensor: TensorName, isWrite: boolean): 0 | 1 | 2 {
  if (tensor === 'weights' || tensor === 'optimizer-state') return 0;
  return isWrite ? 2 : 1;
}

/**
 * A non-MAC op (pooling, element-wise, normalisation, the optimizer step) streams its operands from the backing
 * store through the outermost on-chip level to the ALUs and its result back: one read and one write per element at
 * each of those two levels, through one instance of each. Compute is ALU ops / ALU ops per cycle; time and energy
 * come from the same composition as every MAC op (`composeCost`), so a single-buffered level's transfers stall
 * the ALUs exactly as they stall the MACs.
 */
export function evaluateVector(op: VectorOp, hw: HardwareModel, out: Cost = new Cost(hw.levels.length)): Cost {
  const L = hw.levels.length;
  out.reset();
  const top = L - 1;
  const stage = L >= 2 ? L - 2 : -1;
  const touch = (level: number, slot: number, n: number, bytes: number, isRead: boolean) => {
    if (level < 0) return;
    const i = level * 3 + slot;
    if (isRead) {
      out.reads[i] += n;
      out.readBytes[i] += n * bytes;
    } else {
      out.writes[i] += n;
      out.writeBytes[i] += n * bytes;
    }
  };
  for (const r of op.reads) {
    const slot = vectorSlot(r.tensor, false);
    touch(top, slot, r.elements, r.bytes, true);
    touch(stage, slot, r.elements, r.bytes, false);
    touch(stage, slot, r.elements, r.bytes, true);
  }
  for (const w of op.writes) {
    const slot = vectorSlot(w.tensor, true);
    touch(stage, slot, w.elements, w.bytes, false);
    touch(stage, slot, w.elements, w.bytes, true);
    touch(top, slot, w.elements, w.bytes, false);
  }
  out.computeCycles = Math.ceil(op.aluOps / hw.vectorOpsPerCycle);
  out.aluEnergyPj = op.aluOps * hw.aluEnergyPj;
  return composeCost(hw, out);
}

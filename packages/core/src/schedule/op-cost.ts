import type { HardwareModel } from '../hardware.js';
import type { OpCost } from '../evaluate.js';

/** The slot under which an op's cost counts one of its tensor roles (a MAC form's operand, or a vector op's role). */
export function slotOfRole(c: OpCost, role: string): number {
  const f = c.form;
  if (f.kind === 'mac') {
    for (let t = 0; t < 3; t++) if (f.operands[t].tensor === role) return t;
    return -1;
  }
  return role === 'weights' ? 0 : role === 'inputs' ? 1 : role === 'outputs' ? 2 : -1;
}

/** A private copy of a priced op (the evaluator's memoised costs are shared by every op of one shape: read-only). */
export function copyOf(c: OpCost): OpCost {
  return {
    ...c,
    cost: c.cost.clone(),
    ...(c.exact ? { exact: { chunks: c.exact.chunks, sub: c.exact.sub, cut: c.exact.cut.clone() } } : {}),
  };
}

/**
 * Moves `reads`/`writes` elements of slot `t` from the backing store to the hand-off level: the tensor is read from
 * and written to the on-chip copy instead of DRAM (reloads and partial-sum spills included), so each DRAM access
 * becomes an access of the hand-off level at the operand's own precision (DRAM-side compression does not apply
 * on chip). Records the move (`handoffReads`/`handoffWrites`) for the conservation check and exact counts.
 */
export function moveToChip(c: OpCost, hw: HardwareModel, R: number, t: number, reads: number, writes: number, bytesPerElement: number): void {
  const k = c.cost;
  const top = (hw.levels.length - 1) * 3 + t;
  const r = Math.min(reads, k.reads[top]);
  const w = Math.min(writes, k.writes[top]);
  if (r <= 0 && w <= 0) return;
  const rBytes = k.reads[top] > 0 ? (k.readBytes[top] * r) / k.reads[top] : 0;
  const wBytes = k.writes[top] > 0 ? (k.writeBytes[top] * w) / k.writes[top] : 0;
  k.reads[top] -= r;
  k.writes[top] -= w;
  k.readBytes[top] -= rBytes;
  k.writeBytes[top] -= wBytes;
  const on = R * 3 + t;
  k.reads[on] += r;
  k.writes[on] += w;
  k.readBytes[on] += r * bytesPerElement;
  k.writeBytes[on] += w * bytesPerElement;
  k.handoffReads[t] += r;
  k.handoffWrites[t] += w;
  k.handoffLevel = R;
  if (c.exact) {
    c.exact.cut.reads[top] += r;
    c.exact.cut.writes[top] += w;
    c.exact.cut.dramBytes += rBytes + wBytes;
  }
}


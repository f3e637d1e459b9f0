import type { Cost, HardwareModel, MacOp, Mapping } from '@trim-dse/core';
import type { SpatialEffects } from './effects.js';
import { RF } from './hierarchy.js';

/**
 * Operands through the spads (Eyeriss: the NoC delivers into the scratchpads and the MAC reads only from them): an
 * operand the PE has a spad for but the mapping does not keep there still costs one spad write on arrival and one
 * spad read by the MAC per use (a use is one MAC-unit cycle, padded ones included).
 */
export function stageThroughRf(op: MacOp, hw: HardwareModel, m: Mapping, fx: SpatialEffects, out: Cost): void {
  if (!fx.operandsThroughRf) return;
  const holds = hw.levels[RF].holds;
  const uses = op.macs + out.paddedMacs;
  for (let t = 0; t < 3; t++) {
    if (m.keep[RF * 3 + t] === 1 || !holds[t]) continue;
    const bytes = uses * op.operands[t].bytes;
    out.reads[RF * 3 + t] += uses;
    out.writes[RF * 3 + t] += uses;
    out.readBytes[RF * 3 + t] += bytes;
    out.writeBytes[RF * 3 + t] += bytes;
  }
}

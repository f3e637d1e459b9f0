import { C, DIM_COUNT, R, S, type Cost, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import type { SpatialEffects } from './effects.js';
import { DRAM, GLB, RF } from './hierarchy.js';

/**
 * Bytes the PEs receive over the NoC when it is charged per receiving PE (unicast, or ISCA 2016's accounting of
 * multicast: array-level accesses = buffer reads × PEs reached): the fills of each PE's spad copy of a read operand
 * (one word per MAC use without one), and the partial sums that come back down from the buffer.
 */
function receivedBytes(op: MacOp, m: Mapping, out: Cost): number {
  const uses = op.macs + out.paddedMacs;
  let bytes = 0;
  for (let t = 0; t < 2; t++) bytes += (m.keep[RF * 3 + t] === 1 ? out.writes[RF * 3 + t] : uses) * op.operands[t].bytes;
  let psums: number;
  if (m.keep[RF * 3 + 2] === 1) {
    // The psum spad's writes are the MAC's own updates plus the partial sums returned from the buffer.
    psums = out.writes[RF * 3 + 2] - uses;
  } else if (m.keep[GLB * 3 + 2] === 1) {
    // No PE copy: the buffer's psum reads that are not drained up to DRAM come back down to the PEs.
    psums = out.reads[GLB * 3 + 2] - out.writes[DRAM * 3 + 2];
  } else psums = 0;
  return bytes + (psums > 0 ? psums : 0) * op.operands[2].bytes;
}

/**
 * The NoC between the GLB and the PEs, every word at the GLB's `networkPjPerByte` (the array's whole network, also
 * on a 1×1 array): words sent down — once per buffer read (multicast counted once) or once per receiving PE
 * (`chargePerReceiver`) — plus every partial sum sent up from the array to the level that collects it, plus
 * `reduce − 1` PE-to-PE hops per such partial sum when C, R or S are unrolled across PEs (a spatial reduction merges
 * `reduce` PE results into one word).
 */
export function chargeNoc(op: MacOp, hw: HardwareModel, m: Mapping, fx: SpatialEffects, out: Cost): void {
  const pj = hw.levels[GLB].networkPjPerByte;
  const g = GLB * 3;
  const down = fx.chargePerReceiver ? receivedBytes(op, m, out) : out.readBytes[g] + out.readBytes[g + 1] + out.readBytes[g + 2];
  // Psums the collecting level (the GLB if it keeps them, else DRAM) receives from the array: its writes less the
  // partial sums its own parent returned to it.
  const fromArray = m.keep[g + 2] === 1 ? out.writes[g + 2] - out.reads[DRAM * 3 + 2] : out.writes[DRAM * 3 + 2];
  const up = (fromArray > 0 ? fromArray : 0) * op.operands[2].bytes;
  const a = GLB * DIM_COUNT;
  const reduce =
    m.spatialX[a + C] * m.spatialY[a + C] * m.spatialX[a + R] * m.spatialY[a + R] * m.spatialX[a + S] * m.spatialY[a + S];
  out.networkEnergyPj = (down + up) * pj + up * (reduce - 1) * fx.interPePjPerByte;
}

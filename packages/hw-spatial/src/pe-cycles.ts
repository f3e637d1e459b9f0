import { C, DIM_COUNT, R, S, type Cost, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import type { SpatialEffects } from './effects.js';
import { DRAM, GLB, RF } from './hierarchy.js';

/**
 * Cycles a PE's datapath spends on something other than its own MACs, added to the op's busy cycles (the PEs work
 * in parallel, so the array's extra time is the extra work spread over the active PEs):
 * - **weight fills** (`weightsFillStallsMac`): the filter scratchpad has one port (Eyeriss: a 224 × 16b SRAM, JSSC
 *   2017, the PE architecture), so the MAC stops while a pass's weights are written into it. One word per cycle per PE, and no
 *   faster than the level that delivers them sends them (the buffer's read port, or the DRAM link when the mapping
 *   does not keep weights in the buffer); a shared filter multicast to several PEs is sent once.
 * - **partial-sum arrivals** (`psumArrivalsUseAdder`): a partial sum arriving from the neighbouring PE (a spatial
 *   reduction over C, R or S passes its result PE to PE) or returned from the buffer (a later channel pass) is added
 *   into the psum scratchpad by the PE's own adder, which the MAC then cannot use (Eyeriss: one adder behind a mux
 *   of the multiplier's product and the psum input, JSSC 2017, the PE architecture).
 * Only the busy cycles change; `composeCost` then overlaps or adds the port times as usual.
 */
export function chargePeCycles(op: MacOp, hw: HardwareModel, m: Mapping, fx: SpatialEffects, out: Cost): void {
  if (!fx.weightsFillStallsMac && !fx.psumArrivalsUseAdder) return;
  const pes = out.instances[RF];
  let extra = 0;
  if (fx.weightsFillStallsMac && m.keep[RF * 3] === 1) {
    const perPe = out.writes[RF * 3] / pes;
    // The level that sends the weights: the buffer when it keeps them, else DRAM (the buffer is bypassed).
    const from = m.keep[GLB * 3] === 1 ? GLB : DRAM;
    const lv = hw.levels[from];
    const sent = out.readBytes[from * 3] / out.instances[from] / lv.readBytesPerCycle;
    extra += perPe > sent ? perPe : sent;
  }
  if (fx.psumArrivalsUseAdder) {
    const uses = op.macs + out.paddedMacs;
    // Psums returned into the PE's spad from the buffer (its writes beyond the MAC's own updates).
    const returned = m.keep[RF * 3 + 2] === 1 ? out.writes[RF * 3 + 2] - uses : 0;
    // Psums sent up from the array, each the end of a reduction over `reduce` PEs: reduce − 1 PE-to-PE additions.
    const g = GLB * 3 + 2;
    const up = m.keep[g] === 1 ? out.writes[g] - out.reads[DRAM * 3 + 2] : out.writes[DRAM * 3 + 2];
    const a = GLB * DIM_COUNT;
    const reduce =
      m.spatialX[a + C] * m.spatialY[a + C] * m.spatialX[a + R] * m.spatialY[a + R] * m.spatialX[a + S] * m.spatialY[a + S];
    const arrivals = (returned > 0 ? returned : 0) + (up > 0 ? up : 0) * (reduce - 1);
    extra += arrivals / pes;
  }
  if (extra > 0) {
    const cycles = Math.ceil(extra);
    out.computeCycles += cycles;
    out.overheadCycles += cycles;
  }
}

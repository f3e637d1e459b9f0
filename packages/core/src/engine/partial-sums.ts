import type { Cost } from '../cost.js';
import type { HardwareModel } from '../hardware.js';
import { scratch } from './scratch.js';

/*
 * Partial sums wider than the output (`HardwareModel.psumBytes`): `nestAccesses` records each output pair's drains
 * and read-backs here (only when the widths differ), and the output bytes are widened after the common byte pass.
 */

/** Clears the output pairs' figures (partial sums wider than the output only; off the common path). */
export function resetPairs(L: number): void {
  const { pairChild, pairDrainsP, pairRefillsP, pairDrainsC, pairRefillsC } = scratch;
  for (let l = 0; l < L; l++) pairChild[l] = pairDrainsP[l] = pairRefillsP[l] = pairDrainsC[l] = pairRefillsC[l] = 0;
}

/** One output pair's drains and read-backs on each side, keyed by its parent (outputs have one child per parent). */
export function recordPair(p: number, c: number, drainsP: number, refillsP: number, drainsC: number, refillsC: number): void {
  scratch.pairChild[p] = c;
  scratch.pairDrainsP[p] = drainsP;
  scratch.pairRefillsP[p] = refillsP;
  scratch.pairDrainsC[p] = drainsC;
  scratch.pairRefillsC[p] = refillsC;
}

/**
 * Partial sums wider than the output (`HardwareModel.psumBytes`): the output elements that move as partial sums get
 * the accumulator's width, in bytes and in network energy, from the pairs `nestAccesses` recorded, top pair first.
 * Read-backs are partial. A drain from child c into p carries a partial sum when its element is drained again later
 * (as many drains as read-backs), and every drain does while more accumulation waits above p: a pair above reads
 * partial sums back, or a level above p reduces its children's results spatially.
 */
export function widenPartialSums(hw: HardwareModel, L: number, out: Cost): void {
  const { pairChild, pairDrainsP, pairRefillsP, pairDrainsC, pairRefillsC } = scratch;
  const extra = scratch.psumBytes - scratch.outputBytes;
  const spatialTop = scratch.reduceSpatialTop;
  const rb = out.readBytes;
  const wb = out.writeBytes;
  const levels = hw.levels;
  let refillAbove = false;
  for (let p = L - 1; p >= 0; p--) {
    if (pairDrainsP[p] === 0 && pairRefillsP[p] === 0) continue;
    const c = pairChild[p];
    const all = refillAbove || spatialTop > p;
    wb[p * 3 + 2] += (all ? pairDrainsP[p] : pairRefillsP[p]) * extra;
    const readP = pairRefillsP[p] * extra;
    rb[p * 3 + 2] += readP;
    const lp = levels[p];
    if (lp.networkPjPerByte > 0 && lp.fanoutX * lp.fanoutY > 1) out.networkEnergyPj += readP * lp.networkPjPerByte;
    if (c >= 0) {
      const readC = (all ? pairDrainsC[p] : pairRefillsC[p]) * extra;
      rb[c * 3 + 2] += readC;
      wb[c * 3 + 2] += pairRefillsC[p] * extra;
      const lc = levels[c];
      if (lc.networkPjPerByte > 0 && lc.fanoutX * lc.fanoutY > 1) out.networkEnergyPj += readC * lc.networkPjPerByte;
    }
    if (pairRefillsP[p] > 0) refillAbove = true;
  }
}

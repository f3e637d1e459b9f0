import type { Cost } from '../cost.js';
import { Port, type HardwareModel } from '../hardware.js';

// Local constants: a property load of `Port` per level and mapping is measurable in this loop.
const SHARED = Port.Shared;
const SPLIT = Port.Split;

/**
 * The one composition of a cost, shared by every cost model (the loop-nest engine, every template's own model,
 * vector ops and the inter-layer scheduler's adjustments), so that time and energy are always consistent with the
 * bytes moved:
 * - port cycles of each level = its bytes per active instance over its bandwidth, under its port model (the same
 *   rule as `portCycles`, inlined: this runs per mapping);
 * - double-buffered levels overlap compute (the op takes the longest of compute and those ports), single-buffered
 *   ones stall it (their port time adds); a transfer that ends part-way through a cycle still occupies that cycle;
 * - energy = Σ bytes × pJ/byte per level and slot + network + MAC + ALU + leakage × time.
 * Reads `reads`/`writes`/`readBytes`/`writeBytes`, `instances`, `computeCycles`, `macs`, `macEnergyPj`,
 * `aluEnergyPj`, `networkEnergyPj`; writes everything else. Allocates nothing.
 */
export function composeCost(hw: HardwareModel, out: Cost): Cost {
  const levels = hw.levels;
  const L = levels.length;
  const busy = out.computeCycles;
  const rb = out.readBytes;
  const wb = out.writeBytes;
  // The per-level arrays in locals: a property load per level is measurable in this loop.
  const instances = out.instances;
  const levelCycles = out.levelCycles;
  const levelEnergyPj = out.levelEnergyPj;
  const se = out.slotEnergyPj;
  let overlapped = busy;
  let serial = 0;
  let energy = 0;
  let leakMw = 0;
  let instancesAbove = 1;
  for (let l = L - 1; l >= 0; l--) {
    const lv = levels[l];
    const i = l * 3;
    const r0 = rb[i];
    const r1 = rb[i + 1];
    const r2 = rb[i + 2];
    const w0 = wb[i];
    const w1 = wb[i + 1];
    const w2 = wb[i + 2];
    // Port time per active instance.
    const perInstance = 1 / instances[l];
    let cyc: number;
    if (lv.port === SHARED) cyc = ((r0 + r1 + r2 + w0 + w1 + w2) * perInstance) / lv.readBytesPerCycle;
    else if (lv.port === SPLIT) {
      const r = ((r0 + r1 + r2) * perInstance) / lv.readBytesPerCycle;
      const w = ((w0 + w1 + w2) * perInstance) / lv.writeBytesPerCycle;
      cyc = r > w ? r : w;
    } else {
      const a = r0 + w0;
      const b = r1 + w1;
      const c = r2 + w2;
      cyc = ((a > b ? (a > c ? a : c) : b > c ? b : c) * perInstance) / lv.readBytesPerCycle;
    }
    levelCycles[l] = cyc;
    if (lv.doubleBuffered) {
      if (cyc > overlapped) overlapped = cyc;
    } else serial += cyc;
    const rp = lv.readPjPerByte;
    const wp = lv.writePjPerByte;
    const e0 = r0 * rp[0] + w0 * wp[0];
    const e1 = r1 * rp[1] + w1 * wp[1];
    const e2 = r2 * rp[2] + w2 * wp[2];
    se[i] = e0;
    se[i + 1] = e1;
    se[i + 2] = e2;
    const e = e0 + e1 + e2;
    levelEnergyPj[l] = e;
    energy += e;
    // Leakage of every instance (active or not): the product of the fanouts above.
    leakMw += lv.leakageMw * instancesAbove;
    instancesAbove *= lv.fanoutX * lv.fanoutY;
  }
  // After the loop, `instancesAbove` is every fanout multiplied: the MAC units.
  const top = (L - 1) * 3;
  out.dramBytes = rb[top] + rb[top + 1] + rb[top + 2] + wb[top] + wb[top + 1] + wb[top + 2];
  const cycles = Math.ceil(overlapped + serial);
  out.cycles = cycles;
  out.stallCycles = cycles - busy;
  out.utilization = cycles > 0 ? out.macs / (cycles * instancesAbove) : 0;
  // mW × µs = nJ; cycles / MHz = µs; × 1000 to pJ.
  out.leakageEnergyPj = ((leakMw * cycles) / hw.clockMHz) * 1000;
  out.energyPj = energy + out.networkEnergyPj + out.macEnergyPj + out.aluEnergyPj + out.leakageEnergyPj;
  return out;
}

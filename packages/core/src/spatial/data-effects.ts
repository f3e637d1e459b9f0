import { C, DIM_COUNT, G, K, N, P, Q, R, S } from '../dims.js';
import { Cost, evaluate, Illegal } from '../engine.js';
import { levelInstances, type HardwareModel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import { operandSize, windowRows, type MacOp } from '../op.js';

/**
 * Effects of the data itself and of a spatial array's wiring that the loop-nest engine does not see, declared by a
 * hardware template in `hw.meta.dataEffects` and applied after `evaluate` by the dataflows that opt in
 * (`evaluateWithDataEffects`). Every field is optional; an absent field changes nothing.
 */
export interface DataEffects {
  /**
   * Feature maps cross the DRAM link run-length coded: each `codeWordBits` word carries as many (run, level) pairs
   * as fit, so a non-zero costs codeWordBits / pairs bits and a run of zeros up to 2^runBits − 1 is free. Applied to
   * window and output operands whose density is below 1 (final outputs only; spilled partial sums stay dense).
   */
  readonly dramRlc?: { readonly runBits: number; readonly levelBits: number; readonly codeWordBits: number };
  /** MAC and weight register-file read skipped on a zero input value (energy only; the cycle still passes). */
  readonly zeroGating?: boolean;
  /**
   * A level whose inputs-side and outputs-side tiles share `banks` banks of `wordsPerBank`, each bank wholly one
   * operand's (the per-slot capacity of the level is each operand's upper bound).
   */
  readonly sharedBanks?: { readonly level: number; readonly banks: number; readonly wordsPerBank: number };
  /**
   * The PE's MAC takes its operands only from its own register files: an operand the PE has a register file for
   * but the mapping does not keep there still passes through it on every use (one write on arrival, one read by the
   * MAC), as on Eyeriss where the NoC delivers into the scratchpads.
   */
  readonly operandsThroughRf?: boolean;
  /** Energy per partial sum passed from PE to PE in a spatial reduction inside the array, pJ. */
  readonly interPeEnergyPj?: number;
  /**
   * Charge the network per receiving PE (unicast, or the ISCA 2016 accounting of multicast) instead of once per
   * buffer read: fills of the PEs' register files, one word per MAC use of an operand the PE does not keep, and
   * partial sums returned from the buffer.
   */
  readonly unicastNetwork?: boolean;
  /** Charge the array level's network energy also for partial sums sent up from the array to its buffer. */
  readonly upwardNetwork?: boolean;
}

const tile = new Float64Array(16 * DIM_COUNT);

/** Cumulative tile bounds (temporal × spatial) of every level, into the module's scratch array. */
function fillTiles(m: Mapping): void {
  for (let d = 0; d < DIM_COUNT; d++) {
    let prod = 1;
    for (let l = 0; l < m.levels; l++) {
      const i = l * DIM_COUNT + d;
      prod *= m.temporal[i] * m.spatialX[i] * m.spatialY[i];
      tile[i] = prod;
    }
  }
}

function tileFootprint(op: MacOp, level: number, slot: number): number {
  const o = level * DIM_COUNT;
  switch (op.operands[slot].projection) {
    case 'filter':
      return tile[o + G] * tile[o + K] * tile[o + C] * tile[o + R] * tile[o + S];
    case 'output':
      return tile[o + N] * tile[o + G] * tile[o + K] * tile[o + P] * tile[o + Q];
    case 'window':
      return (
        tile[o + N] * tile[o + G] * tile[o + C] *
        windowRows(tile[o + P], tile[o + R], op.strideH, op.dilationH) *
        windowRows(tile[o + Q], tile[o + S], op.strideW, op.dilationW)
      );
  }
}

/** Stored size of a feature map under run-length coding, as a fraction of its dense size (never above 1). */
export function rlcSizeFraction(density: number, valueBits: number, rlc: NonNullable<DataEffects['dramRlc']>): number {
  const pairs = Math.floor(rlc.codeWordBits / (rlc.runBits + rlc.levelBits));
  const bitsPerNonzero = rlc.codeWordBits / pairs;
  // Runs longer than 2^runBits − 1 zeros need an extra pair with a zero level.
  const maxRun = 2 ** rlc.runBits - 1;
  const zeros = 1 - density;
  const meanRun = density > 0 ? zeros / density : Infinity;
  const extraPairsPerNonzero = Number.isFinite(meanRun) ? Math.floor(meanRun / (maxRun + 1)) : 0;
  const bits = density * bitsPerNonzero * (1 + extraPairsPerNonzero);
  return Math.min(1, bits / valueBits);
}

/**
 * The core engine, then the template's declared data effects (`hw.meta.dataEffects`): bank-granular capacity, DRAM
 * run-length coding, zero gating, inter-PE reduction and upward network energy. Totals (energy, cycles,
 * utilisation, leakage) are recomposed afterwards exactly as the engine composes them.
 */
export function evaluateWithDataEffects(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  evaluate(op, hw, m, out);
  if (!out.legal) return out;
  const fx = hw.meta.dataEffects as DataEffects | undefined;
  if (fx === undefined) return out;
  const L = m.levels;
  const levels = hw.levels;
  const wordBytes = hw.wordBits / 8;

  if (fx.sharedBanks !== undefined) {
    const b = fx.sharedBanks;
    fillTiles(m);
    let banks = 0;
    for (let t = 1; t < 3; t++) {
      if (!m.keep[b.level * 3 + t]) continue;
      const fp = tileFootprint(op, b.level, t) * (levels[b.level].doubleBuffered ? 2 : 1);
      banks += Math.ceil(fp / b.wordsPerBank);
    }
    if (banks > b.banks) {
      out.illegal = Illegal.Capacity;
      out.illegalLevel = b.level;
      out.cycles = Infinity;
      out.energyPj = Infinity;
      return out;
    }
  }

  // Zero gating: a zero input skips the MAC and the weight read from the PE's own register file.
  const inputs = op.operands[1];
  if (fx.zeroGating && inputs.projection === 'window' && inputs.density < 1) {
    const skip = 1 - inputs.density;
    out.macEnergyPj *= inputs.density;
    if (m.keep[0] && levels[0].fanoutX * levels[0].fanoutY === 1) {
      const saved = out.reads[0] * skip;
      out.reads[0] -= saved;
      out.levelEnergyPj[0] -= saved * levels[0].readEnergyPj * (op.operands[0].bytes / wordBytes);
    }
  }

  // Operands that bypass the PE's register files but must still pass through them.
  if (fx.operandsThroughRf === true && levels[0].fanoutX * levels[0].fanoutY === 1) {
    const uses = op.macs + out.paddedMacs;
    for (let t = 0; t < 3; t++) {
      if (m.keep[t] || !levels[0].holds[t]) continue;
      const scale = op.operands[t].bytes / wordBytes;
      out.reads[t] += uses;
      out.writes[t] += uses;
      out.levelEnergyPj[0] += uses * (levels[0].readEnergyPj + levels[0].writeEnergyPj) * scale;
    }
  }

  // DRAM run-length coding of sparse feature maps.
  const D = L - 1;
  if (fx.dramRlc !== undefined) {
    const lv = levels[D];
    let bytes = 0;
    let readWords = 0;
    let writeWords = 0;
    let energy = 0;
    for (let t = 0; t < 3; t++) {
      const o = op.operands[t];
      const scale = o.bytes / wordBytes;
      let rd = out.reads[D * 3 + t];
      let wr = out.writes[D * 3 + t];
      if (o.projection !== 'filter' && o.density < 1) {
        const f = rlcSizeFraction(o.density, o.bytes * 8, fx.dramRlc);
        if (t === 2) {
          const final = Math.min(wr, operandSize(op, 2));
          wr = wr - final + final * f;
        } else rd *= f;
      }
      bytes += (rd + wr) * o.bytes;
      readWords += rd * scale;
      writeWords += wr * scale;
      energy += (rd * lv.readEnergyPj + wr * lv.writeEnergyPj) * scale;
    }
    out.dramBytes = bytes;
    out.levelEnergyPj[D] = energy;
    const inst = levelInstances(hw, D);
    out.levelCycles[D] = lv.sharedPort
      ? (readWords + writeWords) / inst / lv.readBandwidth
      : Math.max(readWords / inst / lv.readBandwidth, writeWords / inst / lv.writeBandwidth);
  }

  // Partial sums going up the array network, and PE-to-PE hops of spatial reductions inside the array.
  let A = -1;
  for (let l = L - 1; l >= 0; l--) if (levels[l].fanoutX * levels[l].fanoutY > 1) { A = l; break; }
  if (A >= 0) {
    let sink = -1;
    for (let l = A; l < L; l++) if (m.keep[l * 3 + 2]) { sink = l; break; }
    if (fx.unicastNetwork === true) {
      const uses = op.macs + out.paddedMacs;
      let received = 0;
      for (let t = 0; t < 3; t++) {
        let c = -1;
        for (let l = A - 1; l >= 0; l--) if (m.keep[l * 3 + t]) { c = l; break; }
        const scale = op.operands[t].bytes / wordBytes;
        let words: number;
        if (t < 2) {
          // Fills of the PE's copy, or one word per MAC use without one.
          words = c >= 0 ? out.writes[c * 3 + t] : uses;
        } else if (c === 0) {
          // The psum spad's writes are the MAC's own updates plus partial sums returned from the buffer.
          words = Math.max(0, out.writes[2] - uses);
        } else {
          // No PE copy: partial sums that come back down are the buffer's reads not drained upwards.
          let parent = -1;
          for (let l = A + 1; l < L; l++) if (m.keep[l * 3 + 2]) { parent = l; break; }
          words = m.keep[A * 3 + 2] ? Math.max(0, out.reads[A * 3 + 2] - (parent >= 0 ? out.writes[parent * 3 + 2] : 0)) : 0;
        }
        received += words * scale;
      }
      out.networkEnergyPj = received * levels[A].networkEnergyPj;
    }
    // Psums the sink receives from the array: its writes less the partial sums its own parent returned to it.
    let sinkParent = -1;
    for (let l = sink + 1; sink >= 0 && l < L; l++) if (m.keep[l * 3 + 2]) { sinkParent = l; break; }
    const fromArray = sink >= 0 ? out.writes[sink * 3 + 2] - (sinkParent >= 0 ? out.reads[sinkParent * 3 + 2] : 0) : 0;
    const up = Math.max(0, fromArray) * (op.operands[2].bytes / wordBytes);
    if (fx.upwardNetwork === true) out.networkEnergyPj += up * levels[A].networkEnergyPj;
    if (fx.interPeEnergyPj !== undefined && fx.interPeEnergyPj > 0) {
      const base = A * DIM_COUNT;
      const reduce =
        m.spatialX[base + C] * m.spatialY[base + C] * m.spatialX[base + R] * m.spatialY[base + R] * m.spatialX[base + S] * m.spatialY[base + S];
      // Each psum word leaving the array merged `reduce` PE results: reduce − 1 hops between neighbours.
      out.networkEnergyPj += up * (reduce - 1) * fx.interPeEnergyPj;
    }
  }

  recompose(op, hw, out);
  return out;
}

/** Cycles, utilisation, leakage and total energy from the per-level figures, as the engine composes them. */
function recompose(op: MacOp, hw: HardwareModel, out: Cost): void {
  const busy = out.computeCycles;
  let overlapped = busy;
  let serial = 0;
  let energy = 0;
  let leak = 0;
  let units = 1;
  for (let l = 0; l < hw.levels.length; l++) {
    const lv = hw.levels[l];
    const cyc = out.levelCycles[l];
    if (lv.doubleBuffered) {
      if (cyc > overlapped) overlapped = cyc;
    } else serial += cyc;
    energy += out.levelEnergyPj[l];
    leak += lv.leakageMw * levelInstances(hw, l);
    units *= lv.fanoutX * lv.fanoutY;
  }
  const cycles = Math.ceil(overlapped + serial); // a partial cycle is still a cycle
  out.cycles = cycles;
  out.stallCycles = cycles - busy;
  out.utilization = op.macs / (cycles * units);
  out.leakageEnergyPj = (leak * cycles) / hw.clockMHz * 1000;
  out.energyPj = energy + out.networkEnergyPj + out.macEnergyPj + out.leakageEnergyPj;
}

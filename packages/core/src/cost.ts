import type { HardwareModel } from './hardware.js';

/** Why a mapping is illegal; `Cost.explain()` turns the code into a sentence. */
export const Illegal = { None: 0, Coverage: 1, Fanout: 2, Capacity: 3, Keep: 4, Template: 5 } as const;
export type Illegal = (typeof Illegal)[keyof typeof Illegal];

/**
 * The cost of one (op, hardware, mapping): what every cost model writes, in stages that add up —
 * legality (`illegal…`, `instances`, `footprintBytes`), accesses (`reads`/`writes` in elements, `readBytes`/`writeBytes`
 * in bytes actually moved, after compression), compute (`computeCycles`, MAC and network energy), then one composition
 * (`composeCost`) into port cycles, stalls, energy by component and totals. Preallocated and overwritten on every
 * evaluation so the hot path allocates nothing. Counts are totals over all instances of a level.
 */
export class Cost {
  illegal: Illegal = Illegal.None as Illegal;
  illegalLevel = -1;
  illegalDim = -1;
  /** A template's reason for `Illegal.Template` (a constant string: set, never built, in the hot path). */
  illegalWhy = '';
  macs = 0;
  /** MAC-unit cycles spent on iterations of padded (partial) tiles. */
  paddedMacs = 0;
  /** Cycles the datapath is busy: compute plus fill/drain overhead (`overheadCycles`). */
  computeCycles = 0;
  overheadCycles = 0;
  stallCycles = 0;
  cycles = 0;
  utilization = 0;
  /** Element accesses, [level·3 + slot]. */
  readonly reads: Float64Array;
  readonly writes: Float64Array;
  /** Bytes those accesses move (elements × bytes per element, less what compression saves), [level·3 + slot]. */
  readonly readBytes: Float64Array;
  readonly writeBytes: Float64Array;
  /** Instances of each level that carry the traffic (the active ones): port time is bytes / instances / bandwidth. */
  readonly instances: Float64Array;
  /** Bytes per instance the mapping's tiles occupy at each level, [level·3 + slot] (both halves when double-buffered). */
  readonly footprintBytes: Float64Array;
  /** Cycles each level's port needs per instance to move its traffic. */
  readonly levelCycles: Float64Array;
  readonly levelEnergyPj: Float64Array;
  /** The level energy split by operand slot, [level·3 + slot] (Σ over slots = `levelEnergyPj`). */
  readonly slotEnergyPj: Float64Array;
  /**
   * Elements the inter-layer scheduler moved from the backing store to `handoffLevel` (a tensor kept on chip
   * between ops is read from and written to that level instead of DRAM), by slot. Part of `reads`/`writes` there;
   * kept apart so the conservation check knows where those words came from.
   */
  readonly handoffReads: Float64Array;
  readonly handoffWrites: Float64Array;
  handoffLevel = -1;
  /**
   * Output elements (slot 2) a fused epilogue took from the output path instead of the backing store: the producer's
   * final results that were never stored (`--fusion`). Counted as delivered by the compulsory-traffic check.
   */
  fusedWrites = 0;
  /**
   * Elements fused epilogues wrote into the staging level L−2, by slot (a skip or bias staged for the output path,
   * the epilogue's results on their way out): words that level got from the output path, not as fills of the
   * producer's loop nest (kept apart for the conservation check).
   */
  readonly epilogueFills: Float64Array;
  macEnergyPj = 0;
  aluEnergyPj = 0;
  networkEnergyPj = 0;
  leakageEnergyPj = 0;
  energyPj = 0;
  dramBytes = 0;

  constructor(readonly levels: number) {
    // One buffer for all the arrays: a reported cost is kept per op of a network, and eleven separate buffers (each
    // an ArrayBuffer, its backing store and its view) tripled the memory a 100 k-layer network's results take.
    const s = levels * 3;
    const all = new Float64Array(6 * s + 3 * levels + 9);
    let at = 0;
    const take = (n: number) => {
      at += n;
      return all.subarray(at - n, at);
    };
    this.reads = take(s);
    this.writes = take(s);
    this.readBytes = take(s);
    this.writeBytes = take(s);
    this.instances = take(levels);
    this.footprintBytes = take(s);
    this.levelCycles = take(levels);
    this.levelEnergyPj = take(levels);
    this.slotEnergyPj = take(s);
    this.handoffReads = take(3);
    this.handoffWrites = take(3);
    this.epilogueFills = take(3);
  }

  get legal(): boolean {
    return this.illegal === Illegal.None;
  }

  /** Zeroes every count (the start of an evaluation). */
  reset(): void {
    this.illegal = Illegal.None;
    this.illegalLevel = -1;
    this.illegalDim = -1;
    this.illegalWhy = '';
    this.reads.fill(0);
    this.writes.fill(0);
    this.readBytes.fill(0);
    this.writeBytes.fill(0);
    this.instances.fill(1);
    this.footprintBytes.fill(0);
    this.levelCycles.fill(0);
    this.levelEnergyPj.fill(0);
    this.slotEnergyPj.fill(0);
    this.handoffReads.fill(0);
    this.handoffWrites.fill(0);
    this.handoffLevel = -1;
    this.fusedWrites = 0;
    this.epilogueFills.fill(0);
    this.macs = 0;
    this.paddedMacs = 0;
    this.computeCycles = 0;
    this.overheadCycles = 0;
    this.stallCycles = 0;
    this.cycles = 0;
    this.utilization = 0;
    this.macEnergyPj = 0;
    this.aluEnergyPj = 0;
    this.networkEnergyPj = 0;
    this.leakageEnergyPj = 0;
    this.energyPj = 0;
    this.dramBytes = 0;
  }

  /**
   * Starts an evaluation: zeroes what the stages accumulate (accesses) and the legality fields. The stages
   * overwrite everything else (`checkMapping` every footprint of the levels it reaches). Plain loops: these arrays hold a few entries, and this runs per mapping.
   */
  begin(): void {
    this.illegal = Illegal.None;
    this.illegalLevel = -1;
    this.illegalDim = -1;
    this.illegalWhy = '';
    const n = this.reads.length;
    const r = this.reads;
    const w = this.writes;
    for (let i = 0; i < n; i++) {
      r[i] = 0;
      w[i] = 0;
    }
    this.fusedWrites = 0;
    const f = this.epilogueFills;
    f[0] = 0;
    f[1] = 0;
    f[2] = 0;
    if (this.handoffLevel !== -1) {
      this.handoffReads.fill(0);
      this.handoffWrites.fill(0);
      this.handoffLevel = -1;
    }
  }

  /** Marks the mapping illegal (cycles and energy infinite, so no goal ever prefers it). */
  fail(why: Illegal, level = -1, dim = -1, note = ''): this {
    this.illegal = why;
    this.illegalLevel = level;
    this.illegalDim = dim;
    this.illegalWhy = note;
    this.cycles = Infinity;
    this.energyPj = Infinity;
    return this;
  }

  copyFrom(o: Cost): this {
    if (o.levels !== this.levels) throw new RangeError(`Cost.copyFrom: ${o.levels} levels into ${this.levels}`);
    this.illegal = o.illegal;
    this.illegalLevel = o.illegalLevel;
    this.illegalDim = o.illegalDim;
    this.illegalWhy = o.illegalWhy;
    this.macs = o.macs;
    this.paddedMacs = o.paddedMacs;
    this.computeCycles = o.computeCycles;
    this.overheadCycles = o.overheadCycles;
    this.stallCycles = o.stallCycles;
    this.cycles = o.cycles;
    this.utilization = o.utilization;
    this.reads.set(o.reads);
    this.writes.set(o.writes);
    this.readBytes.set(o.readBytes);
    this.writeBytes.set(o.writeBytes);
    this.instances.set(o.instances);
    this.footprintBytes.set(o.footprintBytes);
    this.levelCycles.set(o.levelCycles);
    this.levelEnergyPj.set(o.levelEnergyPj);
    this.slotEnergyPj.set(o.slotEnergyPj);
    this.handoffReads.set(o.handoffReads);
    this.handoffWrites.set(o.handoffWrites);
    this.handoffLevel = o.handoffLevel;
    this.fusedWrites = o.fusedWrites;
    this.epilogueFills.set(o.epilogueFills);
    this.macEnergyPj = o.macEnergyPj;
    this.aluEnergyPj = o.aluEnergyPj;
    this.networkEnergyPj = o.networkEnergyPj;
    this.leakageEnergyPj = o.leakageEnergyPj;
    this.energyPj = o.energyPj;
    this.dramBytes = o.dramBytes;
    return this;
  }

  clone(): Cost {
    return new Cost(this.levels).copyFrom(this);
  }

  /** A sentence naming the rule the mapping broke (built only when asked, never in the hot path). */
  explain(hw: HardwareModel): string {
    const lvl = this.illegalLevel >= 0 ? hw.levels[this.illegalLevel]?.name : '?';
    const dims = 'NGKCPQRS';
    switch (this.illegal) {
      case Illegal.None:
        return 'legal';
      case Illegal.Coverage:
        return `the loop factors of dim ${dims[this.illegalDim]} do not cover its bound`;
      case Illegal.Fanout:
        return `the spatial unroll under level ${lvl} exceeds its ${hw.levels[this.illegalLevel].fanoutX}×${hw.levels[this.illegalLevel].fanoutY} fanout`;
      case Illegal.Capacity: {
        const lv = hw.levels[this.illegalLevel];
        const cap = lv?.slotCapacityBytes ? `partitions of ${lv.slotCapacityBytes.join('/')} bytes` : `${lv?.capacityBytes} bytes`;
        const l = this.illegalLevel * 3;
        const fp = [this.footprintBytes[l], this.footprintBytes[l + 1], this.footprintBytes[l + 2]];
        return `the tiles kept at level ${lvl} (${fp.join('/')} bytes of weights/inputs/outputs) exceed its capacity (${cap})${this.illegalWhy ? `: ${this.illegalWhy}` : ''}`;
      }
      case Illegal.Keep:
        return `level ${lvl} is asked to keep an operand it cannot hold (the backing store must keep every operand)`;
      case Illegal.Template:
        return `${this.illegalWhy || 'the template rejects this mapping'}${this.illegalLevel >= 0 ? ` (level ${lvl})` : ''}`;
    }
  }
}

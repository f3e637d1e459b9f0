/**
 * The hardware as the engine sees it: plain numbers, built once per hardware point by a template.
 * Levels are ordered innermost (next to the MACs) first; the last is the backing store (DRAM).
 */
export interface MemoryLevel {
  readonly name: string;
  /** Capacity per instance in words shared by every operand it keeps (Infinity for DRAM). */
  readonly capacityWords: number;
  /**
   * Optional per-operand partitions in words per instance, indexed by operand slot (0 weights side, 1 inputs side,
   * 2 outputs). When set, each slot must fit its own partition and `capacityWords` is ignored.
   */
  readonly slotCapacityWords?: readonly [number, number, number];
  /** Which operand slots this level may keep. */
  readonly holds: readonly [boolean, boolean, boolean];
  /** Children per instance along the array's x and y axes (children are instances of the level below, or MACs). */
  readonly fanoutX: number;
  readonly fanoutY: number;
  /** Words per cycle per instance; Infinity = unbounded. */
  readonly readBandwidth: number;
  readonly writeBandwidth: number;
  /** Reads and writes share one port (use `readBandwidth` for both). */
  readonly sharedPort: boolean;
  /** Energy per word access, pJ. */
  readonly readEnergyPj: number;
  readonly writeEnergyPj: number;
  /** Energy per word moved from this level to its children over the on-chip network (multicast counted once), pJ. */
  readonly networkEnergyPj: number;
  /** Double-buffered transfers overlap compute; single-buffered ones stall it. */
  readonly doubleBuffered: boolean;
  /** Static power per instance, mW (0 = not modelled). */
  readonly leakageMw: number;
}

export interface HardwareModel {
  /** The architecture's name (e.g. `tpu-v1`, or the file it came from). */
  readonly name: string;
  /** The template that built it (e.g. `systolic`, `spatial`, `fpga`, `generic`). */
  readonly template: string;
  readonly clockMHz: number;
  /** Word width of the datapath; energies are per word of this width. */
  readonly wordBits: number;
  readonly levels: readonly MemoryLevel[];
  readonly macEnergyPj: number;
  /** Throughput of non-MAC work (pooling, element-wise, softmax) in ALU ops per cycle, and energy per op. */
  readonly vectorOpsPerCycle: number;
  readonly aluEnergyPj: number;
  /** Silicon area estimate when the template knows it (for throughput per area). */
  readonly areaMm2?: number;
  /** Template-specific data that the template's own dataflows may read (e.g. physical array shape). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** MAC units in the whole array: the product of every level's fanout. */
export function totalMacUnits(hw: HardwareModel): number {
  let n = 1;
  for (const l of hw.levels) n *= l.fanoutX * l.fanoutY;
  return n;
}

/** Instances of level `i`: the product of the fanouts above it. */
export function levelInstances(hw: HardwareModel, i: number): number {
  let n = 1;
  for (let j = i + 1; j < hw.levels.length; j++) n *= hw.levels[j].fanoutX * hw.levels[j].fanoutY;
  return n;
}

export function levelIndex(hw: HardwareModel, name: string): number {
  return hw.levels.findIndex((l) => l.name === name);
}

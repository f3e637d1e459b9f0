import type { Capabilities } from './capability.js';
import type { CostModel } from './cost-model.js';
import type { Epilogue } from './epilogue.js';
import type { Goal } from './evaluate.js';
import type { Precision } from './precision.js';

/** One value per operand slot: 0 the weights side, 1 the inputs side, 2 the output. */
export type Slots<T> = readonly [T, T, T];

/**
 * How a level's port(s) carry traffic, all in bytes per cycle per instance (numeric codes: the cost models switch on
 * them millions of times):
 * - `Port.Shared`: one port carries reads and writes (`readBytesPerCycle`);
 * - `Port.Split`: a read port (`readBytesPerCycle`) and a write port (`writeBytesPerCycle`) work in parallel;
 * - `Port.PerOperand`: each operand slot has its own port of `readBytesPerCycle` carrying its reads and writes
 *   (SCALE-Sim's per-buffer DRAM interfaces).
 */
export const Port = { Shared: 0, Split: 1, PerOperand: 2 } as const;
export type PortModel = (typeof Port)[keyof typeof Port];
export const PORT_NAMES = ['shared', 'split', 'per-operand'] as const;

/**
 * The hardware as the cost models see it: plain numbers in bytes, cycles and picojoules, built once per hardware
 * point by a template. Levels are ordered innermost (next to the MACs) first; the last is the backing store (DRAM).
 */
export interface MemoryLevel {
  readonly name: string;
  /** Bytes per instance shared by every operand it keeps (Infinity for the backing store). */
  readonly capacityBytes: number;
  /**
   * Optional per-operand partitions in bytes per instance, by operand slot. When set, each slot must fit its own
   * partition and `capacityBytes` is ignored for fitting (it stays the level's total, for reports).
   */
  readonly slotCapacityBytes?: Slots<number>;
  /** Which operand slots this level may keep. */
  readonly holds: Slots<boolean>;
  /** Children per instance along the array's x and y axes (children are instances of the level below, or MACs). */
  readonly fanoutX: number;
  readonly fanoutY: number;
  /** Bytes per cycle per instance; Infinity = unbounded. See `PortModel` for what each figure carries. */
  readonly readBytesPerCycle: number;
  readonly writeBytesPerCycle: number;
  readonly port: PortModel;
  /** Energy per byte read and written, by operand slot, pJ. */
  readonly readPjPerByte: Slots<number>;
  readonly writePjPerByte: Slots<number>;
  /** Energy per byte sent from this level to its children over the array's network (multicast counted once), pJ. */
  readonly networkPjPerByte: number;
  /**
   * Double-buffered: transfers through this level's port overlap compute, and every tile it keeps takes twice its
   * size (ping-pong halves). Single-buffered: its transfers stall compute.
   */
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
  /** The datapath's native number format: the tensor precision when the user gives none. */
  readonly precision: Precision;
  readonly levels: readonly MemoryLevel[];
  /** Energy per MAC of the datapath, pJ. */
  readonly macEnergyPj: number;
  /**
   * Bytes of a partial sum: the accumulator width an output has until its reduction ends (an int8 datapath
   * accumulates at 16 or 32 bits). Partial sums are held, drained and read back at this width; the final value leaves
   * the level where the reduction ends at the output tensor's own width. Absent: partial sums are as wide as the
   * output (every template's default, and Timeloop's and SCALE-Sim's convention).
   */
  readonly psumBytes?: number;
  /** Throughput of non-MAC work (pooling, element-wise, softmax) in ALU ops per cycle, and energy per op. */
  readonly vectorOpsPerCycle: number;
  readonly aluEnergyPj: number;
  /** Silicon area estimate when the template knows it (for throughput per area). */
  readonly areaMm2?: number;
  /**
   * The goal the hardware's own mapping tool optimises (Eyeriss: its configurations minimise energy); a run that
   * names no goal maps with it. Absent: latency.
   */
  readonly mapperGoal?: Goal;
  /**
   * Index of the level whose fanout reaches the PEs (levels below it are inside each PE). Default: the outermost
   * level with a fanout above 1 — which a 1×1 array does not have, so array templates set it.
   */
  readonly arrayLevel?: number;
  /** The template's cost model: prices any mapping of any MAC op on this hardware, for every dataflow. */
  readonly cost: CostModel;
  /**
   * The same hardware with other memory levels, its cost model bound to them (`withCostModel` provides it): the
   * scheduler maps a depth-first stack's band ops into the buffer the other bands leave. Absent: no stacks.
   */
  readonly withLevels?: (levels: readonly MemoryLevel[]) => HardwareModel;
  /** Typed, validated facts a template publishes for dataflows (see `defineCapability`). */
  readonly capabilities: Capabilities;
  /** Resource figures for reports and constraints (DSPs, BRAMs, LUTs, …); numbers only. */
  readonly resources?: Readonly<Record<string, number>>;
  /**
   * The output path (`Epilogue`): what it applies to a producer's results before they are stored, and at what rate.
   * The scheduler fuses those layers into their producer (`--fusion`). Absent: nothing is fused.
   */
  readonly epilogue?: Epilogue;
  /**
   * The controller can run consecutive layers band by band (depth-first stacks, `--fusion full`): a sequencer that
   * interleaves layers, as opposed to one configured per layer. Absent or false: no stacks.
   */
  readonly depthFirst?: boolean;
}

/** MAC units in the whole array: the product of every level's fanout. */
export function totalMacUnits(hw: Pick<HardwareModel, 'levels'>): number {
  let n = 1;
  for (const l of hw.levels) n *= l.fanoutX * l.fanoutY;
  return n;
}

/** Instances of level `i`: the product of the fanouts above it. */
export function levelInstances(hw: Pick<HardwareModel, 'levels'>, i: number): number {
  let n = 1;
  for (let j = i + 1; j < hw.levels.length; j++) n *= hw.levels[j].fanoutX * hw.levels[j].fanoutY;
  return n;
}

export function levelIndex(hw: HardwareModel, name: string): number {
  return hw.levels.findIndex((l) => l.name === name);
}

/** The same value for every operand slot. */
export function perSlot<T>(v: T): Slots<T> {
  return [v, v, v];
}

/**
 * Port cycles of one level instance for the given bytes (reads and writes by slot, per instance), under its port
 * model. Shared by every cost model and the scheduler, so time is consistent with bytes everywhere.
 */
export function portCycles(lv: MemoryLevel, r0: number, r1: number, r2: number, w0: number, w1: number, w2: number): number {
  switch (lv.port) {
    case Port.Shared:
      return (r0 + r1 + r2 + w0 + w1 + w2) / lv.readBytesPerCycle;
    case Port.Split: {
      const r = (r0 + r1 + r2) / lv.readBytesPerCycle;
      const w = (w0 + w1 + w2) / lv.writeBytesPerCycle;
      return r > w ? r : w;
    }
    case Port.PerOperand: {
      const a = r0 + w0;
      const b = r1 + w1;
      const c = r2 + w2;
      const m = a > b ? (a > c ? a : c) : b > c ? b : c;
      return m / lv.readBytesPerCycle;
    }
  }
}

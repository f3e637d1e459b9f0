import type { HardwareModel, MemoryLevel } from '../hardware.js';
import type { SystolicDataflow, SystolicMeta } from '../systolic/meta.js';

/** A memory level with neutral defaults (unbounded, holds everything, no fanout, unit energies): override what matters. */
export function memoryLevel(l: Partial<MemoryLevel> & Pick<MemoryLevel, 'name'>): MemoryLevel {
  return {
    capacityWords: Infinity,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBandwidth: Infinity,
    writeBandwidth: Infinity,
    sharedPort: false,
    readEnergyPj: 1,
    writeEnergyPj: 1,
    networkEnergyPj: 0,
    doubleBuffered: true,
    leakageMw: 0,
    ...l,
  };
}

/**
 * A hand-built `systolic` model, for dataflow tests that must not import the template package: SCALE-Sim's reference
 * array by default — 32×32, 64 KB (1-byte words) per operand, unbounded DRAM.
 */
export function systolicTestModel(rows = 32, cols = 32, dataflow: SystolicDataflow | 'any' = 'any'): HardwareModel {
  const sramWords: [number, number, number] = [65536, 65536, 65536];
  const meta: SystolicMeta = { rows, cols, dataflow, sramWords, dramWordsPerCycle: Infinity, dramPerOperand: true, sramEnergyPj: [3.5, 3.5, 3.5] };
  return {
    name: `systolic-${rows}x${cols}`,
    template: 'systolic',
    clockMHz: 1000,
    wordBits: 8,
    levels: [
      memoryLevel({ name: 'pe', capacityWords: 3, slotCapacityWords: [1, 1, 1], doubleBuffered: false, readEnergyPj: 0.23, writeEnergyPj: 0.23 }),
      memoryLevel({ name: 'sram', slotCapacityWords: sramWords, fanoutX: cols, fanoutY: rows, readEnergyPj: 3.5, writeEnergyPj: 3.5 }),
      memoryLevel({ name: 'dram', readEnergyPj: 244, writeEnergyPj: 244 }),
    ],
    macEnergyPj: 0.23,
    vectorOpsPerCycle: cols,
    aluEnergyPj: 0.03,
    meta: meta as unknown as Record<string, unknown>,
  };
}

export interface SpatialTestOptions {
  rows?: number;
  cols?: number;
  /** Per-PE register file words per operand slot (a 0 slot is not held). */
  rfWords?: [number, number, number];
  /** GLB words per operand slot. */
  glbWords?: [number, number, number];
  clockMHz?: number;
  doubleBuffered?: boolean;
}

/**
 * A hand-built Eyeriss-like `spatial` model, [rf per PE, glb over rows × cols, dram], with round energies (MAC 1,
 * RF 1, NoC 2, GLB 6, DRAM 200 pJ) and inter-PE psum passing.
 */
export function spatialTestModel(o: SpatialTestOptions = {}): HardwareModel {
  const rows = o.rows ?? 12;
  const cols = o.cols ?? 14;
  const rf = o.rfWords ?? [224, 12, 24];
  const glb = o.glbWords ?? [16384, 24576, 24576];
  const db = o.doubleBuffered ?? true;
  return {
    name: 'spatial-test',
    template: 'spatial',
    clockMHz: o.clockMHz ?? 200,
    wordBits: 16,
    levels: [
      memoryLevel({ name: 'rf', capacityWords: 260, slotCapacityWords: rf, holds: [rf[0] > 0, rf[1] > 0, rf[2] > 0], doubleBuffered: false, readEnergyPj: 1, writeEnergyPj: 1 }),
      memoryLevel({ name: 'glb', capacityWords: glb[0] + glb[1] + glb[2], slotCapacityWords: glb, fanoutX: cols, fanoutY: rows, readEnergyPj: 6, writeEnergyPj: 6, networkEnergyPj: 2, doubleBuffered: db }),
      memoryLevel({ name: 'dram', readEnergyPj: 200, writeEnergyPj: 200, doubleBuffered: db }),
    ],
    macEnergyPj: 1,
    vectorOpsPerCycle: rows * cols,
    aluEnergyPj: 0.1,
    meta: { dataEffects: { interPeEnergyPj: 2, upwardNetwork: true } },
  };
}

import { capabilities } from '../capability.js';
import { Illegal, type Cost } from '../cost.js';
import { checkMapping, engineCostModel, evaluate, withCostModel } from '../engine/index.js';
import { Port, perSlot, type HardwareModel, type MemoryLevel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import type { MacOp } from '../op.js';

/**
 * A memory level with neutral defaults (unbounded, holds everything, no fanout, 1 pJ per byte, split unbounded
 * ports): override what matters. Capacities, bandwidths and energies are in bytes.
 */
export function memoryLevel(l: Partial<MemoryLevel> & Pick<MemoryLevel, 'name'>): MemoryLevel {
  return {
    capacityBytes: Infinity,
    slotCapacityBytes: undefined,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBytesPerCycle: Infinity,
    writeBytesPerCycle: Infinity,
    port: Port.Split,
    readPjPerByte: perSlot(1),
    writePjPerByte: perSlot(1),
    networkPjPerByte: 0,
    doubleBuffered: true,
    leakageMw: 0,
    ...l,
  };
}

/** A hardware model over the given levels whose cost model is the loop-nest engine alone (test hardware). */
export function engineTestModel(o: { name?: string; template?: string; levels: MemoryLevel[]; clockMHz?: number; macEnergyPj?: number; arrayLevel?: number }): HardwareModel {
  let pes = 1;
  for (const l of o.levels) pes *= l.fanoutX * l.fanoutY;
  return withCostModel(
    {
      name: o.name ?? 'test',
      template: o.template ?? 'generic',
      clockMHz: o.clockMHz ?? 1000,
      precision: 'int16',
      levels: o.levels,
      macEnergyPj: o.macEnergyPj ?? 1,
      vectorOpsPerCycle: pes,
      aluEnergyPj: 0.1,
      ...(o.arrayLevel !== undefined ? { arrayLevel: o.arrayLevel } : {}),
      capabilities: capabilities(),
    },
    engineCostModel,
  );
}

const ONE_STATIONARY = 'a systolic PE keeps exactly one operand stationary';

/**
 * A stand-in `systolic` model for dataflow tests that must not import the template package: [pe (one register per
 * operand), sram (rows × cols, 64 KB per operand), dram]. Like the real template it reads only which operand the PEs
 * keep (one, else illegal; a PE register holds one element of up to 4 bytes); unlike it, it prices that mapping with the loop-nest engine, not SCALE-Sim's rules.
 */
export function systolicTestModel(rows = 32, cols = 32): HardwareModel {
  const levels = [
    memoryLevel({ name: 'pe', capacityBytes: 12, slotCapacityBytes: [4, 4, 4], doubleBuffered: false, readPjPerByte: perSlot(0.23), writePjPerByte: perSlot(0.23) }),
    memoryLevel({ name: 'sram', capacityBytes: 3 * 65536, slotCapacityBytes: [65536, 65536, 65536], fanoutX: cols, fanoutY: rows, readPjPerByte: perSlot(3.5), writePjPerByte: perSlot(3.5) }),
    memoryLevel({ name: 'dram', readPjPerByte: perSlot(244), writePjPerByte: perSlot(244) }),
  ];
  const oneStationary = (m: Mapping, out: Cost): boolean => {
    if (m.keep[0] + m.keep[1] + m.keep[2] === 1) return true;
    out.reset();
    out.fail(Illegal.Template, 0, -1, ONE_STATIONARY);
    return false;
  };
  return withCostModel(
    {
      name: `systolic-${rows}x${cols}`,
      template: 'systolic',
      clockMHz: 1000,
      precision: 'int8',
      levels,
      macEnergyPj: 0.23,
      vectorOpsPerCycle: cols,
      aluEnergyPj: 0.03,
      arrayLevel: 1,
      capabilities: capabilities(),
    },
    (hw) => ({
      mappingDetail: 'stationary-operand',
      check: (op: MacOp, m: Mapping, out: Cost) => (oneStationary(m, out) ? checkMapping(op, hw, m, out) : out),
      evaluate: (op: MacOp, m: Mapping, out: Cost) => (oneStationary(m, out) ? evaluate(op, hw, m, out) : out),
    }),
  );
}

export interface SpatialTestOptions {
  rows?: number;
  cols?: number;
  /** Per-PE register file bytes per operand slot (a 0 slot is not held). */
  rfBytes?: [number, number, number];
  /** GLB bytes per operand slot. */
  glbBytes?: [number, number, number];
  clockMHz?: number;
  doubleBuffered?: boolean;
}

/**
 * A hand-built Eyeriss-like `spatial` model, [rf per PE, glb over rows × cols, dram], 16-bit, with round energies per
 * 16-bit word (MAC 1, RF 1, NoC 2, GLB 6, DRAM 200 pJ), priced by the loop-nest engine alone (the real template adds
 * its bank split, staging and NoC accounting).
 */
export function spatialTestModel(o: SpatialTestOptions = {}): HardwareModel {
  const rows = o.rows ?? 12;
  const cols = o.cols ?? 14;
  const rf = o.rfBytes ?? [448, 24, 48];
  const glb = o.glbBytes ?? [32768, 49152, 49152];
  const db = o.doubleBuffered ?? true;
  // Per 16-bit word → per byte: halve.
  return engineTestModel({
    name: 'spatial-test',
    template: 'spatial',
    clockMHz: o.clockMHz ?? 200,
    macEnergyPj: 1,
    arrayLevel: 1,
    levels: [
      memoryLevel({ name: 'rf', capacityBytes: rf[0] + rf[1] + rf[2], slotCapacityBytes: rf, holds: [rf[0] > 0, rf[1] > 0, rf[2] > 0], doubleBuffered: false, readPjPerByte: perSlot(0.5), writePjPerByte: perSlot(0.5) }),
      memoryLevel({ name: 'glb', capacityBytes: glb[0] + glb[1] + glb[2], slotCapacityBytes: glb, fanoutX: cols, fanoutY: rows, readPjPerByte: perSlot(3), writePjPerByte: perSlot(3), networkPjPerByte: 1, doubleBuffered: db }),
      memoryLevel({ name: 'dram', readPjPerByte: perSlot(100), writePjPerByte: perSlot(100), doubleBuffered: db }),
    ],
  });
}

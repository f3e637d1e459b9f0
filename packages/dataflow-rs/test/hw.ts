import type { HardwareModel } from '@trim-dse/core';
import { spatialTestModel } from '@trim-dse/core/testkit';

/** A small single-buffered [rf, glb, dram] spatial hierarchy with round energies (testkit model). */
export function smallSpatial(rows: number, cols: number, rfWords: [number, number, number] = [224, 12, 24]): HardwareModel {
  return spatialTestModel({ rows, cols, rfWords, glbWords: [2048, 4096, 4096], clockMHz: 100, doubleBuffered: false });
}

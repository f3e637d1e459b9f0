import type { HardwareModel } from '@trim-dse/core';
import { spatialTestModel } from '@trim-dse/core/testkit';

/**
 * A small single-buffered [rf, glb, dram] spatial hierarchy with round energies (testkit model, priced by the engine
 * alone), sized in 16-bit words: spads of `rfWords` per PE, a GLB of 2048 filter words and 4096 words each for
 * inputs and partial sums.
 */
export function smallSpatial(rows: number, cols: number, rfWords: [number, number, number] = [224, 12, 24]): HardwareModel {
  return spatialTestModel({ rows, cols, rfBytes: [rfWords[0] * 2, rfWords[1] * 2, rfWords[2] * 2], glbBytes: [4096, 8192, 8192], clockMHz: 100, doubleBuffered: false });
}

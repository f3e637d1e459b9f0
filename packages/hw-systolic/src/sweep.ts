import type { DesignSpaceSpec } from '@trim-dse/core';

/**
 * The built-in design space over the systolic template: rows × cols × ifmap SRAM × filter SRAM × DRAM words (of the
 * array's `wordBits`) per cycle per interface, from SCALE-Sim's reference array. Its `--set` paths follow
 * `schema.ts`. Size: 6 × 6 × 3 × 3 × 4 = 1296 points.
 */
export const systolicSweep: DesignSpaceSpec = {
  name: 'systolic-sweep',
  description: 'TPU-like array: rows and columns 8..256, ifmap and filter SRAM, DRAM words per cycle per interface',
  template: 'systolic',
  base: 'systolic-32x32',
  parameters: {
    rows: [8, 16, 32, 64, 128, 256],
    cols: [8, 16, 32, 64, 128, 256],
    'sram.ifmapKB': [64, 256, 1024],
    'sram.filterKB': [64, 256, 1024],
    'dram.bandwidth': [4, 8, 16, 32],
  },
};

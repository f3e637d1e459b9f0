import type { DesignSpaceSpec } from '@trim-dse/core';

/** A sweep around SCALE-Sim's 32×32 array: array shape, per-operand SRAM sizes and the dataflow (`trim explore --space systolic-sweep`). */
export const systolicSweep: DesignSpaceSpec = {
  name: 'systolic-sweep',
  description: 'Systolic arrays: rows × cols, ifmap/filter/ofmap SRAM sizes, ws/os/is',
  template: 'systolic',
  base: 'systolic-32x32',
  parameters: {
    rows: [8, 16, 32, 64, 128],
    cols: [8, 16, 32, 64, 128],
    'sram.ifmapKB': [32, 64, 128, 256],
    'sram.filterKB': [32, 64, 128, 256],
    'sram.ofmapKB': [32, 64, 128],
  },
  dataflows: ['ws', 'os', 'is'],
};

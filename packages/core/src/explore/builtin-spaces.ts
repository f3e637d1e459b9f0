import type { DesignSpaceSpec } from '../plugin.js';

/**
 * Built-in design spaces over the systolic and generic templates, as data (`spatial-sweep` and `fpga-<device>` are
 * registered by hw-spatial and hw-fpga). The templates' packages (or the CLI) register them; their `--set` paths
 * follow each template's spec and must be kept in step with it.
 * Sizes: systolic-sweep 6 × 6 × 3 × 3 × 4 = 1296 points; generic-sweep 5 × 5 × 4 × 3 = 300.
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

export const genericSweep: DesignSpaceSpec = {
  name: 'generic-sweep',
  description: 'Generic template: PE array x/y, global buffer words, register file words per PE',
  template: 'generic',
  base: 'generic-16x16',
  parameters: {
    'levels.glb.fanout.x': [4, 8, 16, 32, 64],
    'levels.glb.fanout.y': [4, 8, 16, 32, 64],
    'levels.glb.capacityWords': [16384, 65536, 262144, 1048576],
    'levels.rf.capacityWords': [16, 64, 256],
  },
};

export const builtinSpaces: readonly DesignSpaceSpec[] = [systolicSweep, genericSweep];

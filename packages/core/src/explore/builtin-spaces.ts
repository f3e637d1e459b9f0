import type { DesignSpaceSpec } from '../plugin.js';

/**
 * The built-in design space over the generic template, as data (`systolic-sweep`, `spatial-sweep` and
 * `fpga-<device>` are registered by hw-systolic, hw-spatial and hw-fpga). Its `--set` paths follow the generic
 * template's spec. Size: 5 × 5 × 4 × 3 = 300 points.
 */
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

export const builtinSpaces: readonly DesignSpaceSpec[] = [genericSweep];

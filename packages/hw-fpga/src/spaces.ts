import type { DesignSpaceSpec } from '@trim-dse/core';
import { DEVICES } from './devices.js';

/** Engine unrolls swept by the `fpga-<device>` spaces; points that overflow the device are infeasible. */
export const TM_VALUES = [4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512] as const;
export const TN_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32] as const;

/**
 * One space per built-in device: a single time-shared engine (Zhang's cross-layer unified unroll) with Tm × Tn
 * swept. Precision and clock are the user's (`--set precision=fp32 --set clockMHz=100`).
 */
export const fpgaSpaces: DesignSpaceSpec[] = Object.values(DEVICES).map((d) => ({
  name: `fpga-${d.key}`,
  description: `Tm × Tn unrolled engine on the ${d.board} (${d.part}); set precision and clockMHz`,
  template: 'fpga',
  base: { name: `fpga-${d.key}`, device: d.key, Tm: 1, Tn: 1, organisation: 'single-engine' },
  parameters: { Tm: [...TM_VALUES], Tn: [...TN_VALUES] },
}));

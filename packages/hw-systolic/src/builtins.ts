import type { SystolicSpecInput } from './schema.js';

/**
 * Google TPU v1 (N. Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit", ISCA 2017):
 * 256×256 8-bit MACs, weight-stationary; 700 MHz, 34 GB/s DDR3 and ≤ 331 mm² die (Table 2); 24 MiB unified buffer
 * for activations, 4 MiB of accumulators and a weight FIFO four 64 KiB tiles deep (Section 2).
 */
const tpuV1: SystolicSpecInput = {
  name: 'tpu-v1',
  rows: 256,
  cols: 256,
  dataflow: 'ws',
  clockMHz: 700,
  wordBits: 8,
  sram: { ifmapKB: 24 * 1024, filterKB: 256, ofmapKB: 4 * 1024 },
  dram: { bandwidth: { GBps: 34 }, interfaces: 'shared' },
  areaMm2: 331,
};

/**
 * SCALE-Sim v2's reference array (the config of validation/scalesim of the repository): 32×32, 64 KB per operand SRAM,
 * 1-byte words, DRAM as fast as needed (`InterfaceBandwidth: CALC`) with one interface per operand. SCALE-Sim has
 * no clock; 1 GHz is assumed for times.
 */
function scalesimLike(name: string, n: number, kB: number): SystolicSpecInput {
  return {
    name,
    rows: n,
    cols: n,
    dataflow: 'any',
    clockMHz: 1000,
    wordBits: 8,
    sram: { ifmapKB: kB, filterKB: kB, ofmapKB: kB },
    dram: { bandwidth: 'unbounded', interfaces: 'per-operand' },
  };
}

export const systolicBuiltins: Record<string, SystolicSpecInput> = {
  'tpu-v1': tpuV1,
  'systolic-8x8': scalesimLike('systolic-8x8', 8, 16),
  'systolic-32x32': scalesimLike('systolic-32x32', 32, 64),
  'systolic-128x128': scalesimLike('systolic-128x128', 128, 512),
};

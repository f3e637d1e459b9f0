import { BRAM18, M20K, URAM288, type MemoryBlockType } from './memory-blocks.js';

/** DSP block families: how many a MAC takes depends on it (see precision-table.ts). */
export type DspFamily = 'dsp48e1' | 'dsp48e2' | 'arria10-vp' | 'stratixv-vp';

export interface DdrChannel {
  readonly name: string;
  /** Data bits of the channel (ECC bits excluded). */
  readonly widthBits: number;
  /** Transfers per second, millions. */
  readonly megaTransfers: number;
}

/** One FPGA device on one board, as data: fabric resources and the board's external memory. */
export interface FpgaDevice {
  readonly key: string;
  readonly part: string;
  readonly board: string;
  readonly vendor: 'xilinx' | 'intel';
  readonly dspFamily: DspFamily;
  readonly dsp: number;
  /** The main block RAM: count of blocks of `blockRam.kind` (Xilinx in 18 Kb halves of a RAMB36). */
  readonly blockRam: { readonly type: MemoryBlockType; readonly count: number };
  /** UltraRAM blocks (0 when the device has none). */
  readonly uram: number;
  /**
   * Distributed (LUT) RAM, where the tools put memories too shallow for a block: banks of at most `depth` words
   * take `lutsPerBit` LUTs per bit of width (simple dual port: one port loads while the engine reads).
   */
  readonly lutRam: { readonly depth: number; readonly lutsPerBit: number };
  /** 6-input LUTs (Intel: two adaptive LUTs per ALM). */
  readonly lut: number;
  readonly ff: number;
  readonly ddr: readonly DdrChannel[];
  /** Where the figures come from. */
  readonly sources: readonly string[];
}

/** Peak bandwidth of one DDR channel, GB/s: data bits / 8 × transfers per second. */
export function channelGBps(c: DdrChannel): number {
  return (c.widthBits / 8) * c.megaTransfers * 1e-3;
}

export function deviceDdrGBps(d: FpgaDevice): number {
  return d.ddr.reduce((a, c) => a + channelGBps(c), 0);
}

export const DEVICES: Readonly<Record<string, FpgaDevice>> = {
  vc707: {
    key: 'vc707',
    part: 'Virtex-7 XC7VX485T',
    board: 'Xilinx VC707',
    vendor: 'xilinx',
    dspFamily: 'dsp48e1',
    dsp: 2800,
    blockRam: { type: BRAM18, count: 2060 },
    uram: 0,
    // UG474 (7 Series CLB): a SLICEM LUT is a 64 × 1 RAM; RAM64X1D (a write and a read port) takes 2 LUTs per bit.
    lutRam: { depth: 64, lutsPerBit: 2 },
    lut: 303600,
    ff: 607200,
    // UG885 (VC707 user guide): one 1 GB DDR3 SODIMM, 64-bit, 800 MHz clock (1600 MT/s).
    ddr: [{ name: 'ddr3-sodimm', widthBits: 64, megaTransfers: 1600 }],
    sources: ['DS180 7 Series FPGAs Data Sheet: Overview, Table 3 (Virtex-7 feature summary)', 'UG885 VC707 Evaluation Board User Guide (DDR3 SODIMM)'],
  },
  zc706: {
    key: 'zc706',
    part: 'Zynq-7000 XC7Z045',
    board: 'Xilinx ZC706',
    vendor: 'xilinx',
    dspFamily: 'dsp48e1',
    dsp: 900,
    blockRam: { type: BRAM18, count: 1090 },
    uram: 0,
    // UG474: RAM64X1D, 2 LUTs per bit of a 64-deep dual-port memory.
    lutRam: { depth: 64, lutsPerBit: 2 },
    lut: 218600,
    ff: 437200,
    // UG954 (ZC706 user guide): PL DDR3 SODIMM 64-bit at 1600 MT/s; PS DDR3 32-bit at 1066 MT/s.
    ddr: [
      { name: 'pl-ddr3', widthBits: 64, megaTransfers: 1600 },
      { name: 'ps-ddr3', widthBits: 32, megaTransfers: 1066 },
    ],
    sources: ['DS190 Zynq-7000 SoC Data Sheet: Overview, Table 1 (XC7Z045)', 'UG954 ZC706 Evaluation Board User Guide (PL and PS DDR3)'],
  },
  zcu102: {
    key: 'zcu102',
    part: 'Zynq UltraScale+ XCZU9EG',
    board: 'Xilinx ZCU102',
    vendor: 'xilinx',
    dspFamily: 'dsp48e2',
    dsp: 2520,
    blockRam: { type: BRAM18, count: 1824 },
    uram: 0,
    // UG574 (UltraScale CLB): RAM64X1D, 2 LUTs per bit of a 64-deep dual-port memory.
    lutRam: { depth: 64, lutsPerBit: 2 },
    lut: 274080,
    ff: 548160,
    // UG1182 (ZCU102 user guide): PS DDR4 SODIMM 64-bit, PL DDR4 16-bit components; peak rates as listed there.
    ddr: [
      { name: 'ps-ddr4', widthBits: 64, megaTransfers: 2133 },
      { name: 'pl-ddr4', widthBits: 16, megaTransfers: 2400 },
    ],
    sources: ['DS891 Zynq UltraScale+ MPSoC Data Sheet: Overview, Table 1 (ZU9EG)', 'UG1182 ZCU102 Evaluation Board User Guide (PS and PL DDR4)'],
  },
  u250: {
    key: 'u250',
    part: 'Alveo U250 (XCU250)',
    board: 'Xilinx Alveo U250',
    vendor: 'xilinx',
    dspFamily: 'dsp48e2',
    dsp: 12288,
    blockRam: { type: BRAM18, count: 5376 },
    uram: 1280,
    // UG574: RAM64X1D, 2 LUTs per bit of a 64-deep dual-port memory.
    lutRam: { depth: 64, lutsPerBit: 2 },
    lut: 1728000,
    ff: 3456000,
    // DS962: four 16 GB DDR4-2400 channels, 64 data bits each (77 GB/s total).
    ddr: [0, 1, 2, 3].map((i) => ({ name: `ddr4-${i}`, widthBits: 64, megaTransfers: 2400 })),
    sources: ['DS962 Alveo U200 and U250 Data Center Accelerator Cards Data Sheet, Table 1 and 2'],
  },
  arria10: {
    key: 'arria10',
    part: 'Intel Arria 10 GX 1150 (10AX115)',
    board: 'Intel Arria 10 GX FPGA Development Kit',
    vendor: 'intel',
    dspFamily: 'arria10-vp',
    dsp: 1518,
    blockRam: { type: M20K, count: 2713 },
    uram: 0,
    // Arria 10 Embedded Memory User Guide: an MLAB is 32 × 20 bits (simple dual port) in 10 ALMs = 20 ALUTs, 1 per bit.
    lutRam: { depth: 32, lutsPerBit: 1 },
    // 427,200 ALMs, two adaptive LUTs each.
    lut: 854400,
    ff: 1708800,
    // Development kit user guide: DDR4 (HiLo card) 72-bit with ECC = 64 data bits at 2133 MT/s.
    ddr: [{ name: 'ddr4-hilo', widthBits: 64, megaTransfers: 2133 }],
    sources: ['Intel Arria 10 Device Overview (A10-OVERVIEW), Arria 10 GX table (GX 1150)', 'Intel Arria 10 GX FPGA Development Kit User Guide (DDR4 HiLo)'],
  },
  de5net: {
    key: 'de5net',
    part: 'Intel (Altera) Stratix V GX A7 (5SGXEA7N2F45C2)',
    board: 'Terasic DE5-Net',
    vendor: 'intel',
    dspFamily: 'stratixv-vp',
    dsp: 256,
    blockRam: { type: M20K, count: 2560 },
    uram: 0,
    // Stratix V Device Handbook, "Embedded Memory Blocks": an MLAB is 32 × 20 bits (simple dual port) in 10 ALMs.
    lutRam: { depth: 32, lutsPerBit: 1 },
    // 234,720 ALMs (622 K LEs), two adaptive LUTs and four registers each.
    lut: 469440,
    ff: 938880,
    // DE5-Net user manual: two independent DDR3 SO-DIMM banks, 64-bit, 800 MHz clock (1600 MT/s).
    ddr: [
      { name: 'ddr3-a', widthBits: 64, megaTransfers: 1600 },
      { name: 'ddr3-b', widthBits: 64, megaTransfers: 1600 },
    ],
    sources: [
      'Stratix V Device Overview (SV51001), Stratix V GX table (5SGXA7: 622 K LEs, 234,720 ALMs, 938,880 registers, 2,560 M20K, 256 variable-precision DSP blocks)',
      'Terasic DE5-Net User Manual (two DDR3 SO-DIMM banks, 64-bit, 1600 MT/s)',
    ],
  },
};

export const DEVICE_KEYS = Object.keys(DEVICES) as readonly string[];

export function deviceByKey(key: string): FpgaDevice | undefined {
  return Object.hasOwn(DEVICES, key) ? DEVICES[key] : undefined;
}

/** UltraRAM type, for devices with `uram > 0`. */
export const URAM_TYPE = URAM288;

import type { SpatialSpecInput } from './schema.js';

/**
 * Eyeriss v1 (Chen et al., ISSCC 2016 14.5 and IEEE JSSC 52(1) 2017): 65 nm, 12×14 PEs, 16-bit, 200 MHz.
 * Every number below is from those papers except the MAC energy (derived).
 */
export const eyerissSpec: SpatialSpecInput = {
  name: 'eyeriss',
  clockMHz: 200, // JSSC 2017 Table V measurement conditions
  wordBits: 16,
  array: { rows: 12, cols: 14 },
  // PE scratchpads in words: filter 224, ifmap 12, psum 24 (JSSC 2017, PE architecture section). The filter spad is
  // an SRAM with one port, so a pass's weights load while the MAC waits; the psum from the PE below (or from the
  // buffer) is added by the PE's one adder, muxed with the multiplier's product (same section).
  rf: { weightsWords: 224, inputsWords: 12, outputsWords: 24, weightsSinglePort: true, psumArrivalsUseAdder: true },
  // 108 KB GLB: 100 KB in 25 banks of 4 KB for ifmaps and psums, 8 KB for filters (JSSC 2017; issue 4's numbers).
  glb: { weightsKB: 8, banks: 25, bankKB: 4, doubleBuffered: false },
  // Multicast NoC (JSSC 2017); energy charged per receiving PE, as in the ISCA 2016 framework that gives the 2× cost
  // (array-level accesses = buffer reads × PEs reached).
  noc: { mode: 'multicast', energyModel: 'per-transfer', chargePer: 'receiver' },
  // 64-bit DRAM link at 60 MHz in the measurements (JSSC 2017, measurement conditions) → 4 words × 60/200 = 1.2 words/cycle.
  // The link runs in its own clock domain behind an asynchronous FIFO, independently of the core (JSSC 2017, system
  // architecture): its transfers overlap the PEs' processing.
  dram: { busBits: 64, busMHz: 60, overlapCompute: true },
  energy: {
    // Derived, not fitted: 16-bit multiply ≈ 0.8 pJ and 32-bit add ≈ 0.1 pJ at 45 nm, 0.9 V (Horowitz, ISSCC 2014,
    // Fig. 1.1.9; 8-bit multiply 0.2 pJ × 4 by the square law), scaled by 65/45 for capacitance and (1.0/0.9)² for
    // Eyeriss's 1.0 V supply: 0.9 × 1.44 × 1.23 ≈ 1.6 pJ per 16-bit MAC at 65 nm.
    macPj: 1.6,
    // Normalised access energies RF 1×, inter-PE/NoC 2×, buffer 6×, DRAM 200× a MAC (Chen et al., ISCA 2016).
    relative: { rf: 1, noc: 2, glb: 6, dram: 200 },
    aluPj: 0.2,
  },
  // RLC: 5-bit run, 16-bit level, three pairs and a flag in a 64-bit word (JSSC 2017, compression section).
  dramRlc: { runBits: 5, levelBits: 16, codeWordBits: 64 },
  // Zero ifmap values gate the MAC and the filter spad read (JSSC 2017, data gating section).
  zeroGating: true,
  // Core 3.5 mm × 3.5 mm of a 4 mm × 4 mm die (JSSC 2017, chip summary).
  areaMm2: 12.25,
  // The chip's per-layer configurations come from an optimiser that minimises energy for the array (ISCA 2016's
  // framework, used for the JSSC 2017 mappings); `rs` offers only placements that fill the array as the chip does.
  mapperGoal: 'energy',
};

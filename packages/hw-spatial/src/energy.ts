import type { SpatialSpec } from './schema.js';

/** Per-word access energies of each part of the hierarchy (a word is `wordBits` wide), pJ. */
export interface AccessEnergiesPj {
  readonly rf: number;
  readonly noc: number;
  readonly glb: number;
  readonly dram: number;
}

/** Resolves the spec's energies to pJ per word: relative factors × macPj, or the absolute values. */
export function accessEnergiesPj(energy: SpatialSpec['energy']): AccessEnergiesPj {
  const rel = energy.relative;
  if (rel !== undefined) {
    return { rf: rel.rf * energy.macPj, noc: rel.noc * energy.macPj, glb: rel.glb * energy.macPj, dram: rel.dram * energy.macPj };
  }
  // The schema guarantees one of the two.
  return energy.absolutePj!;
}

/** Mean router hops from the buffer's port at the array edge to a PE: half the rows plus half the columns. */
export function meanHops(rows: number, cols: number): number {
  return (rows + cols) / 2;
}

/**
 * DRAM link in bytes per core cycle: busBits / 8 bytes per link cycle × link clock / core clock, or the spec's words
 * per cycle × bytes per word.
 */
export function dramBytesPerCycle(dram: SpatialSpec['dram'], wordBits: number, clockMHz: number): number {
  if (dram.wordsPerCycle !== undefined) return dram.wordsPerCycle * (wordBits / 8);
  return (dram.busBits! / 8) * (dram.busMHz! / clockMHz);
}

/**
 * 45 nm energy defaults per word access, from M. Horowitz, "Computing's energy problem (and what we can do about
 * it)", ISSCC 2014, Fig. 1.1.9, unless noted.
 */

/** Integer multiply + add per word width (8-bit: 0.2 + 0.03 pJ; 32-bit: 3.1 + 0.1 pJ; 16-bit: multiplier ∝ width², 3.1/4 + 0.05). */
export function defaultMacPj(wordBits: number): number {
  return wordBits === 8 ? 0.23 : wordBits === 16 ? 0.83 : 3.2;
}

/**
 * SRAM energy per word: Horowitz gives 10 pJ (8 KB), 20 pJ (32 KB) and 100 pJ (1 MB) per 64-bit access, which
 * E64 = 10 pJ · √(KB / 8) fits within 15 %; a word of `wordBits` costs E64 · wordBits / 64.
 */
export function defaultSramPj(kB: number, wordBits: number): number {
  return ((10 * Math.sqrt(kB / 8)) * wordBits) / 64;
}

/** DRAM: 1.3–2.6 nJ per 64-bit access; the midpoint 1.95 nJ scaled to the word. */
export function defaultDramPj(wordBits: number): number {
  return (1950 * wordBits) / 64;
}

/**
 * Latching one word into a PE's pipeline register. Assumption (no direct figure in Horowitz): a word of flip-flops
 * costs about an add of the same width (8-bit 0.03 pJ, 32-bit 0.1 pJ; 16-bit 0.05 pJ). Reading the register to feed
 * the MAC is part of the multiply-add figure, so register reads cost nothing extra.
 */
export function defaultPeRegisterPj(wordBits: number): number {
  return defaultAluPj(wordBits);
}

/** A vector ALU op: an add of the word (8-bit 0.03 pJ, 32-bit 0.1 pJ; 16-bit taken as 0.05 pJ). */
export function defaultAluPj(wordBits: number): number {
  return wordBits === 8 ? 0.03 : wordBits === 16 ? 0.05 : 0.1;
}

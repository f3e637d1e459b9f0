/**
 * On-chip memory blocks of an FPGA and how many a buffer bank takes. A bank of `words` × `bits` is built from
 * blocks of one aspect ratio (depth × width); the tools pick the ratio that needs the fewest blocks.
 */
export interface BlockConfig {
  readonly depth: number;
  readonly width: number;
}

export interface MemoryBlockType {
  /** `bram18` (Xilinx RAMB18, half a RAMB36), `uram288` (Xilinx UltraRAM), `m20k` (Intel). */
  readonly kind: 'bram18' | 'uram288' | 'm20k';
  readonly bits: number;
  /** Aspect ratios with one read and one write port (simple dual port). */
  readonly configs: readonly BlockConfig[];
}

/** RAMB18E1/E2 aspect ratios, simple dual-port (7 Series UG473 Table 1-7; UltraScale UG573 Table 1-4). */
export const BRAM18: MemoryBlockType = {
  kind: 'bram18',
  bits: 18 * 1024,
  configs: [
    { depth: 16384, width: 1 },
    { depth: 8192, width: 2 },
    { depth: 4096, width: 4 },
    { depth: 2048, width: 9 },
    { depth: 1024, width: 18 },
    { depth: 512, width: 36 },
  ],
};

/** UltraRAM: 4K × 72 only (UltraScale Architecture Memory Resources UG573, "UltraRAM"). */
export const URAM288: MemoryBlockType = {
  kind: 'uram288',
  bits: 288 * 1024,
  configs: [{ depth: 4096, width: 72 }],
};

/** M20K simple dual-port ratios (Intel Arria 10 Embedded Memory User Guide, "M20K" configurations). */
export const M20K: MemoryBlockType = {
  kind: 'm20k',
  bits: 20 * 1024,
  configs: [
    { depth: 16384, width: 1 },
    { depth: 8192, width: 2 },
    { depth: 4096, width: 5 },
    { depth: 2048, width: 10 },
    { depth: 1024, width: 20 },
    { depth: 512, width: 40 },
  ],
};

/** Blocks one bank of `words` words of `bits` bits needs: min over aspect ratios of ⌈words/depth⌉·⌈bits/width⌉. */
export function blocksForBank(words: number, bits: number, type: MemoryBlockType): number {
  if (words <= 0) return 0;
  let best = Infinity;
  for (const c of type.configs) {
    const n = Math.ceil(words / c.depth) * Math.ceil(bits / c.width);
    if (n < best) best = n;
  }
  return best;
}

/** Words of `bits` bits that `blocks` blocks hold as one bank (the deepest fill at that word width). */
export function wordsInBlocks(blocks: number, bits: number, type: MemoryBlockType): number {
  let best = 0;
  for (const c of type.configs) {
    const perWord = Math.ceil(bits / c.width);
    if (perWord > blocks) continue;
    const words = Math.floor(blocks / perWord) * c.depth;
    if (words > best) best = words;
  }
  return best;
}

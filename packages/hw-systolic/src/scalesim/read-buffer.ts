/**
 * SCALE-Sim's SRAM read buffers in bandwidth-estimation mode (`InterfaceBandwidth: CALC`), as a cache rule:
 * the buffer is split in 100 sets of ⌊words/100⌋ words, half of them active, so one "epoch" holds
 * E = 50·⌊words/100⌋ distinct words. A request is a hit when its word was already fetched in the current epoch;
 * otherwise it is fetched from DRAM and joins the epoch; when the epoch is full it is dropped whole and a new, empty
 * one starts. DRAM reads are the misses.
 */
export function epochWords(sramWords: number): number {
  return Math.max(1, 50 * Math.floor(sramWords / 100));
}

/**
 * Exact misses of that rule for a stream of disjoint blocks whose words are always visited in the same order
 * (filter blocks of a fold; ifmap blocks of GEMMs and of convolutions whose windows do not overlap). Per block it
 * keeps which suffix of its visit order is in the current epoch. Scratch arrays are module-level (no allocation
 * once grown).
 */
let blockEpoch = new Float64Array(64);
let blockFrom = new Float64Array(64);
let capacity = 1;
let epoch = 1;
let held = 0;
let misses = 0;

export function blocksStart(epochCapacity: number, blocks: number): void {
  if (blockEpoch.length < blocks) {
    blockEpoch = new Float64Array(blocks * 2);
    blockFrom = new Float64Array(blocks * 2);
  }
  blockEpoch.fill(0, 0, blocks);
  capacity = epochCapacity;
  epoch = 1;
  held = 0;
  misses = 0;
}

/** Visits block `b` of `words` words. */
export function blocksVisit(b: number, words: number): void {
  const from = blockEpoch[b] === epoch ? blockFrom[b] : words;
  const room = capacity - held;
  if (from < room) {
    misses += from;
    held += from;
    blockEpoch[b] = epoch;
    blockFrom[b] = 0;
    return;
  }
  // The epoch fills inside this block: everything after that point misses, with a flush every `capacity` words.
  misses += words;
  const rest = words - room;
  const flushes = Math.floor(rest / capacity);
  epoch += 1 + flushes;
  held = rest - flushes * capacity;
  if (held > 0) {
    blockEpoch[b] = epoch;
    blockFrom[b] = words - held;
  }
}

export function blocksMisses(): number {
  return misses;
}

/**
 * Misses of `passes` sweeps over `blocks` blocks (block sizes: `full` words, the last one `last`), each visit repeated
 * `repeat` times back to back.
 */
export function sweepMisses(epochCapacity: number, blocks: number, full: number, last: number, passes: number, repeat: number): number {
  blocksStart(epochCapacity, blocks);
  for (let p = 0; p < passes; p++) {
    for (let b = 0; b < blocks; b++) {
      const w = b === blocks - 1 ? last : full;
      for (let r = 0; r < repeat; r++) blocksVisit(b, w);
    }
  }
  return misses;
}

/**
 * The write buffer in CALC mode: every ofmap word the array writes goes to DRAM; a drain is triggered above half the
 * buffer (D = words − ⌈words/2⌉) and the first one closes a partly filled line of `lineWords` (= array columns) that
 * is later drained whole, so above D + 1 writes the count grows by the missing part of that line.
 */
export function ofmapDramWrites(writes: number, sramWords: number, lineWords: number): number {
  const drain = sramWords - Math.ceil(sramWords / 2);
  if (writes <= drain + 1) return writes;
  const part = (drain + 1) % lineWords;
  return part === 0 ? writes : writes + lineWords - part;
}

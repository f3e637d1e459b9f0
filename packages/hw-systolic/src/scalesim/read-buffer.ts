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

/** (a · b) mod m for whole numbers a, b < m < 2³¹ without leaving the exact range of doubles (a · b may pass 2⁵³). */
function mulMod(a: number, b: number, m: number): number {
  const hi = Math.floor(b / 65536);
  const lo = b - hi * 65536;
  return (((a * hi) % m) * 65536 + a * lo) % m;
}

/**
 * `repeat` back-to-back visits of block `b` (`words` words). Exact shortcuts keep this O(1) whatever the repeat count:
 * a visit that misses nothing leaves the state as it was (the rest hit too); a block of at least an epoch misses
 * whole at every visit, the epoch advancing by `words` each time (held ← (held + words) mod E).
 */
function blockVisits(b: number, words: number, repeat: number): void {
  for (let r = 0; r < repeat; r++) {
    const before = misses;
    blocksVisit(b, words);
    if (misses === before) return;
    if (words >= capacity && r + 1 < repeat) {
      const left = repeat - r - 1;
      misses += left * words;
      held = (held + mulMod(left % capacity, words % capacity, capacity)) % capacity;
      epoch += 1;
      if (held > 0) {
        blockEpoch[b] = epoch;
        blockFrom[b] = words - held;
      }
      return;
    }
  }
}

/**
 * `count` groups of `repeat` ≥ 2 back-to-back visits of distinct blocks of `words` words, each group starting from a
 * whole miss (its block left the epoch since it was last visited). In O(1) whatever the count:
 * - words ≥ E: every visit misses whole and the epoch advances by `words` (held ← (held + words) mod E);
 * - words < E: a group either fits in the epoch (misses `words`, held += words) or straddles a flush (its first visit
 *   misses whole, ending with held′ = held + words − E of its words in the new epoch; its second visit misses the
 *   other words − held′, and then held = words): from then on the groups repeat with a period of ⌈E / words⌉ groups.
 */
function freshGroups(count: number, words: number, repeat: number): void {
  if (count <= 0) return;
  if (repeat === 1) {
    misses += count * words;
    held = (held + mulMod(count % capacity, words % capacity, capacity)) % capacity;
    epoch += 1;
    return;
  }
  if (words >= capacity) {
    misses += count * repeat * words;
    held = (held + mulMod(mulMod(count % capacity, repeat % capacity, capacity), words % capacity, capacity)) % capacity;
    epoch += 1;
    return;
  }
  // Groups that fit before the first straddle: held + (j + 1) · words < E.
  const fitting = (h: number) => Math.max(0, Math.ceil((capacity - h) / words) - 1);
  let left = count;
  const before = Math.min(left, fitting(held));
  misses += before * words;
  held += before * words;
  left -= before;
  if (left === 0) return;
  const straddle = (h: number) => 2 * words - (h + words - capacity);
  misses += straddle(held);
  held = words;
  left -= 1;
  // From held = words on: `fit` fitting groups then one straddling group, over and over.
  const fit = fitting(words);
  const period = fit + 1;
  const perPeriod = fit * words + straddle(words + fit * words);
  const periods = Math.floor(left / period);
  misses += periods * perPeriod;
  left -= periods * period;
  // The rest (fewer than a period) all fit: held stays below E − words.
  misses += left * words;
  held += left * words;
  epoch += 1;
}

/**
 * Misses of `passes` sweeps over `blocks` blocks (block sizes: `full` words, the last one `last`), each visit repeated
 * `repeat` times back to back.
 *
 * When the words of one sweep, the largest block left out, fill an epoch (W − w_max ≥ E), every block's first visit
 * of a sweep misses whole: between two sweeps' visits of a block the others bring at least E new words, so the epoch
 * turned over. With single visits that is W misses per sweep, in closed form; with repeats the block groups are
 * visited without per-block state. Otherwise the sweep is short (fewer than E / full + 2 blocks) and is simulated.
 * Either way time and memory stay bounded for any size (a 2³¹-row GEMM has 2²⁶ blocks).
 */
export function sweepMisses(epochCapacity: number, blocks: number, full: number, last: number, passes: number, repeat: number): number {
  const total = (blocks - 1) * full + last;
  const largest = full > last ? full : last;
  if (total - largest >= epochCapacity) {
    if (repeat === 1) return passes * total;
    blocksStart(epochCapacity, 1);
    for (let p = 0; p < passes; p++) {
      freshGroups(blocks - 1, full, repeat);
      freshGroups(1, last, repeat);
    }
    return misses;
  }
  blocksStart(epochCapacity, blocks);
  for (let p = 0; p < passes; p++) {
    for (let b = 0; b < blocks; b++) blockVisits(b, b === blocks - 1 ? last : full, repeat);
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

/**
 * ZigZag counts a memory's accesses in words of its port: moving n elements of p bits through a port of
 * `bandwidth_min`..`bandwidth_max` bits takes ceil(n·p / min) · min / max accesses per transfer period
 * (`CostModelEvaluation._calc_memory_access`, ZigZag 3.8.5), each charged `r_cost` or `w_cost`. TRIM counts elements.
 * When a transfer is a whole number of `bandwidth_min` granules (every tile of the shared inputs at 8-bit operands
 * and 64-bit granules), the two agree through:
 *   ZigZag accesses = TRIM elements × p / bandwidth_max,   energy per element = cost × p / bandwidth_max.
 * A transfer that is not (a 3-channel input row of 8-bit words through a 64-bit port) costs ZigZag up to one
 * granule more per period; TRIM charges the elements moved.
 */

/** Energy per element (word) of `wordBits`, pJ, for a cost per access of a `portBits`-wide port. */
export function readEnergyPerWordPj(costPerAccessPj: number, wordBits: number, portBits: number): number {
  return (costPerAccessPj * wordBits) / portBits;
}

/** ZigZag's word accesses for TRIM's element count (transfers whole in `bandwidth_min` granules). */
export function zigzagWordAccesses(elements: number, elementBits: number, portMaxBits: number): number {
  return (elements * elementBits) / portMaxBits;
}

/** ZigZag's accesses for one transfer period of `elements` through a port of `minBits`..`maxBits`. */
export function zigzagAccessesPerPeriod(elements: number, elementBits: number, minBits: number, maxBits: number): number {
  if (elements === 0) return 0;
  return (Math.ceil((elements * elementBits) / minBits) * minBits) / maxBits;
}

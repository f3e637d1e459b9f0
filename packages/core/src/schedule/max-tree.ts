/**
 * A segment tree over op indices with range add and range max (lazy propagation): the placement asks, per tensor,
 * whether it fits at every op of its lifetime and then books it there. Scanning each lifetime op by op was quadratic
 * in the op count (a training step's stash lives from the forward pass to the backward one: 100 k-layer networks
 * took minutes); with the tree each tensor costs O(log ops). Values are byte counts: sums of integers below 2⁵³ are
 * exact in any order, so the tree answers what the scan did.
 */
export class MaxTree {
  private readonly size: number;
  private readonly max: Float64Array;
  private readonly add: Float64Array;

  constructor(values: ArrayLike<number>) {
    let size = 1;
    while (size < Math.max(1, values.length)) size *= 2;
    this.size = size;
    this.max = new Float64Array(2 * size).fill(-Infinity);
    this.add = new Float64Array(2 * size);
    for (let i = 0; i < values.length; i++) this.max[size + i] = values[i];
    for (let n = size - 1; n >= 1; n--) this.max[n] = Math.max(this.max[2 * n], this.max[2 * n + 1]);
  }

  /** The largest value over indices [from, to] (inclusive). */
  rangeMax(from: number, to: number): number {
    return this.query(1, 0, this.size - 1, from, to);
  }

  /** Adds `v` to every value over [from, to] (inclusive). */
  rangeAdd(from: number, to: number, v: number): void {
    this.update(1, 0, this.size - 1, from, to, v);
  }

  private query(n: number, lo: number, hi: number, from: number, to: number): number {
    if (to < lo || hi < from) return -Infinity;
    if (from <= lo && hi <= to) return this.max[n];
    const mid = (lo + hi) >> 1;
    return this.add[n] + Math.max(this.query(2 * n, lo, mid, from, to), this.query(2 * n + 1, mid + 1, hi, from, to));
  }

  private update(n: number, lo: number, hi: number, from: number, to: number, v: number): void {
    if (to < lo || hi < from) return;
    if (from <= lo && hi <= to) {
      this.max[n] += v;
      this.add[n] += v;
      return;
    }
    const mid = (lo + hi) >> 1;
    this.update(2 * n, lo, mid, from, to, v);
    this.update(2 * n + 1, mid + 1, hi, from, to, v);
    this.max[n] = this.add[n] + Math.max(this.max[2 * n], this.max[2 * n + 1]);
  }
}

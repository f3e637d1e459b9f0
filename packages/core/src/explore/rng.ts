/**
 * Small seeded PRNG for search strategies: mulberry32 (32-bit state, one multiply-xorshift per draw). Deterministic
 * across platforms (integer arithmetic only), so the same seed gives the same search on every machine.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that small consecutive seeds give unrelated streams.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 4294967296) return Math.floor(this.next() * n);
    // Beyond 32 bits: 53 random bits.
    return Math.floor((Math.floor(this.next() * 2097152) * 4294967296 + Math.floor(this.next() * 4294967296)) / 9007199254740992 * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** The current state, to save and restore a stream. */
  get position(): number {
    return this.state;
  }
}

/** A seeded Rng (mulberry32). */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}

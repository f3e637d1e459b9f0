/**
 * Divisors come from a prime factorisation: trial division by the primes below 2¹⁶, then (for a cofactor above
 * 2³²) Miller–Rabin and Pollard's rho in BigInt, so that any bound up to 2⁵³ factors in milliseconds — trial
 * division alone takes seconds on a large prime, and loop bounds come from files anyone writes.
 */

const SMALL_PRIME_LIMIT = 1 << 16;
let smallPrimes: number[] | undefined;

function primesBelow(limit: number): number[] {
  const sieve = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (sieve[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += i) sieve[j] = 1;
  }
  return out;
}

function mulMod(a: bigint, b: bigint, m: bigint): bigint {
  return (a * b) % m;
}

function powMod(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = mulMod(r, b, m);
    b = mulMod(b, b, m);
    e >>= 1n;
  }
  return r;
}

/** Miller–Rabin with the first 12 primes as bases: deterministic for every n below 3.3·10²⁴ (so every double). */
function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];
  for (const p of bases) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  outer: for (const a of bases) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = mulMod(x, x, n);
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** A non-trivial factor of a composite n (Pollard's rho, Brent's variant). */
function rho(n: bigint): bigint {
  if (n % 2n === 0n) return 2n;
  for (let c = 1n; ; c++) {
    let y = 2n;
    let x = 2n;
    let g = 1n;
    let q = 1n;
    let ys = 2n;
    const f = (v: bigint) => (v * v + c) % n;
    for (let r = 1n; g === 1n; r *= 2n) {
      x = y;
      for (let i = 0n; i < r; i++) y = f(y);
      for (let k = 0n; k < r && g === 1n; k += 128n) {
        ys = y;
        const lim = r - k < 128n ? r - k : 128n;
        for (let i = 0n; i < lim; i++) {
          y = f(y);
          q = mulMod(q, x > y ? x - y : y - x, n);
        }
        g = gcd(q, n);
      }
    }
    if (g === n) {
      do {
        ys = f(ys);
        g = gcd(x > ys ? x - ys : ys - x, n);
      } while (g === 1n);
    }
    if (g !== n) return g;
  }
}

function factorBig(n: bigint, out: Map<number, number>): void {
  if (n === 1n) return;
  if (isPrime(n)) {
    const p = Number(n);
    out.set(p, (out.get(p) ?? 0) + 1);
    return;
  }
  const d = rho(n);
  factorBig(d, out);
  factorBig(n / d, out);
}

/** Prime factorisation of a positive safe integer: prime → exponent, primes in increasing order. */
export function primeFactors(n: number): Map<number, number> {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`primeFactors: ${n} is not a positive safe integer`);
  smallPrimes ??= primesBelow(SMALL_PRIME_LIMIT);
  const out = new Map<number, number>();
  let m = n;
  for (const p of smallPrimes) {
    if (p * p > m) break;
    while (m % p === 0) {
      out.set(p, (out.get(p) ?? 0) + 1);
      m /= p;
    }
  }
  if (m > 1) {
    // What is left has no prime factor below 2¹⁶: a prime when below 2³², else factored in BigInt.
    if (m < SMALL_PRIME_LIMIT * SMALL_PRIME_LIMIT) out.set(m, (out.get(m) ?? 0) + 1);
    else factorBig(BigInt(m), out);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

// Every number below 2⁵³ has at most 41,472 divisors (the largest highly composite one below it), so a list of
// divisors is bounded whatever the bound.
const divisorsMemo = new Map<number, readonly number[]>();
const MEMO_ENTRIES = 4096;

function divisorList(n: number): readonly number[] {
  const hit = divisorsMemo.get(n);
  if (hit) return hit;
  // Above 2⁵³ doubles skip integers, so divisibility means nothing: such a bound is tiled whole or not at all.
  if (!Number.isSafeInteger(n)) return n > 1 ? [1, n] : [1];
  let out = [1];
  for (const [p, e] of primeFactors(n)) {
    const next: number[] = [];
    for (const d of out) for (let k = 0, v = d; k <= e; k++, v *= p) next.push(v);
    out = next;
  }
  out.sort((a, b) => a - b);
  if (divisorsMemo.size >= MEMO_ENTRIES) divisorsMemo.clear();
  divisorsMemo.set(n, out);
  return out;
}

/** Divisors of n in increasing order, from its prime factorisation. */
export function divisors(n: number): number[] {
  return divisorList(n).slice();
}

/** The smallest divisor of n that is at least `want` (n itself when none smaller is). */
export function smallestDivisorAtLeast(n: number, want: number): number {
  for (const d of divisorList(n)) if (d >= want) return d;
  return n;
}

const candidatesMemo = new Map<number, Map<number, readonly number[]>>();

/**
 * Tile-factor candidates for a loop of `n` iterations: its divisors, thinned to at most `max` values spread
 * geometrically (always keeping 1 and n), so that large bounds do not blow up the mapspace. Memoised: the mapspace
 * asks for the same few bounds at every level of every candidate (the result is shared: do not mutate it).
 */
export function factorCandidates(n: number, max = 8): readonly number[] {
  let byMax = candidatesMemo.get(max);
  if (!byMax) {
    byMax = new Map();
    candidatesMemo.set(max, byMax);
  }
  const hit = byMax.get(n);
  if (hit !== undefined) return hit;
  const out = thinnedDivisors(n, max);
  if (byMax.size >= MEMO_ENTRIES) byMax.clear();
  byMax.set(n, out);
  return out;
}

function thinnedDivisors(n: number, max: number): number[] {
  const all = divisorList(n);
  if (all.length <= max) return all.slice();
  const out = [1];
  const steps = max - 1;
  for (let i = 1; i < steps; i++) {
    const target = n ** (i / steps);
    let best = all[0];
    for (const d of all) if (Math.abs(Math.log(d / target)) < Math.abs(Math.log(best / target))) best = d;
    if (best !== out[out.length - 1] && best !== n) out.push(best);
  }
  out.push(n);
  return out;
}

/** ceil(a / b) for positive integers. */
export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** Divisors of n in increasing order. */
export function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      small.push(i);
      if (i * i !== n) large.push(n / i);
    }
  }
  return small.concat(large.reverse());
}

const candidatesMemo = new Map<number, readonly number[]>();

/**
 * Tile-factor candidates for a loop of `n` iterations: its divisors, thinned to at most `max` values spread
 * geometrically (always keeping 1 and n), so that large bounds do not blow up the mapspace. Memoised: the mapspace
 * asks for the same few bounds at every level of every candidate (the result is shared: do not mutate it).
 */
export function factorCandidates(n: number, max = 8): readonly number[] {
  const key = n * 64 + max;
  const hit = candidatesMemo.get(key);
  if (hit !== undefined) return hit;
  const out = thinnedDivisors(n, max);
  candidatesMemo.set(key, out);
  return out;
}

function thinnedDivisors(n: number, max: number): number[] {
  const all = divisors(n);
  if (all.length <= max) return all;
  const out = [1];
  const steps = max - 1;
  for (let i = 1; i < steps; i++) {
    const target = Math.pow(n, i / steps);
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

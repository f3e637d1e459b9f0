/**
 * Tile sizes worth trying along one axis of `n`: for each tile count t = 1..n the smallest tile ⌈n/t⌉ giving it
 * (a larger tile with the same count only pads). About 2·√n values, largest first.
 */
export function tileCandidates(n: number): number[] {
  const out: number[] = [];
  let last = 0;
  for (let t = 1; t <= n; t++) {
    const size = Math.ceil(n / t);
    if (size !== last) {
      out.push(size);
      last = size;
    }
  }
  return out;
}

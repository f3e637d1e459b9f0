/**
 * A brute-force reference for the analytic engine: it really iterates the loop nest on tiny ops, materialises every
 * tile as a set of element coordinates, tracks what each buffer instance holds, and counts every access. It shares
 * no formula with the engine: footprints, unions (multicast), reloads and first touches are all counted from sets.
 */
import { Cost, evaluate, type HardwareModel, type MacOp, type Mapping } from '../src/index.js';

interface Loop {
  level: number;
  dim: number;
  bound: number;
  spatial: boolean;
  /** Weight of one step of this loop in the dim's global index. */
  radix: number;
}

function buildLoops(m: Mapping): Loop[] {
  const loops: Loop[] = [];
  const D = m.dims;
  for (let l = m.levels - 1; l >= 0; l--) {
    for (let i = 0; i < D; i++) {
      const d = m.order[l * D + i];
      loops.push({ level: l, dim: d, bound: m.temporal[l * D + d], spatial: false, radix: 0 });
    }
    for (let d = 0; d < D; d++) {
      loops.push({ level: l, dim: d, bound: m.spatialX[l * D + d], spatial: true, radix: 0 });
      loops.push({ level: l, dim: d, bound: m.spatialY[l * D + d], spatial: true, radix: 0 });
    }
  }
  // Radix: product of the bounds of the same dim's loops inside this one.
  for (let i = loops.length - 1; i >= 0; i--) {
    let r = 1;
    for (let j = i + 1; j < loops.length; j++) if (loops[j].dim === loops[i].dim) r *= loops[j].bound;
    loops[i].radix = r;
  }
  return loops;
}

function elementKey(op: MacOp, slot: number, g: number[]): string {
  const operand = op.operands[slot];
  if (operand.axes) return operand.axes.map((a) => a.terms.reduce((x, t) => x + t.coeff * g[t.dim], 0)).join(',');
  const [n, gg, k, c, p, q, r, s] = g;
  switch (operand.projection) {
    case 'filter':
      return `${gg},${k},${c},${r},${s}`;
    case 'output':
      return `${n},${gg},${k},${p},${q}`;
    case 'window':
      return `${n},${gg},${c},${p * op.strideH + r * op.dilationH},${q * op.strideW + s * op.dilationW}`;
    default:
      throw new Error(`operand ${slot} has neither axes nor a projection`);
  }
}

/** All index tuples of a list of loops (odometer order, first loop outermost). */
function* odometer(loops: readonly Loop[]): Generator<number[]> {
  const idx = new Array<number>(loops.length).fill(0);
  if (loops.some((l) => l.bound === 0)) return;
  while (true) {
    yield idx.slice();
    let i = loops.length - 1;
    while (i >= 0) {
      idx[i]++;
      if (idx[i] < loops[i].bound) break;
      idx[i] = 0;
      i--;
    }
    if (i < 0) return;
  }
}

function globalIndex(loops: readonly Loop[], idx: readonly number[], into: number[]): void {
  for (let i = 0; i < loops.length; i++) into[loops[i].dim] += idx[i] * loops[i].radix;
}

export interface SimCounts {
  reads: number[];
  writes: number[];
  computeCycles: number;
}

/** Relevance of a dim to a projection, decided from the element key (does changing it change the key?). */
function relevant(op: MacOp, slot: number, dim: number): boolean {
  const base = new Array<number>(op.bounds.length).fill(0);
  const moved = base.slice();
  moved[dim] = 1;
  return elementKey(op, slot, base) !== elementKey(op, slot, moved);
}

export function simulate(op: MacOp, _hw: HardwareModel, m: Mapping): SimCounts {
  const L = m.levels;
  const loops = buildLoops(m);
  const reads = new Array<number>(L * 3).fill(0);
  const writes = new Array<number>(L * 3).fill(0);
  let computeCycles = 1;
  for (const l of loops) if (!l.spatial) computeCycles *= l.bound;

  for (let t = 0; t < 3; t++) {
    const isOut = t === 2;
    let c = -1;
    for (let p = 0; p < L; p++) {
      if (!m.keep[p * 3 + t]) continue;
      // Loops that select a parent instance (spatial above p), time steps (temporal above c), children under the
      // parent (spatial between c and p), and the child's own tile (everything at or below c).
      const instanceLoops = loops.filter((l) => l.spatial && l.level > p);
      const timeLoops = loops.filter((l) => !l.spatial && l.level > c);
      const childLoops = loops.filter((l) => l.spatial && l.level > c && l.level <= p);
      const tileLoops = loops.filter((l) => l.level <= c);
      const innerRel = [...timeLoops].reverse().find((l) => l.bound > 1 && relevant(op, t, l.dim));
      for (const inst of odometer(instanceLoops)) {
        const childPrev = new Map<string, Set<string>>();
        const childSeen = new Map<string, Set<string>>();
        let groupPrev: Set<string> | null = null;
        const groupWritten = new Set<string>();
        let prevTime: number[] | null = null;
        for (const time of odometer(timeLoops)) {
          // Which loop advanced since the previous step (the innermost index that changed upwards).
          let advanced: Loop | undefined;
          if (prevTime) for (let i = time.length - 1; i >= 0; i--) if (time[i] !== prevTime[i]) { advanced = time[i] > prevTime[i] ? timeLoops[i] : undefined; if (time[i] > prevTime[i]) break; }
          const slide = advanced !== undefined && advanced === innerRel;
          // A tile is reloaded when a relevant loop index changes (coincidental aliasing of window coordinates,
          // e.g. stride = dilation, is not exploited: the engine's documented model).
          const relevantChanged = prevTime === null || timeLoops.some((l, i) => l.bound > 1 && relevant(op, t, l.dim) && time[i] !== prevTime![i]);
          const group = new Set<string>();
          for (const child of odometer(childLoops)) {
            const tileSet = new Set<string>();
            for (const inner of odometer(tileLoops)) {
              const g = new Array<number>(op.bounds.length).fill(0);
              globalIndex(instanceLoops, inst, g);
              globalIndex(timeLoops, time, g);
              globalIndex(childLoops, child, g);
              globalIndex(tileLoops, inner, g);
              tileSet.add(elementKey(op, t, g));
            }
            for (const e of tileSet) group.add(e);
            if (c < 0) continue;
            const ck = child.join(',');
            const prev = childPrev.get(ck);
            if (prev !== undefined && !relevantChanged) continue;
            if (isOut) {
              const seen = childSeen.get(ck) ?? new Set<string>();
              if (prev) reads[c * 3 + t] += prev.size; // drain the evicted psum tile upwards
              let refill = 0;
              for (const e of tileSet) if (seen.has(e)) refill++;
              writes[c * 3 + t] += refill;
              for (const e of tileSet) seen.add(e);
              childSeen.set(ck, seen);
            } else {
              let fetched = tileSet.size;
              if (slide && prev) fetched = [...tileSet].filter((e) => !prev.has(e)).length;
              writes[c * 3 + t] += fetched;
            }
            childPrev.set(ck, tileSet);
          }
          const groupSame = c >= 0 && groupPrev !== null && !relevantChanged;
          if (!groupSame) {
            if (isOut) {
              let refill = 0;
              for (const e of group) if (groupWritten.has(e)) refill++;
              reads[p * 3 + t] += refill;
              writes[p * 3 + t] += group.size;
              for (const e of group) groupWritten.add(e);
            } else {
              let fetched = group.size;
              if (c >= 0 && slide && groupPrev) fetched = [...group].filter((e) => !groupPrev!.has(e)).length;
              reads[p * 3 + t] += fetched;
            }
          }
          groupPrev = group;
          prevTime = time;
        }
        if (isOut && c >= 0) for (const last of childPrev.values()) reads[c * 3 + t] += last.size; // final drain
      }
      c = p;
    }
  }
  return { reads, writes, computeCycles };
}

/**
 * Completes a generated mapping of a 3-level hierarchy (the top level takes what the two below leave of each bound;
 * `orders` per level, `keep` for the two lower levels), prices it with the engine and returns both the engine's cost
 * and the simulator's counts (the property tests compare them).
 */
export function engineAndSim(
  op: MacOp,
  hw: HardwareModel,
  m: Mapping,
  s: { readonly orders: readonly (readonly number[])[]; readonly keep: readonly boolean[] },
): { cost: Cost; sim: SimCounts } {
  const D = m.dims;
  for (let d = 0; d < D; d++) {
    let inner = 1;
    for (let l = 0; l < 2; l++) inner *= m.temporal[l * D + d] * m.spatialX[l * D + d] * m.spatialY[l * D + d];
    m.temporal[2 * D + d] = Math.ceil(op.bounds[d] / inner);
  }
  for (let l = 0; l < 3; l++) for (let i = 0; i < D; i++) m.order[l * D + i] = s.orders[l][i];
  for (let l = 0; l < 2; l++) for (let t = 0; t < 3; t++) m.keep[l * 3 + t] = s.keep[l * 3 + t] ? 1 : 0;
  return { cost: evaluate(op, hw, m, new Cost(3)), sim: simulate(op, hw, m) };
}

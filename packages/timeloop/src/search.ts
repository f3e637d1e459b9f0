import { Cost, defineDataflow, DIM_COUNT, divisors, emptyMapping, Illegal, RELEVANT, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import { z } from 'zod';
import type { ArchConstraints } from './constraints.js';
import { timeloopConstraintsOf } from './cost-model.js';

const MASK = [RELEVANT.filter, RELEVANT.window, RELEVANT.output];

export const searchConfigSchema = z
  .object({
    /** The budget: at most this many mappings are proposed per op (the space is searched fully below it). */
    maxMappings: z.number().int().positive().max(1e12).default(200_000),
  })
  .strict();
export type SearchConfig = z.infer<typeof searchConfigSchema>;

/** One place a dim's factor can go: level `l`'s temporal loops (axis 0) or its fanout along x (1) or y (2). */
interface Slot {
  readonly l: number;
  readonly axis: 0 | 1 | 2;
  /** The factor the constraints require here (-1 free). */
  readonly forced: number;
}

/** All permutations of 0..k-1, each as k entries, innermost first. */
function permutations(k: number): Int8Array[] {
  if (k === 0) return [new Int8Array(0)];
  const out: Int8Array[] = [];
  for (const p of permutations(k - 1)) {
    for (let i = 0; i <= p.length; i++) {
      const q = new Int8Array(k);
      q.set(p.subarray(0, i), 0);
      q[i] = k - 1;
      q.set(p.subarray(i), i + 1);
      out.push(q);
    }
  }
  return out;
}
const PERMS = Array.from({ length: DIM_COUNT + 1 }, (_, k) => (k <= 6 ? permutations(k) : []));

/**
 * The places of each dim: temporal at every level and spatial along each axis with a fanout, less what the
 * architecture constraints forbid (a factor fixed to 1, the other axis); a fixed factor is forced. The top level's
 * temporal loop comes last: it takes what the others leave.
 */
function slotsOf(op: MacOp, hw: HardwareModel, c: ArchConstraints | undefined): Slot[][] {
  const L = hw.levels.length;
  const out: Slot[][] = [];
  for (let d = 0; d < DIM_COUNT; d++) {
    const b = op.bounds[d];
    const slots: Slot[] = [];
    const need = (v: number) => (v === 0 ? b : v);
    for (let l = 0; l < L; l++) {
      const i = l * DIM_COUNT + d;
      const lv = hw.levels[l];
      const s = c ? c.spatial[i] : -1;
      const a = c ? c.axis[i] : -1;
      if (s !== 1 && b > 1) {
        const xs = lv.fanoutX > 1 && a !== 1;
        const ys = lv.fanoutY > 1 && a !== 0;
        // A fixed spatial factor on one possible axis is forced there; on two, both are free and checked at the end.
        if (xs) slots.push({ l, axis: 1, forced: s !== -1 && !ys ? need(s) : -1 });
        if (ys) slots.push({ l, axis: 2, forced: s !== -1 && !xs ? need(s) : -1 });
      }
      if (l === L - 1) continue;
      const t = c ? c.temporal[i] : -1;
      if (t !== 1 && b > 1) slots.push({ l, axis: 0, forced: t === -1 ? -1 : need(t) });
    }
    const top = c ? c.temporal[(L - 1) * DIM_COUNT + d] : -1;
    slots.push({ l: L - 1, axis: 0, forced: top === -1 ? -1 : need(top) });
    out.push(slots);
  }
  return out;
}

/**
 * TRIM's own Timeloop mapper (a dataflow of the `timeloop` template): every perfect factorization of each dim over
 * the levels' temporal loops and fanouts, every loop order and every bypass choice the architecture constraints
 * allow (`--set constraints=FILE`), pruned analytically:
 * - capacity and fanout: each place's factors are tried from the largest down and those the template's legality
 *   check rejects (`hw.cost.check`: tiles of each kept operand within the level, spatial factors within the fanout)
 *   are skipped before any later place is tried (the rest of the dim waits at the unbounded top meanwhile, and tiles
 *   only grow as the later places take their factors, so nothing legal is lost);
 * - loop orders only among a level's loops with a factor above 1, and one order per class of orders that no access
 *   count can tell apart: for each operand the set of irrelevant loops innermost (its reuse at that level), and for
 *   the sliding-window operand the innermost relevant loop (its halo);
 * - the constraints' fixed factors, axes and loop orders by construction.
 * The mapspace constraints (Timeloop's search hints) are not used. It only proposes; the template prices every
 * candidate. `maxMappings` (default 2·10⁵, about 1 CPU-s) bounds the proposals per op: the budget. Within it the search
 * goes from the largest inner tiles (most reuse) down; on the Eyeriss-like ispass layer the budget ends the search
 * (the pruned space is larger), on AlexNet layer 1 it does not.
 */
export function timeloopMapspace(op: MacOp, hw: HardwareModel, emit: (m: Mapping) => void, config: SearchConfig): void {
  const L = hw.levels.length;
  const c = timeloopConstraintsOf(hw);
  const m = emptyMapping(L);
  const probe = new Cost(L);
  const slots = slotsOf(op, hw, c);
  const top = (L - 1) * DIM_COUNT;
  const bounds = op.bounds;
  let budget = config.maxMappings;
  // Dims in order of fewest places first (the tightest capacity prunes earliest).
  const dims = Array.from({ length: DIM_COUNT }, (_, d) => d)
    .filter((d) => bounds[d] > 1)
    .sort((a, b) => slots[a].length - slots[b].length);
  for (let d = 0; d < DIM_COUNT; d++) m.temporal[top + d] = bounds[d];
  // Keep: fixed by the constraints or the level (the backing store keeps everything); the rest both ways.
  const freeKeep: number[] = [];
  for (let l = 0; l < L; l++) {
    for (let s = 0; s < 3; s++) {
      const k = c ? c.keep[l * 3 + s] : -1;
      const holds = hw.levels[l].holds[s];
      m.keep[l * 3 + s] = l === L - 1 || k === 1 || (k === -1 && holds) ? 1 : 0;
      if (l < L - 1 && k === -1 && holds) freeKeep.push(l * 3 + s);
    }
  }
  const divs = new Map<number, number[]>();
  const divisorsOf = (n: number) => {
    let v = divs.get(n);
    if (!v) {
      v = divisors(n);
      divs.set(n, v);
    }
    return v;
  };
  const arrayOf = (s: Slot) => (s.axis === 0 ? m.temporal : s.axis === 1 ? m.spatialX : m.spatialY);
  const prunable = () => probe.illegal === Illegal.Capacity || probe.illegal === Illegal.Fanout;

  // Orders: per level, the distinct classes of orders of its loops with a factor above 1 (innermost first).
  const orderSets: Int8Array[][] = Array.from({ length: L }, () => []);
  const seen = new Set<number>();
  const loops = new Int8Array(DIM_COUNT);
  const pick = new Int8Array(L);

  function classesAt(l: number): Int8Array[] {
    const base = l * DIM_COUNT;
    let k = 0;
    for (let d = 0; d < DIM_COUNT; d++) if (m.temporal[base + d] > 1) loops[k++] = d;
    const out: Int8Array[] = [];
    seen.clear();
    const perms = PERMS[k];
    const pending = perms.length > 0 ? perms : [Int8Array.from({ length: k }, (_, i) => i)];
    for (const p of pending) {
      // The constraints' order: listed dims innermost in their rank, unlisted ones outside them.
      let lastRank = -1;
      let unlisted = false;
      let ok = true;
      for (let i = 0; i < k && ok; i++) {
        const r = c ? c.rank[base + loops[p[i]]] : -1;
        if (r < 0) unlisted = true;
        else if (unlisted || r < lastRank) ok = false;
        else lastRank = r;
      }
      if (!ok) continue;
      let sig = 0;
      for (let t = 0; t < 3; t++) {
        const rel = MASK[op.projections[t]];
        let run = 0;
        let first = -1;
        for (let i = 0; i < k; i++) {
          const d = loops[p[i]];
          if (rel & (1 << d)) {
            first = d;
            break;
          }
          run |= 1 << d;
        }
        sig = sig * 256 + run;
        if (op.projections[t] === 1) sig = sig * 16 + first + 1;
      }
      if (seen.has(sig)) continue;
      seen.add(sig);
      const order = new Int8Array(DIM_COUNT);
      // Outermost first: the loops of one iteration (order irrelevant), then the chosen order outside in.
      let j = 0;
      for (let d = 0; d < DIM_COUNT; d++) if (m.temporal[base + d] <= 1) order[j++] = d;
      for (let i = k - 1; i >= 0; i--) order[j++] = loops[p[i]];
      out.push(order);
    }
    return out;
  }

  function emitOrders(l: number): boolean {
    if (l === L) {
      for (let i = 0; i < L; i++) m.order.set(orderSets[i][pick[i]], i * DIM_COUNT);
      emit(m);
      return --budget > 0;
    }
    for (let i = 0; i < orderSets[l].length; i++) {
      pick[l] = i;
      if (!emitOrders(l + 1)) return false;
    }
    return true;
  }

  function emitKeeps(i: number): boolean {
    if (i === freeKeep.length) {
      hw.cost.check(op, m, probe);
      if (probe.illegal === Illegal.Capacity) return true;
      return emitOrders(0);
    }
    for (const k of [1, 0]) {
      m.keep[freeKeep[i]] = k;
      if (!emitKeeps(i + 1)) return false;
    }
    m.keep[freeKeep[i]] = 1;
    return true;
  }

  function leaf(): boolean {
    for (let l = 0; l < L; l++) orderSets[l] = classesAt(l);
    for (let l = 0; l < L; l++) if (orderSets[l].length === 0) return true;
    return emitKeeps(0);
  }

  function assignDim(di: number): boolean {
    if (di === dims.length) return leaf();
    const d = dims[di];
    return assignSlot(di, d, slots[d], 0, bounds[d]);
  }

  function assignSlot(di: number, d: number, list: readonly Slot[], si: number, rest: number): boolean {
    const s = list[si];
    const at = s.l * DIM_COUNT + d;
    const arr = arrayOf(s);
    if (si === list.length - 1) {
      // The last place takes the rest (and must be allowed to).
      if (s.forced !== -1 && s.forced !== rest) return true;
      m.temporal[top + d] = 1;
      arr[at] = rest;
      if (!spatialProductOk(d)) {
        arr[at] = 1;
        m.temporal[top + d] = bounds[d];
        return true;
      }
      hw.cost.check(op, m, probe);
      const go = prunable() ? true : assignDim(di + 1);
      arr[at] = 1;
      m.temporal[top + d] = bounds[d];
      return go;
    }
    const options = s.forced !== -1 ? (rest % s.forced === 0 ? [s.forced] : []) : divisorsOf(rest);
    // Largest factors first (the most reuse inside the level): those over capacity or fanout are skipped, and once
    // one fits every smaller one does too.
    for (let oi = options.length - 1; oi >= 0; oi--) {
      const f = options[oi];
      arr[at] = f;
      m.temporal[top + d] = rest / f; // the rest waits at the top (unbounded) while the inner places are tried
      hw.cost.check(op, m, probe);
      if (prunable()) continue;
      if (!assignSlot(di, d, list, si + 1, rest / f)) {
        arr[at] = 1;
        return false;
      }
    }
    arr[at] = 1;
    m.temporal[top + d] = bounds[d];
    return true;
  }

  /** A spatial factor the constraints fix with both axes possible: x × y must be it. */
  function spatialProductOk(d: number): boolean {
    if (!c) return true;
    for (let l = 0; l < L; l++) {
      const i = l * DIM_COUNT + d;
      const s = c.spatial[i];
      if (s !== -1 && m.spatialX[i] * m.spatialY[i] !== (s === 0 ? bounds[d] : s)) return false;
    }
    return true;
  }

  assignDim(0);
}

/** The `timeloop-search` dataflow: TRIM's own mapper for Timeloop architectures (see `timeloopMapspace`). */
export const timeloopSearch = defineDataflow<SearchConfig>({
  name: 'timeloop-search',
  description: "TRIM's own mapper for Timeloop architectures: every factorization, loop-order class and bypass the architecture constraints allow, pruned by capacity and fanout",
  templates: ['timeloop'],
  configSchema: searchConfigSchema,
  mapspace: timeloopMapspace,
});

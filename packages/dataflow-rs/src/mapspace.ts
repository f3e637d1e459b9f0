import {
  arrayLevel,
  C,
  ceilDiv,
  DIM_COUNT,
  emptyMapping,
  factorCandidates,
  G,
  K,
  N,
  P,
  Q,
  R,
  S,
  tiledMapspace,
  windowRows,
  type Emit,
  type HardwareModel,
  type MapSearch,
  type MacOp,
} from '@trim-dse/core';
import type { RsConfig } from './schema.js';
import { rsSpecs } from './specs.js';

/** One placement of the logical R × E PE set on the physical array: spatial factors per dim on each axis. */
export interface RsPlacement {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

const DIM_CODE = { N, G, K, C, P, Q, R, S } as const;

/** The factor of a dim that splits `bound` over at most `room` PEs with the fewest folds and the least padding. */
export function evenSplit(bound: number, room: number): number {
  if (room <= 1) return 1;
  if (bound <= room) return bound;
  return ceilDiv(bound, ceilDiv(bound, room));
}

/**
 * Placements of the R × E set: filter rows R down the rows (folded when R exceeds them), output rows E = P across
 * the columns (a few strip widths), then the spare rows and columns replicate the set over one more dim each
 * (Eyeriss's folding of E onto more rows, and its t / q / batch replication).
 */
export function rsPlacements(op: MacOp, rows: number, cols: number, config: RsConfig): RsPlacement[] {
  const b = op.bounds;
  const out: RsPlacement[] = [];
  const seen = new Set<string>();
  const ry = evenSplit(b[R], rows);
  const pxs = new Set<number>();
  for (let folds = ceilDiv(b[P], cols); pxs.size < 3 && folds <= b[P]; folds++) pxs.add(ceilDiv(b[P], folds));
  for (const px of pxs) {
    for (const dx of ['-', ...config.replicateX] as const) {
      for (const dy of ['-', ...config.replicateY] as const) {
        const x = [1, 1, 1, 1, 1, 1, 1, 1];
        const y = [1, 1, 1, 1, 1, 1, 1, 1];
        x[P] = px;
        y[R] = ry;
        if (dx !== '-') x[DIM_CODE[dx]] = evenSplit(b[DIM_CODE[dx]], Math.floor(cols / px));
        if (dy !== '-') {
          const d = DIM_CODE[dy];
          const left = ceilDiv(b[d], x[d] * y[d]);
          y[d] *= evenSplit(left, Math.floor(rows / ry));
        }
        const sig = `${x.join()}|${y.join()}`;
        if (seen.has(sig)) continue;
        seen.add(sig);
        out.push({ x, y });
      }
    }
  }
  return out;
}

/**
 * MACs per cycle a placement keeps busy: its PEs less the ones a partial fold leaves idle (a dim of bound b split
 * s ways runs ⌈b/s⌉ folds, so on average b / ⌈b/s⌉ of its s PEs work).
 */
export function busyPEs(op: MacOp, pl: RsPlacement): number {
  let n = 1;
  for (let d = 0; d < DIM_COUNT; d++) {
    const s = pl.x[d] * pl.y[d];
    if (s > 1) n *= op.bounds[d] / ceilDiv(op.bounds[d], s);
  }
  return n;
}

/**
 * The placements that keep the most PEs busy. Eyeriss replicates the logical PE set until the physical array is as
 * full as the layer's shape allows (JSSC 2017, mapping of the PE sets: 154, 135 and 156 of 168 PEs on AlexNet's
 * CONV1, CONV2 and CONV3–5), so row stationary offers only those; the goal then chooses among their tilings.
 */
export function fullestPlacements(op: MacOp, placements: readonly RsPlacement[]): RsPlacement[] {
  let most = 0;
  for (const pl of placements) most = Math.max(most, busyPEs(op, pl));
  // Relative slack for the floating-point quotients of equal occupancies.
  return placements.filter((pl) => busyPEs(op, pl) >= most * (1 - 1e-9));
}

/** Buffer-level orders (outermost first, all 8 dims): Q innermost so the ifmap row slides through the PE. */
const GLB_ORDERS: readonly (readonly number[])[] = [
  [G, K, C, N, P, R, S, Q],
  [G, N, P, K, R, S, C, Q],
];
/** DRAM-level orders: channels innermost keeps partial sums on chip across channel passes. */
const DRAM_ORDERS: readonly (readonly number[])[] = [
  [G, N, P, Q, K, R, S, C],
  [G, K, N, P, Q, R, S, C],
  [G, N, K, P, Q, C, R, S],
];

/**
 * The row-stationary mapspace on a [rf, glb, dram] spatial hierarchy. Inside a PE: the whole filter row (S) for
 * p filters (K) and q channels (C) — the 1-D convolution primitive, sized by the three scratchpads. At the buffer:
 * Q fully (the slide), and tiles of N, K, C, P (and folded R) that fit the filter buffer and the shared banks.
 * Other hierarchies fall back to the generic tiled mapspace with the RS specs.
 */
export function rsMapspace(op: MacOp, hw: HardwareModel, emit: Emit, config: RsConfig, search?: MapSearch): void {
  const L = hw.levels.length;
  const A = arrayLevel(hw);
  if (L !== 3 || A !== 1) {
    for (const spec of rsSpecs(config)) tiledMapspace(op, hw, spec, emit, search);
    return;
  }
  const rf = hw.levels[0];
  const glb = hw.levels[1];
  const bytes = [op.operands[0].bytes, op.operands[1].bytes, op.operands[2].bytes];
  // Spad sizes in elements of each operand's precision (the 1-D primitive's working set is counted in elements).
  const rfSlots = rf.slotCapacityBytes ?? [rf.capacityBytes, rf.capacityBytes, rf.capacityBytes];
  const cap = [0, 1, 2].map((t) => Math.floor(rfSlots[t] / bytes[t]));
  const glbCap = glb.slotCapacityBytes ?? [glb.capacityBytes, glb.capacityBytes, glb.capacityBytes];
  const glbFactor = glb.doubleBuffered ? 2 : 1;
  const b = op.bounds;
  const m = emptyMapping(L);
  const maxC = config.maxCandidates;
  const rem = [1, 1, 1, 1, 1, 1, 1, 1];
  const t0 = [1, 1, 1, 1, 1, 1, 1, 1];
  const t1 = [1, 1, 1, 1, 1, 1, 1, 1];
  for (const pl of fullestPlacements(op, rsPlacements(op, glb.fanoutY, glb.fanoutX, config))) {
    for (let d = 0; d < DIM_COUNT; d++) rem[d] = ceilDiv(b[d], pl.x[d] * pl.y[d]);
    // Inside the PE: S whole if the ifmap spad takes it, K up to the psum spad, C while the spads allow.
    const sCands = factorCandidates(rem[S], maxC).filter((s) => s <= Math.max(1, cap[1]));
    const sRf = sCands[sCands.length - 1];
    for (const kRf of factorCandidates(rem[K], maxC)) {
      if (kRf > Math.max(1, cap[2])) break;
      for (const cRf of factorCandidates(rem[C], maxC)) {
        if (kRf * cRf * sRf > Math.max(1, cap[0]) || cRf * sRf > Math.max(1, cap[1])) break;
        t0.fill(1);
        t0[K] = kRf;
        t0[C] = cRf;
        t0[S] = sRf;
        enumerateGlb(pl);
      }
    }
  }

  function enumerateGlb(pl: RsPlacement): void {
    t1.fill(1);
    t1[Q] = rem[Q];
    const left = (d: number) => ceilDiv(rem[d], t0[d]);
    t1[S] = left(S);
    for (const n of factorCandidates(left(N), maxC)) {
      t1[N] = n;
      if (!fitsShared(pl)) break;
      for (const p of factorCandidates(left(P), maxC)) {
        t1[P] = p;
        if (!fitsShared(pl)) break;
        for (const k of factorCandidates(left(K), maxC)) {
          t1[K] = k;
          if (!fitsShared(pl)) break;
          for (const c of factorCandidates(left(C), maxC)) {
            t1[C] = c;
            if (!fitsShared(pl)) break;
            for (const r of factorCandidates(left(R), maxC)) {
              t1[R] = r;
              if (!fitsShared(pl)) break;
              emitAll(pl);
            }
            t1[R] = 1;
          }
          t1[C] = 1;
        }
        t1[K] = 1;
      }
      t1[P] = 1;
    }
  }

  /** Tile extent at the buffer of dim d. */
  function ext(pl: RsPlacement, d: number): number {
    return t0[d] * t1[d] * pl.x[d] * pl.y[d];
  }

  /**
   * Inputs and partial sums share the buffer: together they must fit its larger partition, in bytes (the template's
   * own rules — e.g. Eyeriss's whole-bank split — are its cost model's, which rejects what they forbid).
   */
  function fitsShared(pl: RsPlacement): boolean {
    const inputs =
      ext(pl, N) * ext(pl, G) * ext(pl, C) *
      windowRows(ext(pl, P), ext(pl, R), op.strideH, op.dilationH) *
      windowRows(ext(pl, Q), ext(pl, S), op.strideW, op.dilationW);
    const psums = ext(pl, N) * ext(pl, G) * ext(pl, K) * ext(pl, P) * ext(pl, Q);
    return (inputs * bytes[1] + psums * bytes[2]) * glbFactor <= Math.max(glbCap[1], glbCap[2]);
  }

  function emitAll(pl: RsPlacement): void {
    const filterTile = ext(pl, G) * ext(pl, K) * ext(pl, C) * ext(pl, R) * ext(pl, S);
    for (let d = 0; d < DIM_COUNT; d++) {
      m.spatialX[DIM_COUNT + d] = pl.x[d];
      m.spatialY[DIM_COUNT + d] = pl.y[d];
      m.temporal[d] = t0[d];
      m.temporal[DIM_COUNT + d] = t1[d];
      m.temporal[2 * DIM_COUNT + d] = ceilDiv(rem[d], t0[d] * t1[d]);
    }
    for (let s = 0; s < 3; s++) m.keep[s] = rf.holds[s] ? 1 : 0;
    m.keep[3] = glb.holds[0] && filterTile * bytes[0] * glbFactor <= glbCap[0] ? 1 : 0;
    m.keep[4] = 1;
    m.keep[5] = 1;
    m.order.set([G, N, K, C, P, Q, R, S], 0);
    for (const go of GLB_ORDERS) {
      m.order.set(go, DIM_COUNT);
      for (const dor of DRAM_ORDERS) {
        m.order.set(dor, 2 * DIM_COUNT);
        emit(m);
      }
    }
  }
}

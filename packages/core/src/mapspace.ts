import { dimRoles, resolveDims } from './einsum.js';
import { Cost, Illegal } from './cost.js';
import { ceilDiv, divisors, factorCandidates } from './factors.js';
import type { HardwareModel } from './hardware.js';
import { AUTO_EXHAUSTIVE_TILED_LEVELS, BeamStep, DEFAULT_MAP_SEARCH, MAX_BEAM_WIDTH, type Emit, type MapSearch } from './map-search.js';
import { emptyMapping } from './mapping.js';
import type { MacOp } from './op.js';
import { defineDataflow, type ConfigSchema, type DataflowPlugin } from './plugin.js';

/**
 * What a dataflow fixes, for the generic tiled mapspace: which dims the array unrolls on each axis (packed greedily
 * in the given order), the loop order inside the PEs (what stays put there), and a few candidate loop orders for the
 * buffer levels above. Everything else (tile factors per level) is searched, pruned by capacity. Dims are named as
 * in the conv nest (`K`, `C`, …) or as the op's own einsum dims; a conv name an einsum lacks stands for the einsum's
 * dims of that role (`dimRoles`: `C` every reduction dim, `P` every pixel/token dim, …).
 */
export interface TiledSpec {
  readonly spatialX: readonly string[];
  readonly spatialY: readonly string[];
  /** Loop order (outermost first) at the levels inside a PE. Dims not listed go outermost. */
  readonly peOrder: readonly string[];
  /** Candidate loop orders (outermost first) for the levels from the array level up. */
  readonly outerOrders: readonly (readonly string[])[];
  /** Dims that may be tiled inside the PE (default: every dim). */
  readonly peDims?: readonly string[];
  /** Operand slots each PE-internal level keeps (default: all it can hold). */
  readonly peKeep?: readonly [boolean, boolean, boolean];
  /** Upper bound of tile-factor candidates per dim and level (default 6). */
  readonly maxCandidates?: number;
  /**
   * Also try the spatial packing whose first dim on each axis takes the largest divisor of its bound that fits (no
   * padded fold: 25 of 32 columns for 1,000 filters rather than 32 columns and a padded last fold). Default off:
   * the greedy and the even packings only.
   */
  readonly divisorPacking?: boolean;
  /** Fill/drain cycles charged per fold of the array (e.g. systolic skew); default none. */
  foldOverhead?(hw: HardwareModel, usedX: number, usedY: number): number;
}

/** Index of the level whose fanout is the PE array: the template's `arrayLevel`, else the outermost with a fanout. */
export function arrayLevel(hw: HardwareModel): number {
  if (hw.arrayLevel !== undefined) return hw.arrayLevel;
  for (let l = hw.levels.length - 1; l >= 0; l--) if (hw.levels[l].fanoutX * hw.levels[l].fanoutY > 1) return l;
  return 0;
}

/** A loop order as dim indices of the op, outermost first; dims it does not list go outermost. */
function orderCodes(codes: readonly number[], D: number): number[] {
  const rest: number[] = [];
  for (let d = 0; d < D; d++) if (!codes.includes(d)) rest.push(d);
  return rest.concat(codes);
}

/** Greedy packing of dims onto one axis: each takes as much of what is left of the axis as it can use. */
type Packing = 'greedy' | 'even' | 'divisor';

function packAxis(op: MacOp, dims: readonly number[], size: number, out: Int32Array, base: number, packing: Packing): number {
  let left = size;
  let used = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    const bound = op.bounds[d];
    let f = Math.min(bound, left);
    if (packing === 'divisor' && i === 0 && f < bound) {
      // The largest divisor of the bound that fits: every fold full, none padded.
      const ds = divisors(bound);
      for (let j = ds.length - 1; j >= 0; j--) {
        if (ds[j] <= f) {
          f = ds[j];
          break;
        }
      }
    } else if (packing === 'even' && i === 0 && f < bound) {
      // Prefer the factor with the fewest folds and the least padding: bound / ceil(bound / f) rounded up.
      const folds = ceilDiv(bound, f);
      f = ceilDiv(bound, folds);
    }
    out[base + d] = f;
    used *= f;
    left = Math.floor(left / f);
    if (left <= 1) break;
  }
  return used;
}

/**
 * Searches the tiled mapspace of a dataflow: spatial variants × buffer-level tile factors × outer loop orders.
 * Tiles that overflow a level by the template's own rules (`hw.cost.check`) are pruned as soon as they do
 * (footprints only grow with the factors). On hardware whose cost model reads only the stationary operand
 * (`mappingDetail: 'stationary-operand'`) every tiling costs the same, so one candidate is emitted. The tilings are
 * walked as `search` says: every one (`exhaustive`), or level by level keeping the best few (`beam`, see
 * `MapSearch`); `auto` picks by the number of tiled levels.
 */
export function tiledMapspace(op: MacOp, hw: HardwareModel, spec: TiledSpec, emit: Emit, search: MapSearch = DEFAULT_MAP_SEARCH): void {
  const L = hw.levels.length;
  const A = arrayLevel(hw);
  const D = op.bounds.length;
  const m = emptyMapping(L, D);
  const roles = dimRoles(op.nest);
  const dimsOf = (names: readonly string[]) => resolveDims(op.dims, roles, names);
  const spatialX = dimsOf(spec.spatialX);
  const spatialY = dimsOf(spec.spatialY).filter((d) => !spatialX.includes(d));
  const probe = new Cost(L);
  const stationaryOnly = hw.cost.mappingDetail === 'stationary-operand';
  const peOrder = orderCodes(dimsOf(spec.peOrder), D);
  const outerOrders = spec.outerOrders.map((o) => orderCodes(dimsOf(o), D));
  const maxC = spec.maxCandidates ?? 6;
  const peDimMask = spec.peDims ? dimsOf(spec.peDims).reduce((a, d) => a | (1 << d), 0) : -1;
  const lvA = hw.levels[A];
  // Spatial variants: the greedy packing, the one that splits the first dim evenly and (with divisorPacking) the one
  // whose folds are all full — each kept when it differs from those before it.
  const variants: { x: Int32Array; y: Int32Array; overhead: number }[] = [];
  const seen = new Set<string>();
  const packings: readonly Packing[] = spec.divisorPacking ? ['greedy', 'even', 'divisor'] : ['greedy', 'even'];
  for (const packing of packings) {
    m.spatialX.fill(1);
    m.spatialY.fill(1);
    const ux = packAxis(op, spatialX, lvA.fanoutX, m.spatialX, A * D, packing);
    const uy = packAxis(op, spatialY, lvA.fanoutY, m.spatialY, A * D, packing);
    const sig = `${m.spatialX.join()}|${m.spatialY.join()}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    variants.push({ x: m.spatialX.slice(), y: m.spatialY.slice(), overhead: spec.foldOverhead ? spec.foldOverhead(hw, ux, uy) : 0 });
  }
  // Remaining iterations per dim after the spatial unroll (of the variant set up last).
  const rem = new Array<number>(D).fill(1);
  function setUp(v: (typeof variants)[number]): void {
    m.spatialX.set(v.x);
    m.spatialY.set(v.y);
    m.overheadLevel = A;
    m.overheadCycles = v.overhead;
    m.temporal.fill(1);
    for (let l = 0; l < L; l++) {
      const lv = hw.levels[l];
      for (let t = 0; t < 3; t++) {
        const peKeep = l < A && spec.peKeep ? spec.peKeep[t] : true;
        m.keep[l * 3 + t] = lv.holds[t] && peKeep ? 1 : 0;
      }
      if (l < A) for (let i = 0; i < D; i++) m.order[l * D + i] = peOrder[i];
    }
    for (let d = 0; d < D; d++) rem[d] = ceilDiv(op.bounds[d], m.spatialX[A * D + d] * m.spatialY[A * D + d]);
  }
  function setOrder(order: readonly number[]): void {
    for (let l = A; l < L; l++) for (let i = 0; i < D; i++) m.order[l * D + i] = order[i];
  }
  if (stationaryOnly) {
    setUp(variants[0]);
    setOrder(outerOrders[0]);
    for (let d = 0; d < D; d++) m.temporal[(L - 1) * D + d] = rem[d];
    emit(m);
    return;
  }
  let tiledLevels = 0;
  for (let l = 0; l < L - 1; l++) if (l >= A || peDimMask !== 0) tiledLevels++;
  const beam = search.mode === 'beam' || (search.mode === 'auto' && tiledLevels > AUTO_EXHAUSTIVE_TILED_LEVELS);
  let emitted = 0;
  if (!beam) {
    for (const v of variants) {
      setUp(v);
      for (const order of outerOrders) {
        setOrder(order);
        enumerateLevel(0);
      }
    }
    return;
  }
  const T = L * D;
  const parents = new BeamStep(T, MAX_BEAM_WIDTH);
  const children = new BeamStep(T, MAX_BEAM_WIDTH);
  for (let width = 1; width <= MAX_BEAM_WIDTH && emitted < search.budget; width *= 2) {
    for (const v of variants) {
      setUp(v);
      for (const order of outerOrders) {
        setOrder(order);
        beamPass(width);
      }
    }
  }

  // Exhaustive: recursive assignment of temporal factors, level by level (0 .. L−2), dim by dim; the top takes the rest.
  function enumerateLevel(level: number): void {
    if (level === L - 1) {
      topTakesRest();
      emit(m);
      return;
    }
    enumerateDim(level, 0);
  }
  function topTakesRest(): void {
    for (let d = 0; d < D; d++) {
      let inner = 1;
      for (let l = 0; l < L - 1; l++) inner *= m.temporal[l * D + d];
      m.temporal[(L - 1) * D + d] = ceilDiv(rem[d], inner);
    }
  }
  /**
   * Every combination of one level's factors (the levels below as they are) that fits, each passed on: to the next
   * level (exhaustive) or priced as a complete mapping (a beam step). No closure per call: this is the hot path.
   */
  function enumerateDim(level: number, d: number): void {
    if (d === D) {
      if (!fits(level)) return;
      if (beam) extend();
      else enumerateLevel(level + 1);
      return;
    }
    const idx = level * D + d;
    let inner = 1;
    for (let l = 0; l < level; l++) inner *= m.temporal[l * D + d];
    const left = ceilDiv(rem[d], inner);
    const tileable = level >= A || (peDimMask >> d) & 1;
    if (left === 1 || !tileable) {
      m.temporal[idx] = 1;
      enumerateDim(level, d + 1);
      return;
    }
    for (const f of factorCandidates(left, maxC)) {
      m.temporal[idx] = f;
      // Prune: if this partial tile (later dims at 1) overflows the level, larger factors will too.
      if (f > 1 && !fitsPartial(level, d)) break;
      enumerateDim(level, d + 1);
    }
    m.temporal[idx] = 1;
  }
  /**
   * One beam pass: level by level from the innermost, each kept partial tiling is extended by every combination of
   * the level's factors that fits; each extension is a complete mapping (the levels above at 1, the top takes the
   * rest) ranked by `emit`, and the `width` best go on to the next level.
   */
  function beamPass(width: number): void {
    parents.reset(1);
    parents.offer(m.temporal, 0);
    for (let level = 0; level < L - 1 && emitted < search.budget; level++) {
      children.reset(width);
      for (let b = 0; b < parents.size && emitted < search.budget; b++) {
        m.temporal.set(parents.temporal.subarray(b * T, (b + 1) * T));
        enumerateDim(level, 0);
      }
      if (children.size === 0) return;
      parents.reset(width);
      for (let b = 0; b < children.size; b++) parents.offer(children.temporal.subarray(b * T, (b + 1) * T), children.rank[b]);
    }
  }
  function extend(): void {
    if (emitted >= search.budget) return;
    topTakesRest();
    emitted++;
    children.offer(m.temporal, emit(m));
  }
  function fitsPartial(level: number, upto: number): boolean {
    for (let d = upto + 1; d < D; d++) m.temporal[level * D + d] = 1;
    return fits(level);
  }
  function fits(level: number): boolean {
    // Fill the levels above with 1s so the engine checks only this level's capacity meaningfully.
    for (let l = level + 1; l < L; l++) for (let d = 0; d < D; d++) m.temporal[l * D + d] = l === L - 1 ? op.bounds[d] : 1;
    hw.cost.check(op, m, probe);
    return !(probe.illegal === Illegal.Capacity && probe.illegalLevel <= level);
  }
}

export interface TiledDataflowOptions<C> {
  readonly name: string;
  readonly description: string;
  /** Templates it maps onto ('*' for any). */
  readonly templates: readonly string[] | '*';
  readonly configSchema: ConfigSchema<C>;
  /** The tiled mapspace this dataflow allows, from its parsed config. */
  spec(config: C): TiledSpec;
  supports?(op: MacOp, hw: HardwareModel): boolean;
}

/**
 * A dataflow whose mapspace is one `TiledSpec` (the stationary dataflows ws, os, is and many outside ones): it only
 * says which mappings are allowed; the template prices them.
 */
export function defineTiledDataflow<C>(o: TiledDataflowOptions<C>): DataflowPlugin<C> {
  return defineDataflow<C>({
    name: o.name,
    description: o.description,
    templates: o.templates,
    configSchema: o.configSchema,
    ...(o.supports ? { supports: o.supports } : {}),
    mapspace(op, hw, emit, config, search) {
      tiledMapspace(op, hw, o.spec(config), emit, search);
    },
  });
}

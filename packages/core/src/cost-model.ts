import type { Cost } from './cost.js';
import type { Mapping } from './mapping.js';
import type { MacOp } from './op.js';

/**
 * How much of a mapping a template's cost model reads:
 * - `loop-nest`: all of it (tile factors per level, spatial unroll, loop order, bypass): Timeloop-style hardware;
 * - `stationary-operand`: only which operand the innermost level (the PE) keeps. The template schedules the rest
 *   itself — a systolic array that folds im2col matrices over its rows and columns whatever the tile factors say.
 *   Mapspace helpers then emit one candidate per stationary choice, and reports show `describe`'s mapping.
 */
export type MappingDetail = 'loop-nest' | 'stationary-operand';

/**
 * A hardware template's cost model, bound to one hardware model: it prices any mapping of any MAC op, with every
 * effect the template has (fold/skew, bank split, staging, compression, gating, NoC, resources), for every dataflow,
 * built-in or outside; it also enforces the template's legality rules. Dataflows only propose mappings.
 *
 * Both methods write into `out` and return it, allocating nothing (they run millions of times). Templates built on
 * the loop-nest engine compose `checkMapping` → `nestAccesses` → their effects → `composeCost` (`engineCostModel`
 * is that chain with no effects).
 */
export interface CostModel {
  readonly mappingDetail: MappingDetail;
  /**
   * Legality only, for pruning: on an illegal mapping `out` is what `evaluate` would give (the reason included); on
   * a legal one only `out.illegal` (None) is meaningful.
   */
  check(op: MacOp, m: Mapping, out: Cost): Cost;
  /** The full cost of one mapping: legality, accesses, time and energy. */
  evaluate(op: MacOp, m: Mapping, out: Cost): Cost;
  /**
   * The op shapes this model prices; default all. A model written for the conv nest (SCALE-Sim's im2col, a conv
   * engine) answers `op.nest.conv`: an einsum op then reaches it through its GEMM equivalent (`einsumOp`).
   */
  supports?(op: MacOp): boolean;
  /** The mapping as the hardware runs it, for reports (templates that schedule parts themselves); default `m`. */
  describe?(op: MacOp, m: Mapping): Mapping;
  /**
   * The memo key of an op on this hardware: identical keys must cost the same. Default `op.key` (the shape); a
   * template whose cost depends on more (a layer-pipelined FPGA gives each layer its own engine) extends it.
   */
  memoKey?(op: MacOp): string;
}

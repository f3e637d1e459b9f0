import { Illegal, type Cost } from '../cost.js';
import type { CostModel } from '../cost-model.js';
import type { HardwareModel } from '../hardware.js';
import type { Mapping } from '../mapping.js';
import type { MacOp } from '../op.js';
import { checkMapping } from './check.js';
import { composeCost } from './compose.js';
import { nestAccesses } from './nest.js';

export { checkMapping, footprint } from './check.js';
export { nestAccesses } from './nest.js';
export { composeCost } from './compose.js';

/**
 * The loop-nest engine with no template effects: legality → accesses → composition. Writes into `out` and returns
 * it. Templates with effects call the three stages themselves with their effects in between.
 */
export function evaluate(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  if (checkMapping(op, hw, m, out).illegal !== Illegal.None) return out;
  nestAccesses(op, hw, m, out);
  return composeCost(hw, out);
}

/**
 * What a template adds to the loop-nest engine (ZigZag-style stages whose results add): `rules` after the engine's
 * legality (capacity-like rules as `Illegal.Capacity` at a level, so mapspace pruning works; the rest as
 * `Illegal.Template`), `effects` on the engine's accesses (counts, bytes, energies) before the one composition.
 */
export interface LoopNestStages {
  rules?(op: MacOp, m: Mapping, out: Cost): Cost;
  effects?(op: MacOp, m: Mapping, out: Cost): void;
  memoKey?(op: MacOp): string;
}

/**
 * A template's cost model on the loop-nest engine: `checkMapping` → `rules` → `nestAccesses` → `effects` →
 * `composeCost`, bound to its hardware. With no stages it is the engine alone (`engineCostModel`, e.g. `generic`).
 */
export function loopNestCostModel(hw: HardwareModel, stages: LoopNestStages = {}): CostModel {
  const { rules, effects } = stages;
  const check = rules
    ? (op: MacOp, m: Mapping, out: Cost): Cost => (checkMapping(op, hw, m, out).illegal !== Illegal.None ? out : rules(op, m, out))
    : (op: MacOp, m: Mapping, out: Cost): Cost => checkMapping(op, hw, m, out);
  return {
    mappingDetail: 'loop-nest',
    check,
    evaluate(op, m, out) {
      if (check(op, m, out).illegal !== Illegal.None) return out;
      nestAccesses(op, hw, m, out);
      if (effects) effects(op, m, out);
      return composeCost(hw, out);
    },
    ...(stages.memoKey ? { memoKey: stages.memoKey } : {}),
  };
}

/** The cost model of a template that is the loop-nest engine alone (e.g. `generic`), bound to its hardware. */
export function engineCostModel(hw: HardwareModel): CostModel {
  return loopNestCostModel(hw);
}

/**
 * A hardware model with its cost model bound to it: `make` receives the finished model (levels, energies, …) and
 * returns the template's cost model, which may close over template-private tables computed once here.
 */
export function withCostModel(base: Omit<HardwareModel, 'cost' | 'withLevels'>, make: (hw: HardwareModel) => CostModel): HardwareModel {
  const hw = { ...base, cost: undefined as unknown as CostModel, withLevels: undefined as unknown as HardwareModel['withLevels'] };
  hw.cost = make(hw);
  // The same template's cost model bound to other levels (a budgeted copy: a depth-first stack's band ops are mapped
  // into what the other bands leave of the buffer).
  hw.withLevels = (levels) => withCostModel({ ...base, levels }, make);
  return hw;
}

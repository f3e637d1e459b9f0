import { loopNestCostModel, type CostModel, type HardwareModel, type MacOp } from '@trim-dse/core';
import { checkBanks } from './banks.js';
import type { SpatialEffects } from './effects.js';
import { applyZeroGating } from './gating.js';
import { chargeNoc } from './noc.js';
import { chargePeCycles } from './pe-cycles.js';
import { compressDramLink } from './rlc.js';
import { stageThroughRf } from './staging.js';

/**
 * The spatial template's cost model, the same for every mapping of every dataflow: the engine's legality plus the
 * GLB bank split → the engine's accesses → the template's effects (zero gating, operands through the spads, RLC on
 * the DRAM link, the NoC, the PE cycles spent on weight fills and
 * arriving partial sums) as changes of counts, bytes and energies → the one composition (`composeCost`).
 */
export function spatialCostModel(hw: HardwareModel, fx: SpatialEffects): CostModel {
  // The NoC, zero-gating and RF staging effects read the conv nest's dims: einsum ops come through their GEMM form.
  return { ...spatialNest(hw, fx), supports: (op: MacOp) => op.nest.conv };
}

function spatialNest(hw: HardwareModel, fx: SpatialEffects): CostModel {
  return loopNestCostModel(hw, {
    rules: (_op, _m, out) => checkBanks(fx, out),
    effects(op, m, out) {
      applyZeroGating(op, m, fx, out);
      stageThroughRf(op, hw, m, fx, out);
      compressDramLink(op, fx, out);
      chargeNoc(op, hw, m, fx, out);
      chargePeCycles(op, hw, m, fx, out);
    },
  });
}

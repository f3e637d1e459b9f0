import { Illegal, loopNestCostModel, P, Q, R, S, type Cost, type CostModel, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import type { BankedEngine } from './banks.js';
import { engineRules, NO_STAGE } from './rules.js';

/** A design's engines: one time-shared engine, or one per layer (`byLayer` maps a layer name to its stage). */
export interface DesignEngines {
  readonly engines: readonly BankedEngine[];
  readonly byLayer?: ReadonlyMap<string, number>;
}

/**
 * The `fpga` template's cost model: the core engine's legality (coverage, fanout, capacity of the BRAM partitions in
 * bytes), then the engine's own rules (stage, wiring, banks), then the engine's accesses and the one composition.
 * DRAM transfers overlap compute (double-buffered BRAM), so a layer takes max(compute, DRAM bytes ÷ bytes per cycle):
 * Zhang's CTC roofline per layer. Compute is the product of the temporal loops, Zhang's
 * ⌈M/Tm⌉·⌈N/Tn⌉·⌈R/Tr⌉·⌈C/Tc⌉·Tr·Tc·K·K for his mapping. The one effect: a Winograd
 * engine's MAC energy is that of its real multiplies.
 */
export function fpgaCostModel(hw: HardwareModel, design: DesignEngines): CostModel {
  const byLayer = design.byLayer;
  // The mapper prices many mappings of one op in a row: remember the last op's engine (no string work per call).
  let lastOp: MacOp | undefined;
  let lastEngine: BankedEngine | undefined;
  const engineOf = (op: MacOp): BankedEngine | undefined => {
    if (op === lastOp) return lastEngine;
    const i = byLayer ? byLayer.get(op.layer) : 0;
    lastOp = op;
    lastEngine = i === undefined ? undefined : design.engines[i];
    return lastEngine;
  };
  // The engines tile the conv nest (Zhang et al.): einsum ops come through their GEMM form.
  const model = loopNestCostModel(hw, {
    rules(op: MacOp, m: Mapping, out: Cost): Cost {
      const e = engineOf(op);
      if (e === undefined) return out.fail(Illegal.Template, -1, -1, NO_STAGE);
      engineRules(op, m, e, out);
      return out;
    },
    // A Winograd PE multiplies (m+r−1)² values per cycle for its Q·P·S·R MAC lanes: the real multiplies, not the
    // effective MACs, cost energy (the transforms' additions are not modelled).
    effects(op: MacOp, m: Mapping, out: Cost): void {
      const e = engineOf(op);
      if (e === undefined || e.shape.tileValues === 0) return;
      const lanes = m.spatialX[Q] * m.spatialX[P] * m.spatialY[S] * m.spatialY[R];
      if (lanes > e.shape.tileValues) out.macEnergyPj *= e.shape.tileValues / lanes;
    },
    // Each layer of a pipeline has its own engine: same-shaped layers on different stages cost differently.
    ...(byLayer ? { memoKey: (op: MacOp) => `${op.key}@${op.layer}` } : {}),
  });
  return { ...model, supports: (op: MacOp) => op.nest.conv };
}

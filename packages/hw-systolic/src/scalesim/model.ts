import { emptyMapping, type Cost, type CostModel, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import type { Wiring } from './codes.js';
import { scaleSimCost, SRAM } from './cost.js';
import { systolicMapping } from './mapping.js';
import { stationaryDataflow, stationaryOf } from './stationary.js';

/**
 * The `systolic` template's cost model, bound to one array: it reads only which operand a mapping keeps in the PEs
 * (`mappingDetail: 'stationary-operand'`) — weights → SCALE-Sim's ws, outputs → os, inputs → is — and prices the op
 * as SCALE-Sim schedules it (`scaleSimCost`), whatever dataflow proposed the mapping. Any other keep pattern, or a
 * stationary operand the array's wiring cannot hold, is illegal with a constant reason. `describe` gives the loop
 * nest the array runs.
 */
export function systolicCostModel(hw: HardwareModel, wiring: Wiring): CostModel {
  return {
    mappingDetail: 'stationary-operand',
    // SCALE-Sim replays the conv nest's im2col GEMM: einsum ops come through their GEMM equivalent.
    supports: (op: MacOp) => op.nest.conv,
    check(_op: MacOp, m: Mapping, out: Cost): Cost {
      out.reset();
      stationaryDataflow(m, wiring, out);
      return out;
    },
    evaluate(op: MacOp, m: Mapping, out: Cost): Cost {
      out.reset();
      const df = stationaryDataflow(m, wiring, out);
      return df === -1 ? out : scaleSimCost(op, hw, df, out);
    },
    describe(op: MacOp, m: Mapping): Mapping {
      const df = stationaryOf(m);
      if (df === -1) return m;
      const lv = hw.levels[SRAM];
      return systolicMapping(op, lv.fanoutY, lv.fanoutX, df, emptyMapping(hw.levels.length));
    },
  };
}

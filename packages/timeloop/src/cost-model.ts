import { loopNestCostModel, RELEVANT, type Cost, type CostModel, type HardwareModel, type Mapping, type MacOp } from '@trim-dse/core';
import type { ArchConstraints } from './constraints.js';
import { outputSplit, reductionAt, vectorBytes } from './conventions.js';
import { constraintRules } from './rules.js';

const MASK = [RELEVANT.filter, RELEVANT.window, RELEVANT.output];

/**
 * The `timeloop` template's cost model: Timeloop's model is a loop-nest model, so this is core's engine (legality,
 * accesses, one composition) with one effect, Timeloop v3's accounting of what a level is charged for
 * (`conventions.ts`): the bytes each level's port carries and is charged energy for are Timeloop's reads, fills and
 * updates, each rounded up to whole vector accesses per instance; a partial sum's drain is charged only as its
 * parent's update. The element counts stay the engine's. `blockBytes[l]` is level l's vector access in bytes.
 * `constraints` (the architecture constraints, hardware facts) are the template's rules after the engine's.
 */
export function timeloopCostModel(hw: HardwareModel, blockBytes: Float64Array, constraints?: ArchConstraints): CostModel {
  const L = hw.levels.length;
  // Scratch for the partial-sum split, allocated once per hardware model (the effect runs per mapping).
  const up = new Float64Array(L);
  const down = new Float64Array(L);
  const fill = new Float64Array(L);
  const reduction = new Float64Array(L);
  const effects = (op: MacOp, m: Mapping, out: Cost): void => {
    const mask = MASK[op.projections[2]];
    for (let l = 0; l < L; l++) reduction[l] = reductionAt(m.spatialX, m.spatialY, l, mask);
    outputSplit(L, out.reads, out.writes, m.keep, reduction, up, down, fill);
    const ops = op.operands;
    const b0 = ops[0].bytes;
    const b1 = ops[1].bytes;
    const b2 = ops[2].bytes;
    const rb = out.readBytes;
    const wb = out.writeBytes;
    for (let l = 0; l < L; l++) {
      const inst = out.instances[l];
      const blk = blockBytes[l];
      const i = l * 3;
      rb[i] = vectorBytes(out.reads[i] * b0, inst, blk);
      wb[i] = vectorBytes(out.writes[i] * b0, inst, blk);
      rb[i + 1] = vectorBytes(out.reads[i + 1] * b1, inst, blk);
      wb[i + 1] = vectorBytes(out.writes[i + 1] * b1, inst, blk);
      rb[i + 2] = vectorBytes(down[l] * b2, inst, blk);
      wb[i + 2] = vectorBytes(up[l] * b2, inst, blk) + vectorBytes(fill[l] * b2, inst, blk);
    }
  };
  // The output split reads the conv projections (`MASK[op.projections[2]]`): einsum ops come through their GEMM form.
  const model = loopNestCostModel(hw, constraints ? { effects, rules: constraintRules(constraints) } : { effects });
  return { ...model, supports: (op: MacOp) => op.nest.conv };
}

/** A `timeloop` hardware model: it carries the architecture constraints its cost model enforces, for mappers. */
export interface TimeloopHardwareModel extends HardwareModel {
  readonly timeloopConstraints?: ArchConstraints;
}

/** The architecture constraints a `timeloop` hardware model enforces, or undefined (none given, or another template). */
export function timeloopConstraintsOf(hw: HardwareModel): ArchConstraints | undefined {
  return hw.template === 'timeloop' ? (hw as TimeloopHardwareModel).timeloopConstraints : undefined;
}

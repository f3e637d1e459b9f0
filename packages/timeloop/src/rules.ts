import { DIM_COUNT, Illegal, type Cost, type Mapping, type MacOp } from '@trim-dse/core';
import type { ArchConstraints } from './constraints.js';

/**
 * The template's legality rules from the architecture constraints (hardware facts: what each level keeps, which
 * factors its temporal loops and its fanout may take, on which axis, in which loop order). Runs after the engine's
 * own rules; a violation is `Illegal.Template` at the level with the constraint's sentence. Loop order is checked
 * only among loops with a factor above 1 (a loop of one iteration has no place in the nest that changes anything).
 */
export function constraintRules(c: ArchConstraints): (op: MacOp, m: Mapping, out: Cost) => Cost {
  const L = c.levels;
  return (op, m, out) => {
    const bounds = op.bounds;
    for (let l = 0; l < L; l++) {
      const base = l * DIM_COUNT;
      for (let d = 0; d < DIM_COUNT; d++) {
        const i = base + d;
        const t = c.temporal[i];
        if (t !== -1 && m.temporal[i] !== (t === 0 ? bounds[d] : t)) return out.fail(Illegal.Template, l, d, c.reasonTemporal[i]);
        const x = m.spatialX[i];
        const y = m.spatialY[i];
        const s = c.spatial[i];
        if (s !== -1 && x * y !== (s === 0 ? bounds[d] : s)) return out.fail(Illegal.Template, l, d, c.reasonSpatial[i]);
        const a = c.axis[i];
        if ((a === 0 && y !== 1) || (a === 1 && x !== 1)) return out.fail(Illegal.Template, l, d, c.reasonAxis[i]);
      }
      // Innermost first: the listed dims in their ranks, then the unlisted ones.
      let lastRank = -1;
      let unlisted = false;
      for (let p = DIM_COUNT - 1; p >= 0; p--) {
        const d = m.order[base + p];
        if (m.temporal[base + d] === 1) continue;
        const r = c.rank[base + d];
        if (r < 0) unlisted = true;
        else if (unlisted || r < lastRank) return out.fail(Illegal.Template, l, d, c.reasonOrder[base + d]);
        else lastRank = r;
      }
      for (let s = 0; s < 3; s++) {
        const k = c.keep[l * 3 + s];
        if (k !== -1 && m.keep[l * 3 + s] !== k) return out.fail(Illegal.Template, l, -1, c.reasonKeep[l * 3 + s]);
      }
    }
    return out;
  };
}

import { DIM_COUNT, type HardwareModel, type Mapping } from '@trim-dse/core';
import { stringify } from 'yaml';

/** TRIM's loop dims → Timeloop's CNN-layer dimensions (G has none: a grouped op has no Timeloop mapping). */
const TIMELOOP_DIM = ['N', '', 'M', 'C', 'P', 'Q', 'R', 'S'];
const DATA_SPACE = ['Weights', 'Inputs', 'Outputs'];

/**
 * A TRIM mapping as Timeloop's `map.yaml` (what `timeloop-model` evaluates): per level a temporal directive (factors
 * of every dim, permutation innermost first), a spatial one where the level fans out (the x dims first, `split` of
 * them) and the bypass directive of what it keeps. The inverse of `timeloopMapping`; a grouped op (G > 1) is refused.
 */
export function timeloopMapYaml(m: Mapping, hw: HardwareModel): string {
  const mapping: Record<string, unknown>[] = [];
  for (let l = 0; l < m.levels; l++) {
    const target = hw.levels[l].name;
    const base = l * DIM_COUNT;
    if (m.temporal[base + 1] * m.spatialX[base + 1] * m.spatialY[base + 1] !== 1) throw new RangeError('timeloopMapYaml: a grouped op (G > 1) has no Timeloop CNN-layer mapping');
    const factors = (a: Int32Array) => TIMELOOP_DIM.map((n, d) => (n ? `${n}=${a[base + d]}` : '')).filter(Boolean).join(' ');
    const permutation = Array.from(m.order.subarray(base, base + DIM_COUNT))
      .reverse()
      .map((d) => TIMELOOP_DIM[d])
      .join('');
    mapping.push({ target, type: 'temporal', factors: factors(m.temporal), permutation });
    const lv = hw.levels[l];
    if (lv.fanoutX * lv.fanoutY > 1) {
      const xs: string[] = [];
      const ys: string[] = [];
      const rest: string[] = [];
      const spatial = new Int32Array(m.levels * DIM_COUNT);
      for (let d = 0; d < DIM_COUNT; d++) {
        if (!TIMELOOP_DIM[d]) continue;
        spatial[base + d] = m.spatialX[base + d] * m.spatialY[base + d];
        if (m.spatialX[base + d] > 1) xs.push(TIMELOOP_DIM[d]);
        else if (m.spatialY[base + d] > 1) ys.push(TIMELOOP_DIM[d]);
        else rest.push(TIMELOOP_DIM[d]);
      }
      mapping.push({ target, type: 'spatial', factors: factors(spatial), permutation: [...xs, ...ys, ...rest].join(''), split: xs.length });
    }
    if (l < m.levels - 1) {
      const keep = [0, 1, 2].filter((s) => m.keep[l * 3 + s]).map((s) => DATA_SPACE[s]);
      const bypass = [0, 1, 2].filter((s) => !m.keep[l * 3 + s]).map((s) => DATA_SPACE[s]);
      mapping.push({ target, type: 'bypass', keep, bypass });
    }
  }
  return stringify({ mapping });
}

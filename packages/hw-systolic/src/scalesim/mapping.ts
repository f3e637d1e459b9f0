import { C, ceilDiv, DIM_COUNT, G, K, N, P, Q, R, S, type MacOp, type Mapping } from '@trim-dse/core';
import { IS, OS, WS, type SystolicDataflowCode } from './codes.js';

const PACK_ORDER = [C, S, R, Q, P, N, K, G] as const;

/** Role of a dim in the GEMM view (`gemm.ts`). */
const GROUP = 0;
const PIXEL = 1;
const WINDOW = 2;
const FILTER = 3;

function roleOf(op: MacOp, d: number): number {
  const inOut = (op.nest.mask[2] >> d) & 1;
  const inF = (op.nest.mask[0] >> d) & 1;
  const inI = (op.nest.mask[1] >> d) & 1;
  if (d === G || (inOut && inF && inI)) return GROUP;
  if (!inOut) return WINDOW;
  return inF ? FILTER : PIXEL;
}

/** The operand slot each dataflow keeps in the PEs (WS weights, OS outputs, IS inputs). */
const STATIONARY_SLOT = { [WS]: 0, [OS]: 2, [IS]: 1 } as const;

/**
 * The loop nest the array runs for an op (the template's `describe`, for reports): the GEMM extent on each array
 * axis is spread over its dims innermost-last (SCALE-Sim flattens them, so the per-dim split is approximate), the
 * streamed extent runs in time at the SRAM level and the folds at the DRAM level; the PEs keep the stationary
 * operand only. Levels: 0 PE, L−2 SRAM (array), L−1 DRAM. The cost model reads none of it but the stationary operand.
 */
export function systolicMapping(op: MacOp, rows: number, cols: number, df: SystolicDataflowCode, m: Mapping): Mapping {
  const L = m.levels;
  const A = L - 2;
  const top = L - 1;
  m.temporal.fill(1);
  m.spatialX.fill(1);
  m.spatialY.fill(1);
  m.keep.fill(1);
  for (let l = 0; l < A; l++) for (let t = 0; t < 3; t++) m.keep[l * 3 + t] = t === STATIONARY_SLOT[df] ? 1 : 0;
  const rowRole = df === OS ? PIXEL : WINDOW;
  const colRole = df === WS || df === OS ? FILTER : PIXEL;
  let leftRows = rows;
  let leftCols = cols;
  // Fastest-varying index of SCALE-Sim's im2col first (window: c, s, r; pixels: q, p, n), so it fills the axis.
  for (let k = 0; k < DIM_COUNT; k++) {
    const d = PACK_ORDER[k];
    const b = op.bounds[d];
    const role = roleOf(op, d);
    const i = A * DIM_COUNT + d;
    if (role === rowRole && leftRows > 1) {
      const f = Math.min(b, leftRows);
      m.spatialY[i] = f;
      leftRows = Math.floor(leftRows / f);
      m.temporal[top * DIM_COUNT + d] = ceilDiv(b, f);
    } else if (role === colRole && leftCols > 1) {
      const f = Math.min(b, leftCols);
      m.spatialX[i] = f;
      leftCols = Math.floor(leftCols / f);
      m.temporal[top * DIM_COUNT + d] = ceilDiv(b, f);
    } else if (role === rowRole || role === colRole || role === GROUP) {
      m.temporal[top * DIM_COUNT + d] = b;
    } else {
      m.temporal[A * DIM_COUNT + d] = b;
    }
  }
  m.overheadLevel = top;
  m.overheadCycles = 0;
  return m;
}

import { capabilityOf, Cost, DIM_COUNT, DIMS, emptyMapping, type Dim, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import { engineFor, fpgaEngineCapability, type FpgaEngine } from '@trim-dse/fpga-kit';
import type { FpgaDataflowConfig } from './schema.js';
import { tileCandidates } from './tiles.js';

const dN = DIMS.indexOf('N');
const dG = DIMS.indexOf('G');
const dK = DIMS.indexOf('K');
const dC = DIMS.indexOf('C');
const dP = DIMS.indexOf('P');
const dQ = DIMS.indexOf('Q');
const dR = DIMS.indexOf('R');
const dS = DIMS.indexOf('S');

const codes = (o: readonly Dim[]): number[] => o.map((d) => DIMS.indexOf(d));

/**
 * Loop orders of the DRAM-level (tile) loops, outermost first. Zhang et al. FPGA'15 (Code 2): rows, columns, output
 * channels, input channels — output tiles finish on chip, inputs reload per output-channel tile. The others keep
 * inputs (C before K), or weights (K, C outside the plane loops) resident instead; the template charges their
 * partial-sum spills.
 */
export const ZHANG_ORDER = codes(['N', 'G', 'R', 'S', 'P', 'Q', 'K', 'C']);
const OTHER_ORDERS = [
  codes(['N', 'G', 'R', 'S', 'P', 'Q', 'C', 'K']),
  codes(['N', 'G', 'R', 'S', 'K', 'C', 'P', 'Q']),
  codes(['N', 'G', 'R', 'S', 'K', 'P', 'Q', 'C']),
];
/** Inside a tile: output rows, columns, then the kernel window (Zhang's pipelined loops). */
const TILE_ORDER = codes(['N', 'G', 'K', 'C', 'P', 'Q', 'R', 'S']);

/** Whether a hardware model has an FPGA unrolled engine to map onto (the `fpga-engine` capability). */
export function hasEngine(hw: HardwareModel): boolean {
  return hw.levels.length === 2 && capabilityOf(hw, fpgaEngineCapability) !== undefined;
}

/**
 * The engine's unrolls on the template's two levels: level 0 (bram) unrolls, across x, K by min(Tm, K) (on a
 * depthwise engine the lanes left over take groups), Q by Tp and P by Ty; across y, C by min(Tn, C), S by Tk and R
 * by Tr; and loops the rest of the tile, Tr × Tc output pixels and the kernel, in time. Level 1 (dram) loops over the
 * tiles. A Winograd engine (F(m×m, r×r)) offers, for an r×r kernel at stride 1, the transform (m×m outputs and the
 * whole kernel per PE), and for every layer the direct mode on its (m+r−1)² multipliers per PE. Tiles Tr × Tc are the
 * sizes that change the tile count (`tileCandidates`); a tile the template rejects (`hw.cost.check`: its banks, its
 * wiring) is not proposed. When the template rejects every tile, the smallest one is proposed anyway, so that the
 * template's reason reaches the user.
 */
export function fpgaMapspace(op: MacOp, hw: HardwareModel, emit: (m: Mapping) => void, config: FpgaDataflowConfig): void {
  const facts = capabilityOf(hw, fpgaEngineCapability);
  if (!facts || hw.levels.length !== 2) return;
  // A layer without a stage is laid on the largest engine: the template then says why it cannot run.
  const e = engineFor(facts, op.layer) ?? facts.engine;
  const b = op.bounds;
  const m = emptyMapping(2);
  const probe = new Cost(2);
  const L0 = 0;
  const L1 = DIM_COUNT;
  const kx = Math.min(e.Tm, b[dK]);
  // A depthwise engine's output lanes not taken by output channels take groups (each lane its own input channel).
  const gx = e.family === 'depthwise' ? Math.max(1, Math.min(Math.floor(e.Tm / kx), b[dG])) : 1;
  const modes = unrollModes(op, e);
  m.spatialX[L0 + dK] = kx;
  m.spatialX[L0 + dG] = gx;
  m.spatialY[L0 + dC] = Math.min(e.Tn, b[dC]);
  m.temporal[L1 + dN] = b[dN];
  m.temporal[L1 + dG] = Math.ceil(b[dG] / gx);
  m.temporal[L1 + dK] = Math.ceil(b[dK] / e.Tm);
  m.temporal[L1 + dC] = Math.ceil(b[dC] / e.Tn);
  for (let i = 0; i < DIM_COUNT; i++) m.order[L0 + i] = TILE_ORDER[i];
  for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = ZHANG_ORDER[i];
  const orders = config.loopOrders === 'zhang' ? [ZHANG_ORDER] : [ZHANG_ORDER, ...OTHER_ORDERS];
  let proposed = false;
  for (const tr of tileCandidates(b[dP])) {
    for (const tc of tileCandidates(b[dQ])) {
      for (const mode of modes) {
        const sS = Math.min(mode.S, b[dS]);
        const sR = Math.min(mode.R, b[dR]);
        const sq = Math.min(mode.Q, tc, Math.max(1, Math.floor(mode.perPe / (sS * sR))));
        const sp = Math.min(mode.P, tr, Math.max(1, Math.floor(mode.perPe / (sS * sR * sq))));
        m.spatialY[L0 + dS] = sS;
        m.spatialY[L0 + dR] = sR;
        m.temporal[L0 + dS] = Math.ceil(b[dS] / sS);
        m.temporal[L0 + dR] = Math.ceil(b[dR] / sR);
        const tq = Math.ceil(tc / sq);
        const tp = Math.ceil(tr / sp);
        m.spatialX[L0 + dQ] = sq;
        m.spatialX[L0 + dP] = sp;
        m.temporal[L0 + dP] = tp;
        m.temporal[L0 + dQ] = tq;
        m.temporal[L1 + dP] = Math.ceil(b[dP] / (tp * sp));
        m.temporal[L1 + dQ] = Math.ceil(b[dQ] / (tq * sq));
        // Legality does not depend on the order of the DRAM loops: check once per tile.
        for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = ZHANG_ORDER[i];
        if (!hw.cost.check(op, m, probe).legal) continue;
        proposed = true;
        for (const order of orders) {
          for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = order[i];
          emit(m);
        }
      }
    }
  }
  // m holds the smallest tile (1 × 1) in the last mode: the one most likely to fit.
  if (!proposed) emit(m);
}

/** The lanes one PE offers along Q, P (x) and S, R (y), and how many of them it may use at once. */
interface UnrollMode {
  readonly Q: number;
  readonly P: number;
  readonly S: number;
  readonly R: number;
  readonly perPe: number;
}

/**
 * The ways the engine unrolls an op's pixels and kernel: one (Tp, Ty, Tk, Tr) for most families; for a Winograd
 * engine the transform when the op has an r×r kernel at stride 1 (all m²·r² lanes), and the direct mode (at most
 * (m+r−1)² lanes, one per multiplier).
 */
function unrollModes(op: MacOp, e: FpgaEngine): UnrollMode[] {
  const Ty = e.Ty ?? 1;
  const Tr = e.Tr ?? 1;
  if (!e.winograd) return [{ Q: e.Tp, P: Ty, S: e.Tk, R: Tr, perPe: Infinity }];
  const { m, r } = e.winograd;
  const u2 = (m + r - 1) * (m + r - 1);
  const direct: UnrollMode = { Q: m, P: m, S: r, R: r, perPe: u2 };
  const b = op.bounds;
  const fits = b[dR] === r && b[dS] === r && op.strideH === 1 && op.strideW === 1 && op.dilationH === 1 && op.dilationW === 1;
  return fits ? [{ Q: m, P: m, S: r, R: r, perPe: Infinity }, direct] : [direct];
}

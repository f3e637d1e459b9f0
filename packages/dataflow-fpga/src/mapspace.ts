import { capabilityOf, Cost, DIM_COUNT, DIMS, emptyMapping, type Dim, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import { engineFor, fpgaEngineCapability } from '@trim-dse/fpga-kit';
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
 * Zhang's engine on the template's two levels: level 0 (bram) unrolls K by min(Tm, K) (× Q by Tp) across x and C by
 * min(Tn, C) (× S by Tk) across y and loops Tr × ⌈Tc/Tp⌉ × R × ⌈S/Tk⌉ in time; level 1 (dram) loops over the tiles.
 * Tiles Tr × Tc are the sizes that change the tile count (`tileCandidates`); a tile the template rejects
 * (`hw.cost.check`: its banks, its wiring) is not proposed. When the template rejects every tile, the smallest one
 * is proposed anyway, so that the template's reason reaches the user.
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
  m.spatialX[L0 + dK] = Math.min(e.Tm, b[dK]);
  m.spatialY[L0 + dC] = Math.min(e.Tn, b[dC]);
  const sk = Math.min(e.Tk, b[dS]);
  m.spatialY[L0 + dS] = sk;
  m.temporal[L0 + dR] = b[dR];
  m.temporal[L0 + dS] = Math.ceil(b[dS] / sk);
  m.temporal[L1 + dN] = b[dN];
  m.temporal[L1 + dG] = b[dG];
  m.temporal[L1 + dK] = Math.ceil(b[dK] / e.Tm);
  m.temporal[L1 + dC] = Math.ceil(b[dC] / e.Tn);
  for (let i = 0; i < DIM_COUNT; i++) m.order[L0 + i] = TILE_ORDER[i];
  for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = ZHANG_ORDER[i];
  const orders = config.loopOrders === 'zhang' ? [ZHANG_ORDER] : [ZHANG_ORDER, ...OTHER_ORDERS];
  let proposed = false;
  for (const tr of tileCandidates(b[dP])) {
    for (const tc of tileCandidates(b[dQ])) {
      const sp = Math.min(e.Tp, tc);
      const tq = Math.ceil(tc / sp);
      m.spatialX[L0 + dQ] = sp;
      m.temporal[L0 + dP] = tr;
      m.temporal[L0 + dQ] = tq;
      m.temporal[L1 + dP] = Math.ceil(b[dP] / tr);
      m.temporal[L1 + dQ] = Math.ceil(b[dQ] / (tq * sp));
      // Legality does not depend on the order of the DRAM loops: check once per tile.
      if (!hw.cost.check(op, m, probe).legal) continue;
      proposed = true;
      for (const order of orders) {
        for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = order[i];
        emit(m);
      }
    }
  }
  // m holds the smallest tile (1 × 1): the one most likely to fit.
  if (!proposed) emit(m);
}

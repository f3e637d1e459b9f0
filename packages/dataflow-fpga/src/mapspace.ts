import { DIM_COUNT, DIMS, emptyMapping, windowRows, type Dim, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';
import type { FpgaDataflowConfig } from './schema.js';
import { engineFor, fpgaView, type EngineView } from './meta.js';
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
 * inputs (C before K), or weights (K, C outside the plane loops) resident instead; the engine charges their partial
 * sum spills.
 */
export const ZHANG_ORDER = codes(['N', 'G', 'R', 'S', 'P', 'Q', 'K', 'C']);
const OTHER_ORDERS = [
  codes(['N', 'G', 'R', 'S', 'P', 'Q', 'C', 'K']),
  codes(['N', 'G', 'R', 'S', 'K', 'C', 'P', 'Q']),
  codes(['N', 'G', 'R', 'S', 'K', 'P', 'Q', 'C']),
];
/** Inside a tile: output rows, columns, then the kernel window (Zhang's pipelined loops). */
const TILE_ORDER = codes(['N', 'G', 'K', 'C', 'P', 'Q', 'R', 'S']);

/** Whether the op's kernel fits the weight banks of its engine (filter columns split over the kernel unroll). */
export function kernelFits(op: MacOp, e: EngineView): boolean {
  return op.bounds[dR] * Math.ceil(op.bounds[dS] / e.Tk) * 2 <= e.weightBankDepth;
}

/**
 * Zhang's engine on the core's two-level model: level 0 (BRAM) unrolls K by Tm (× Q by Tp) across x and C by Tn
 * (× S by Tk) across y and loops Tr × Tc × R × S in time; level 1 (DRAM) loops over the tiles. Tiles Tr × Tc are
 * searched over the sizes that change the tile count, pruned per bank: the input window of one channel (split in Tp
 * column phases) fits half an input bank, a Tr × Tc/Tp output tile fits one output memory.
 */
export function fpgaMapspace(op: MacOp, hw: HardwareModel, emit: (m: Mapping) => void, config: FpgaDataflowConfig): void {
  const view = fpgaView(hw);
  if (!view) return;
  const e = engineFor(view, op);
  if (!e || !kernelFits(op, e)) return;
  const b = op.bounds;
  const m = emptyMapping(2);
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
  const orders = config.loopOrders === 'zhang' ? [ZHANG_ORDER] : [ZHANG_ORDER, ...OTHER_ORDERS];
  const inputHalf = e.inputBankWords / 2;
  for (const tr of tileCandidates(b[dP])) {
    const rows = windowRows(tr, b[dR], op.strideH, op.dilationH);
    for (const tcRaw of tileCandidates(b[dQ])) {
      const sp = Math.min(e.Tp, tcRaw);
      const tq = Math.ceil(tcRaw / sp);
      const cols = windowRows(tq * sp, b[dS], op.strideW, op.dilationW);
      if (rows * Math.ceil(cols / sp) > inputHalf) continue;
      if (tr * tq > e.outputBankWords) continue;
      m.spatialX[L0 + dQ] = sp;
      m.temporal[L0 + dP] = tr;
      m.temporal[L0 + dQ] = tq;
      m.temporal[L1 + dP] = Math.ceil(b[dP] / tr);
      m.temporal[L1 + dQ] = Math.ceil(b[dQ] / (tq * sp));
      for (const order of orders) {
        for (let i = 0; i < DIM_COUNT; i++) m.order[L1 + i] = order[i];
        emit(m);
      }
    }
  }
}

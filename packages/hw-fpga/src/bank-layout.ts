import { C, DIM_COUNT, G, K, P, Q, R, S } from '@trim-dse/core';
import type { FullEngine } from './resources.js';

/**
 * How an engine family banks its buffers so that every MAC lane reads its word in the same cycle (one port per bank):
 * how many banks each operand has, how wide a weight entry is, and how many lanes split each dim of each operand's
 * tile ([slot · 8 + dim]; slot 0 weights, 1 inputs, 2 outputs; a window's rows are split by the P lanes and its
 * columns by the Q lanes).
 * - `unrolled` (Zhang FPGA'15): Tm·Tk·Tr weight banks of Tn-word entries; an input bank per input channel, column and
 *   row lane (Tn·Tp·Ty); an output lane per output channel, column and row (Tm·Tp·Ty), accumulating partial sums.
 * - `unrolled-reuse` (Ma FPGA'17): inputs shift between neighbouring PEs of a row, so one input bank per input
 *   channel and row lane (Tn·Ty) feeds the Tp columns; each PE accumulates its output over the input channels and
 *   the kernel in its register, and finished outputs drain through one memory per output channel lane (Tm).
 * - `convolver` (Qiu FPGA'16): each convolver builds its K×K window in line buffers from one new pixel per cycle, so one
 *   input bank per input channel (Tn); a PE reads its Tn convolvers' K×K weights as one Tn·K·K-word entry (Tm banks)
 *   and accumulates its output channel in one memory (Tm).
 * - `winograd`: a PE reads a transformed (m+r−1)² weight tile per input channel as one entry (Tm banks of
 *   Tn·(m+r−1)² words); the input tile's m+r−1 rows come from as many banks per input channel; each PE accumulates
 *   its m×m tile in registers, drained through one memory per output channel (Tm).
 * - `depthwise`: as `unrolled`, and the Tm output lanes may take groups, each with its own input channel: the inputs
 *   have max(Tn, Tm)·Tp·Ty banks, split by input channel and by group.
 */
export interface BankLayout {
  readonly weightBanks: number;
  /** Words of one weight entry (read together). */
  readonly weightBankWidth: number;
  readonly inputBanks: number;
  readonly outputLanes: number;
  /** Lanes splitting each dim per slot, [slot · 8 + dim]. */
  readonly lanes: Int32Array;
}

export function bankLayout(e: FullEngine): BankLayout {
  const lanes = new Int32Array(3 * DIM_COUNT).fill(1);
  const w = 0;
  const i = DIM_COUNT;
  const o = 2 * DIM_COUNT;
  lanes[w + K] = e.Tm;
  lanes[w + C] = e.Tn;
  lanes[w + S] = e.Tk;
  lanes[w + R] = e.Tr;
  lanes[i + C] = e.Tn;
  lanes[o + K] = e.Tm;
  // Families that keep the reduction (C, R, S) inside each PE's accumulator drain finished outputs through one
  // memory per output channel lane; the others accumulate in one memory per output lane.
  const drainLanes = e.Tm;
  switch (e.family) {
    case 'unrolled-reuse':
      lanes[i + P] = e.Ty;
      return { weightBanks: e.Tm * e.Tk * e.Tr, weightBankWidth: e.Tn, inputBanks: e.Tn * e.Ty, outputLanes: drainLanes, lanes };
    case 'convolver':
      return { weightBanks: e.Tm, weightBankWidth: e.Tn * e.Tk * e.Tr, inputBanks: e.Tn, outputLanes: drainLanes, lanes };
    case 'winograd': {
      const rows = e.Ty + e.Tr - 1;
      lanes[i + P] = e.Ty;
      return { weightBanks: e.Tm, weightBankWidth: e.Tn * e.tileValues, inputBanks: e.Tn * rows, outputLanes: drainLanes, lanes };
    }
    default:
      break;
  }
  lanes[o + Q] = e.Tp;
  lanes[o + P] = e.Ty;
  const outputLanes = e.Tm * e.Tp * e.Ty;
  switch (e.family) {
    case 'depthwise': {
      lanes[w + G] = e.Tm;
      lanes[i + G] = e.Tm;
      lanes[i + Q] = e.Tp;
      lanes[i + P] = e.Ty;
      lanes[o + G] = e.Tm;
      const channels = e.Tn > e.Tm ? e.Tn : e.Tm;
      return { weightBanks: e.Tm * e.Tk * e.Tr, weightBankWidth: e.Tn, inputBanks: channels * e.Tp * e.Ty, outputLanes, lanes };
    }
    default:
      lanes[i + Q] = e.Tp;
      lanes[i + P] = e.Ty;
      return { weightBanks: e.Tm * e.Tk * e.Tr, weightBankWidth: e.Tn, inputBanks: e.Tn * e.Tp * e.Ty, outputLanes, lanes };
  }
}

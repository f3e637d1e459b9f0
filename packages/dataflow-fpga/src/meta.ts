import type { HardwareModel, MacOp } from '@trim-dse/core';

/**
 * The part of `HardwareModel.meta.fpga` (written by the `fpga` template of @trim-dse/hw-fpga) this dataflow reads.
 * Weight and input banks hold two tiles (ping-pong halves), each output memory holds one tile.
 */
export interface EngineView {
  readonly Tm: number;
  readonly Tn: number;
  readonly Tp: number;
  readonly Tk: number;
  /** Entries per weight bank; an entry holds the Tn weights read together. */
  readonly weightBankDepth: number;
  readonly inputBankWords: number;
  readonly outputBankWords: number;
}

export interface FpgaView {
  readonly wordBytes: number;
  readonly organisation: string;
  readonly engine: EngineView;
  readonly stages: Readonly<Record<string, EngineView>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

function isEngine(v: unknown): v is EngineView {
  if (!isRecord(v)) return false;
  for (const k of ['Tm', 'Tn', 'Tp', 'Tk', 'weightBankDepth', 'inputBankWords', 'outputBankWords']) if (typeof v[k] !== 'number') return false;
  return true;
}

/** The FPGA view of a hardware model, or undefined when it was not built by the fpga template. */
export function fpgaView(hw: HardwareModel): FpgaView | undefined {
  const f = hw.meta.fpga;
  if (!isRecord(f) || typeof f.wordBytes !== 'number' || typeof f.organisation !== 'string' || !isEngine(f.engine) || !isRecord(f.stages)) return undefined;
  return f as unknown as FpgaView;
}

/** The engine that runs an op: the time-shared one, or the op's layer stage in a layer-pipelined design. */
export function engineFor(view: FpgaView, op: MacOp): EngineView | undefined {
  if (view.organisation !== 'layer-pipelined') return view.engine;
  const s = view.stages[op.layer];
  return isEngine(s) ? s : undefined;
}

import { Port } from '@trim-dse/core';

/** The backing store's link (the last memory level) as the hardware model prices it. */
export interface DramLink {
  /** GB/s (1e9 bytes per second) of reads, or "unbounded". */
  readonly readGBps: number | 'unbounded';
  readonly writeGBps: number | 'unbounded';
  /** `shared`: reads and writes share one port; `split`: a read and a write port; `per-operand`: one port per operand. */
  readonly port: 'shared' | 'split' | 'per-operand';
  /** Transfers overlap compute (double-buffered), or stall it. */
  readonly overlapsCompute: boolean;
}

/** The parts of a hardware model the assumptions read (core's `HardwareModel` is one). */
export interface HardwareFacts {
  readonly clockMHz: number;
  readonly levels: ReadonlyArray<{ readonly readBytesPerCycle: number; readonly writeBytesPerCycle: number; readonly port: number; readonly doubleBuffered: boolean }>;
}

/** Bytes per cycle at `clockMHz` in GB/s: bytes/cycle × 1e6 cycles/s per MHz ÷ 1e9 bytes per GB. */
function gbps(bytesPerCycle: number, clockMHz: number): number | 'unbounded' {
  return Number.isFinite(bytesPerCycle) ? (bytesPerCycle * clockMHz) / 1000 : 'unbounded';
}

/** The DRAM link of a hardware model, in GB/s. */
export function dramLink(hw: HardwareFacts): DramLink | undefined {
  const top = hw.levels[hw.levels.length - 1];
  if (!top) return undefined;
  const port = top.port === Port.Split ? 'split' : top.port === Port.PerOperand ? 'per-operand' : 'shared';
  return {
    readGBps: gbps(top.readBytesPerCycle, hw.clockMHz),
    writeGBps: gbps(port === 'split' ? top.writeBytesPerCycle : top.readBytesPerCycle, hw.clockMHz),
    port,
    overlapsCompute: top.doubleBuffered,
  };
}

/** 4 significant digits without trailing zeros (0.48, 25.6, 34), thousands separated. */
const rate = (v: number | 'unbounded') => (v === 'unbounded' ? 'unbounded' : `${Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 })} GB/s`);

/** e.g. `34 GB/s shared by reads and writes, overlapping compute`, or `unbounded (no DRAM stalls)`. */
export function dramText(d: DramLink): string {
  const overlap = d.overlapsCompute ? 'overlapping compute' : 'stalling compute (transfers add to the time)';
  if (d.readGBps === 'unbounded' && d.writeGBps === 'unbounded') return 'unbounded (no DRAM stalls; set a bandwidth to see them)';
  if (d.port === 'split') return `${rate(d.readGBps)} read + ${rate(d.writeGBps)} write, ${overlap}`;
  if (d.port === 'per-operand') return `${rate(d.readGBps)} per operand (weights, inputs and outputs each have a link), ${overlap}`;
  return `${rate(d.readGBps)} shared by reads and writes, ${overlap}`;
}

const GOAL_RULE: Record<string, string> = {
  latency: 'fewest cycles, then least energy',
  energy: 'least energy, then fewest cycles',
  edp: 'smallest energy × cycles, then fewest cycles',
};

/** How each op's dataflow and mapping were picked. */
export function dataflowText(requested: string | undefined, candidates: readonly string[] | undefined, goal: string | undefined, chosen: ReadonlyMap<string, number>): string {
  const rule = goal !== undefined ? `by ${goal} (${GOAL_RULE[goal] ?? goal})` : '';
  const picked = [...chosen.entries()].map(([df, n]) => `${df} ${n}`).join(', ');
  if (requested?.startsWith('mapping file ')) return `as given by the ${requested} (no search); ops: ${picked}`;
  if (requested !== undefined && requested !== 'auto') return `${requested} (--dataflow), best mapping per op ${rule}; ops: ${picked}`;
  const among = candidates && candidates.length > 0 ? ` of ${candidates.join(', ')}` : '';
  return `auto: per op the best dataflow${among} and mapping ${rule}; chosen: ${picked}`;
}

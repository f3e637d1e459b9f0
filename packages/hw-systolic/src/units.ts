import type { SystolicSpec } from './schema.js';

/** Bytes of a buffer of `kB` kilobytes (1 KB = 1024 bytes, as SCALE-Sim's `*SramSzkB`). */
export function kbToBytes(kB: number): number {
  return Math.floor(kB * 1024);
}

/**
 * DRAM bytes per cycle (per interface) from the spec: `{ GBps }` at the clock (GB/s = 1e9 bytes/s), a plain number of
 * words of `wordBits` per cycle (SCALE-Sim's `Bandwidth`), or unbounded (SCALE-Sim's `InterfaceBandwidth: CALC`).
 */
export function dramBytesPerCycle(spec: Pick<SystolicSpec, 'dram' | 'clockMHz' | 'wordBits'>): number {
  const bw = spec.dram.bandwidth;
  if (bw === 'unbounded') return Infinity;
  if (typeof bw === 'number') return (bw * spec.wordBits) / 8;
  return (bw.GBps * 1e9) / (spec.clockMHz * 1e6);
}

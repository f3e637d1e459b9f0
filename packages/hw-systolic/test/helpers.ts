import { Cost, emptyMapping, macOp, type HardwareModel, type MacOp, type Mapping, type MacOpInit } from '@trim-dse/core';
import { buildSystolic } from '../src/build.js';
import { systolicSchema, type SystolicSpecInput } from '../src/schema.js';

/** A systolic model from a partial spec (rows × cols, 64 KB buffers, unbounded per-operand DRAM by default). */
export function array(rows: number, cols: number, o: Partial<SystolicSpecInput> = {}): HardwareModel {
  const spec = systolicSchema.parse({ rows, cols, sram: { ifmapKB: 64, filterKB: 64, ofmapKB: 64 }, dram: { interfaces: 'per-operand' }, ...o });
  return buildSystolic(spec, o.name ?? `${rows}x${cols}`);
}

const operands = (bytes: number) =>
  [
    { tensor: 'weights', projection: 'filter', bytes, density: 1 },
    { tensor: 'inputs', projection: 'window', bytes, density: 1 },
    { tensor: 'outputs', projection: 'output', bytes, density: 1 },
  ] as const;

/** A forward conv with 1-byte operands (SCALE-Sim's words) unless `bytes` says otherwise. */
export function conv(bounds: MacOpInit['bounds'], stride = 1, extra: Partial<MacOpInit> = {}, bytes = 1): MacOp {
  return macOp({ name: 'conv', layer: 'conv', layerKind: 'conv2d', phase: 'forward', bounds, strideH: stride, strideW: stride, operands: operands(bytes), ...extra });
}

/** An M×K by K×N GEMM in TRIM's convention (P = M, C = K, K = N). */
export function gemm(m: number, n: number, k: number, bytes = 1): MacOp {
  return macOp({ name: 'gemm', layer: 'gemm', layerKind: 'matmul', phase: 'forward', bounds: { P: m, C: k, K: n }, operands: operands(bytes) });
}

/** Operand slot each SCALE-Sim dataflow keeps in the PEs. */
const STATIONARY = { ws: 0, is: 1, os: 2 } as const;

/** A mapping of the model's three levels that keeps `keep` (one flag per slot) at the pe level, everything above. */
export function keeping(keep: readonly [number, number, number]): Mapping {
  const m = emptyMapping(3);
  for (let t = 0; t < 3; t++) m.keep[t] = keep[t];
  return m;
}

/** A mapping that keeps the operand of SCALE-Sim dataflow `df` stationary (nothing else is read by the template). */
export function stationary(df: 'ws' | 'os' | 'is'): Mapping {
  const k: [number, number, number] = [0, 0, 0];
  k[STATIONARY[df]] = 1;
  return keeping(k);
}

/** The template's own price of `op` with `df`'s operand stationary (`hw.cost.evaluate`). */
export function run(op: MacOp, hw: HardwareModel, df: 'ws' | 'os' | 'is'): Cost {
  return hw.cost.evaluate(op, stationary(df), new Cost(hw.levels.length));
}

/** Level indices of the systolic model and operand slots. */
export const PE = 0;
export const SRAM = 1;
export const DRAM = 2;
export const FILTER = 0;
export const IFMAP = 1;
export const OFMAP = 2;

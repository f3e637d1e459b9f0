import { Cost, dataflowCode, evaluateSystolic, macOp, type HardwareModel, type MacOp, type SystolicDataflow } from '@trim-dse/core';
import { buildSystolic } from '../src/build.js';
import { systolicSchema, type SystolicSpecInput } from '../src/schema.js';

/** A systolic model from a partial spec (rows × cols, 64 KB buffers, unbounded DRAM by default). */
export function array(rows: number, cols: number, o: Partial<SystolicSpecInput> = {}): HardwareModel {
  const spec = systolicSchema.parse({ rows, cols, sram: { ifmapKB: 64, filterKB: 64, ofmapKB: 64 }, dram: { interfaces: 'per-operand' }, ...o });
  return buildSystolic(spec, o.name ?? `${rows}x${cols}`);
}

const operands = [
  { tensor: 'weights', projection: 'filter', bytes: 1, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 1, density: 1 },
  { tensor: 'outputs', projection: 'output', bytes: 1, density: 1 },
] as const;

export function conv(bounds: Partial<Record<'N' | 'G' | 'K' | 'C' | 'P' | 'Q' | 'R' | 'S', number>>, stride = 1): MacOp {
  return macOp({ name: 'conv', layer: 'conv', layerKind: 'conv2d', phase: 'forward', bounds, strideH: stride, strideW: stride, operands });
}

/** An M×K by K×N GEMM in TRIM's convention (P = M, C = K, K = N). */
export function gemm(m: number, n: number, k: number): MacOp {
  return macOp({ name: 'gemm', layer: 'gemm', layerKind: 'matmul', phase: 'forward', bounds: { P: m, C: k, K: n }, operands });
}

export function run(op: MacOp, hw: HardwareModel, df: SystolicDataflow): Cost {
  return evaluateSystolic(op, hw, dataflowCode(df), new Cost(hw.levels.length));
}

/** Level indices of the systolic model. */
export const PE = 0;
export const SRAM = 1;
export const DRAM = 2;
export const FILTER = 0;
export const IFMAP = 1;
export const OFMAP = 2;

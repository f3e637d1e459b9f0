import { withInputZeroFractions, type MacOp } from '@trim-dse/core';

/** Eyeriss's measured sparsity on the CONV ops (core `withInputZeroFractions`, which states the assumptions). */
export function withEyerissDensities(ops: readonly MacOp[], zeroFraction: Readonly<Record<string, number>>): MacOp[] {
  return withInputZeroFractions(ops, zeroFraction) as MacOp[];
}

import { macOp, type MacOp } from '@trim-dse/core';

/**
 * Applies Eyeriss's measured sparsity to the CONV ops: the input density of each layer is 1 − its published ifmap
 * zero fraction (the first layer's input, the image, is taken dense and is not compressed); the output density of
 * layer i is the input density of layer i + 1 (post-ReLU zeros, before off-chip pooling, are at least as many, so
 * this over-estimates the compressed size); the last layer reuses its own input density. Filters stay dense.
 */
export function withEyerissDensities(ops: readonly MacOp[], zeroFraction: Readonly<Record<string, number>>): MacOp[] {
  const inDensity = ops.map((op, i) => (i === 0 ? 1 : 1 - (zeroFraction[op.layer] ?? 0)));
  return ops.map((op, i) => {
    const outDensity = i + 1 < ops.length ? inDensity[i + 1] : inDensity[i];
    const [w, x, y] = op.operands;
    const b = op.bounds;
    return macOp({
      name: op.name,
      layer: op.layer,
      layerKind: op.layerKind,
      phase: op.phase,
      bounds: { N: b[0], G: b[1], K: b[2], C: b[3], P: b[4], Q: b[5], R: b[6], S: b[7] },
      strideH: op.strideH,
      strideW: op.strideW,
      dilationH: op.dilationH,
      dilationW: op.dilationW,
      operands: [w, { ...x, density: inDensity[i] }, { ...y, density: outDensity }],
    });
  });
}

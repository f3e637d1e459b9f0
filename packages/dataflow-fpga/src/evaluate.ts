import { evaluate, macOp, type Cost, type HardwareModel, type MacOp, type Mapping } from '@trim-dse/core';

/** The op with every operand in the FPGA datapath's precision (data sits in DRAM in that format). */
const retyped = new WeakMap<MacOp, Array<MacOp | undefined>>();

export function inPrecision(op: MacOp, wordBytes: number): MacOp {
  const o = op.operands;
  if (o[0].bytes === wordBytes && o[1].bytes === wordBytes && o[2].bytes === wordBytes) return op;
  let byBytes = retyped.get(op);
  if (!byBytes) {
    byBytes = [];
    retyped.set(op, byBytes);
  }
  let r = byBytes[wordBytes];
  if (!r) {
    const [n, g, k, c, p, q, rr, s] = op.bounds;
    r = macOp({
      name: op.name,
      layer: op.layer,
      layerKind: op.layerKind,
      phase: op.phase,
      bounds: { N: n, G: g, K: k, C: c, P: p, Q: q, R: rr, S: s },
      strideH: op.strideH,
      strideW: op.strideW,
      dilationH: op.dilationH,
      dilationW: op.dilationW,
      operands: [
        { ...op.operands[0], bytes: wordBytes },
        { ...op.operands[1], bytes: wordBytes },
        { ...op.operands[2], bytes: wordBytes },
      ],
    });
    byBytes[wordBytes] = r;
  }
  return r;
}

function wordBytesOf(hw: HardwareModel): number {
  const f = hw.meta.fpga as { wordBytes?: unknown } | undefined;
  return f && typeof f.wordBytes === 'number' ? f.wordBytes : hw.wordBits / 8;
}

/**
 * The core engine on the op re-typed to the design's precision. Compute cycles are Zhang et al.'s
 * ⌈M/Tm⌉·⌈N/Tn⌉·⌈R/Tr⌉·⌈C/Tc⌉·Tr·Tc·K·K (the product of the temporal loops); DRAM transfers overlap compute
 * (double-buffered), so a layer takes max(compute, DRAM words / words per cycle): the CTC roofline per layer.
 * The re-typed op is cached by `fpgaMapspace` before the first call, so this path allocates nothing.
 */
export function fpgaEvaluate(op: MacOp, hw: HardwareModel, m: Mapping, out: Cost): Cost {
  return evaluate(inPrecision(op, wordBytesOf(hw)), hw, m, out);
}

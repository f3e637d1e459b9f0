import type { OnnxNode } from './model.js';

/** The exact GELU written out around `Erf` (opset < 20), recognised as one `gelu` element-wise layer. */
export interface GeluPattern {
  /** The activation GELU is applied to. */
  readonly input: string;
}

/**
 * Finds GELU as PyTorch (opset < 20) and Hugging Face's BERT/ViT write it:
 *   torch:  Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)
 *   HF:     Mul(Mul(x, 0.5), Add(Erf(Div(x, √2)), 1))
 * (`Mul(x, 1/√2)` for the Div, operands in either order). Every intermediate must feed only the pattern.
 * Returns the node writing GELU's output → the pattern, and the other nodes of the patterns.
 */
export function findGeluPatterns(nodes: readonly OnnxNode[], isConst: (name: string) => boolean): { at: Map<number, GeluPattern>; absorbed: Set<number> } {
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
    for (const t of n.inputs) if (t) consumers.set(t, [...(consumers.get(t) ?? []), i]);
  });
  const only = (t: string): number | undefined => {
    const c = consumers.get(t) ?? [];
    return c.length === 1 ? c[0] : undefined;
  };
  const other = (i: number, t: string): string | undefined => {
    const ins = nodes[i].inputs;
    return ins.length === 2 && ins[0] === t ? ins[1] : ins.length === 2 && ins[1] === t ? ins[0] : undefined;
  };
  /** `i` is `type` with `t` as one operand and a constant as the other. */
  const byConst = (i: number | undefined, type: string, t: string): i is number => i !== undefined && nodes[i].opType === type && isConst(other(i, t) ?? '');
  const at = new Map<number, GeluPattern>();
  const absorbed = new Set<number>();
  nodes.forEach((erf, e) => {
    if (erf.opType !== 'Erf') return;
    const s = producer.get(erf.inputs[0]);
    if (s === undefined || only(erf.inputs[0]) !== e || !['Div', 'Mul'].includes(nodes[s].opType) || !isConst(nodes[s].inputs[1])) return;
    const x = nodes[s].inputs[0];
    if (isConst(x)) return;
    const a = only(erf.outputs[0]);
    if (!byConst(a, 'Add', erf.outputs[0])) return;
    const m1 = only(nodes[a].outputs[0]);
    if (m1 === undefined || nodes[m1].opType !== 'Mul') return;
    const with1 = other(m1, nodes[a].outputs[0]);
    const path = [s, e, a];
    let end: number | undefined;
    if (with1 === x) {
      // torch: (x · (1 + erf)) · 0.5
      const m2 = only(nodes[m1].outputs[0]);
      if (!byConst(m2, 'Mul', nodes[m1].outputs[0])) return;
      path.push(m1);
      end = m2;
    } else {
      // HF: (x · 0.5) · (1 + erf)
      const h = with1 === undefined ? undefined : producer.get(with1);
      if (h === undefined || with1 === undefined || only(with1) !== m1 || !byConst(h, 'Mul', x)) return;
      path.push(h);
      end = m1;
    }
    for (const k of path) absorbed.add(k);
    at.set(end, { input: x });
  });
  return { at, absorbed };
}

import type { OnnxNode } from './model.js';

/** A LayerNorm or RMSNorm written out in primitive operators, recognised as one `norm` layer. */
export interface NormPattern {
  readonly mode: 'layer' | 'rms';
  /** The normalised activation. */
  readonly input: string;
  /** A Mul by a constant γ (and, for LayerNorm, an Add of a constant β) follows: the norm has parameters. */
  readonly affine: boolean;
}

export interface NormPatterns {
  /** The node whose output is the norm's output → the norm. */
  readonly at: ReadonlyMap<number, NormPattern>;
  /** The other nodes of the patterns (no layer of their own). */
  readonly absorbed: ReadonlySet<number>;
}

/**
 * Finds the norms PyTorch exports as primitives (LayerNorm before opset 17; RMSNorm always):
 *   LayerNorm: μ = ReduceMean(x); d = x − μ; σ² = ReduceMean(Pow(d, 2)); y = d / Sqrt(σ² + ε)   [· γ + β]
 *   RMSNorm:   σ² = ReduceMean(Pow(x, 2)); y = x · 1/Sqrt(σ² + ε)  (Reciprocal, Div(1, ·) or Div(x, ·))  [· γ]
 * Every intermediate must feed only the pattern; Casts between the steps (HF's float32 upcast) are allowed.
 * `isConst(name)`: the tensor is a constant (initializer, Constant node, or computed from constants only).
 */
export function findNormPatterns(nodes: readonly OnnxNode[], isConst: (name: string) => boolean): NormPatterns {
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
    for (const t of n.inputs) if (t) consumers.set(t, [...(consumers.get(t) ?? []), i]);
  });
  const at = new Map<number, NormPattern>();
  const absorbed = new Set<number>();
  const used = (i: number) => absorbed.has(i) || at.has(i);
  const op = (i: number | undefined, type: string) => i !== undefined && nodes[i].opType === type && !used(i);
  /** The single consumer of a tensor, looking through Casts (recorded in `via`). */
  const next = (t: string, via: number[]): number | undefined => {
    const c = consumers.get(t) ?? [];
    if (c.length !== 1) return undefined;
    if (nodes[c[0]].opType === 'Cast' && !used(c[0])) {
      via.push(c[0]);
      return next(nodes[c[0]].outputs[0], via);
    }
    return c[0];
  };
  const other = (i: number, t: string): string | undefined => {
    const ins = nodes[i].inputs;
    return ins.length === 2 && ins[0] === t ? ins[1] : ins.length === 2 && ins[1] === t ? ins[0] : undefined;
  };
  /** From the variance σ²: + ε, Sqrt, then y = v / s or v · (1/s). Returns the node writing y. */
  const scale = (variance: number, v: string, path: number[]): number | undefined => {
    let cur = nodes[variance].outputs[0];
    let n = next(cur, path);
    if (op(n, 'Add') && n !== undefined && isConst(other(n, cur) ?? '')) {
      path.push(n);
      cur = nodes[n].outputs[0];
      n = next(cur, path);
    }
    if (!op(n, 'Sqrt') || n === undefined) return undefined;
    path.push(n);
    const s = nodes[n].outputs[0];
    const m = next(s, path);
    if (m === undefined) return undefined;
    if (op(m, 'Div') && nodes[m].inputs[0] === v && nodes[m].inputs[1] === s) return m;
    const reciprocal = op(m, 'Reciprocal') || (op(m, 'Div') && nodes[m].inputs[1] === s && isConst(nodes[m].inputs[0]));
    if (!reciprocal) return undefined;
    path.push(m);
    const r = nodes[m].outputs[0];
    const y = next(r, path);
    return y !== undefined && op(y, 'Mul') && other(y, r) === v ? y : undefined;
  };
  /** σ² = ReduceMean(Pow(v, 2)) (or Mul(v, v)) feeding only the pattern. */
  const square = (p: number | undefined, v: string): boolean => p !== undefined && ((op(p, 'Pow') && nodes[p].inputs[0] === v && isConst(nodes[p].inputs[1])) || (op(p, 'Mul') && nodes[p].inputs[0] === v && nodes[p].inputs[1] === v));

  nodes.forEach((r, ri) => {
    if (r.opType !== 'ReduceMean' || used(ri) || isConst(r.inputs[0])) return;
    const path: number[] = [ri];
    let mode: 'layer' | 'rms' | undefined;
    let input = '';
    let end: number | undefined;
    const p = producer.get(r.inputs[0]);
    if (p !== undefined && square(p, nodes[p].inputs[0]) && (consumers.get(r.inputs[0]) ?? []).length === 1) {
      // RMSNorm: the mean of x².
      input = nodes[p].inputs[0];
      path.push(p);
      end = scale(ri, input, path);
      mode = 'rms';
    } else {
      // LayerNorm: the mean of x, then of (x − μ)².
      input = r.inputs[0];
      const sub = next(r.outputs[0], path);
      if (sub === undefined || !op(sub, 'Sub') || nodes[sub].inputs[0] !== input) return;
      path.push(sub);
      const d = nodes[sub].outputs[0];
      const dUses = consumers.get(d) ?? [];
      const sq = dUses.find((u) => square(u, d));
      const r2 = sq === undefined ? undefined : next(nodes[sq].outputs[0], path);
      if (sq === undefined || dUses.length !== 2 || !op(r2, 'ReduceMean') || r2 === undefined) return;
      path.push(sq, r2);
      end = scale(r2, d, path);
      mode = 'layer';
    }
    if (end === undefined) return;
    // γ (and β): a Mul by a constant, then for LayerNorm an Add of a constant.
    let affine = false;
    /** The node after `from` (through Casts) when it is `type` with a constant other operand. */
    const byConstant = (from: number, type: string, casts: number[]): number | undefined => {
      const n = next(nodes[from].outputs[0], casts);
      const fed = casts.length > 0 ? nodes[casts[casts.length - 1]].outputs[0] : nodes[from].outputs[0];
      return n !== undefined && op(n, type) && isConst(other(n, fed) ?? '') ? n : undefined;
    };
    const tail: number[] = [];
    const g = byConstant(end, 'Mul', tail);
    if (g !== undefined) {
      affine = true;
      path.push(end, ...tail);
      end = g;
      const tail2: number[] = [];
      const bta = mode === 'layer' ? byConstant(end, 'Add', tail2) : undefined;
      if (bta !== undefined) {
        path.push(end, ...tail2);
        end = bta;
      }
    }
    for (const k of path) absorbed.add(k);
    absorbed.delete(end);
    at.set(end, { mode, input, affine });
  });
  return { at, absorbed };
}

/**
 * The einsum view of a MAC op: named loop dims, and each operand an affine projection of them. An operand axis is
 * indexed by Σ coeff·dim over its terms: one term is a plain axis (`k`), two terms a sliding window
 * (`p·stride + r·dilation`, a convolution's input rows). The engine reads only the derived `NestInfo`: which dims
 * index each operand (relevance, for reuse) and the sizes of its tiles (plain extents × window rows).
 */

/** One term of an operand axis: `coeff · dim`. */
export interface AxisTerm {
  readonly dim: number;
  readonly coeff: number;
}

/** One axis of an operand. `valid` (0 = all) is the extent present in memory: windows past it read nothing. */
export interface OperandAxis {
  readonly terms: readonly AxisTerm[];
  readonly valid: number;
}

/** Masks are 32-bit: a MAC op has at most 30 loop dims (conv nests have 8; attention 5). */
export const MAX_DIMS = 30;

/**
 * The engine's view of one op's projections, derived once when the op is built:
 * - `mask[t]`: bit d set when dim d indexes operand t (its relevance: loops over other dims reuse its tiles);
 * - `plain[t]`: the dims of its plain axes; `win…[t]`: its window axes (`winP·winSP + winR·winSR`, `winValid`).
 * `conv` marks the classic conv nest (dims N G K C P Q R S, projections filter/window/output): templates whose model
 * is convolution-specific (SCALE-Sim's im2col) read its strides from the op.
 */
export interface NestInfo {
  readonly dims: number;
  readonly mask: readonly [number, number, number];
  readonly plain: readonly [Int32Array, Int32Array, Int32Array];
  readonly winP: readonly [Int32Array, Int32Array, Int32Array];
  readonly winR: readonly [Int32Array, Int32Array, Int32Array];
  readonly winSP: readonly [Float64Array, Float64Array, Float64Array];
  readonly winSR: readonly [Float64Array, Float64Array, Float64Array];
  readonly winValid: readonly [Float64Array, Float64Array, Float64Array];
  readonly conv: boolean;
}

type Triple<T> = [T, T, T];

/**
 * Nest views by projection structure. A network's ops share a handful of projection sets (every 3×3 stride-1 conv has
 * the same one), and a view is 18 typed arrays (~4 KB): building one per op made the op list of a 100 k-layer network
 * weigh 0.5 GB. Views are read-only after construction, so ops share them. The memo is emptied when it holds
 * `NEST_MEMO_LIMIT` distinct structures (only generated networks with a different stride per layer get there), which
 * bounds it without ever refusing an op.
 */
const nestMemo = new Map<string, NestInfo>();
const NEST_MEMO_LIMIT = 4096;

const axesKey = (axes: readonly OperandAxis[]) => axes.map((a) => `${a.terms.map((t) => `${t.dim}*${t.coeff}`).join('+')}<${a.valid}`).join(' ');

/** Derives the engine's view from the operands' axes (checks every term names a dim and every axis has 1–2 terms). */
export function nestInfo(dims: number, axes: readonly [readonly OperandAxis[], readonly OperandAxis[], readonly OperandAxis[]], conv: boolean, where: string): NestInfo {
  const key = `${dims}/${conv ? 1 : 0}/${axesKey(axes[0])}|${axesKey(axes[1])}|${axesKey(axes[2])}`;
  const known = nestMemo.get(key);
  if (known) return known;
  const built = buildNestInfo(dims, axes, conv, where);
  if (nestMemo.size >= NEST_MEMO_LIMIT) nestMemo.clear();
  nestMemo.set(key, built);
  return built;
}

function buildNestInfo(dims: number, axes: readonly [readonly OperandAxis[], readonly OperandAxis[], readonly OperandAxis[]], conv: boolean, where: string): NestInfo {
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) throw new RangeError(`${where}: ${dims} loop dims (at most ${MAX_DIMS})`);
  const mask: Triple<number> = [0, 0, 0];
  const plain = [] as unknown as Triple<Int32Array>;
  const winP = [] as unknown as Triple<Int32Array>;
  const winR = [] as unknown as Triple<Int32Array>;
  const winSP = [] as unknown as Triple<Float64Array>;
  const winSR = [] as unknown as Triple<Float64Array>;
  const winValid = [] as unknown as Triple<Float64Array>;
  for (let t = 0; t < 3; t++) {
    const p: number[] = [];
    const w: AxisTerm[][] = [];
    const valid: number[] = [];
    for (const a of axes[t]) {
      for (const term of a.terms) {
        if (!Number.isInteger(term.dim) || term.dim < 0 || term.dim >= dims) throw new RangeError(`${where}: operand ${t} names loop dim ${term.dim} of ${dims}`);
        if (!Number.isInteger(term.coeff) || term.coeff < 1) throw new RangeError(`${where}: operand ${t} has a coefficient ${term.coeff} (expected a positive integer)`);
        mask[t] |= 1 << term.dim;
      }
      // A single term is a plain axis whatever its coefficient: a strided index touches as many elements as it runs.
      if (a.terms.length === 1) p.push(a.terms[0].dim);
      else if (a.terms.length === 2) {
        w.push([a.terms[0], a.terms[1]]);
        valid.push(a.valid);
      } else throw new RangeError(`${where}: operand ${t} has an axis of ${a.terms.length} terms (1 or 2: plain or window)`);
    }
    plain[t] = Int32Array.from(p);
    winP[t] = Int32Array.from(w.map((x) => x[0].dim));
    winR[t] = Int32Array.from(w.map((x) => x[1].dim));
    winSP[t] = Float64Array.from(w.map((x) => x[0].coeff));
    winSR[t] = Float64Array.from(w.map((x) => x[1].coeff));
    winValid[t] = Float64Array.from(valid);
  }
  return { dims, mask, plain, winP, winR, winSP, winSR, winValid, conv };
}

/**
 * Parses an operand's axes written as text: axes separated by spaces or commas, each a dim name or a window
 * `p*2+r` / `q+s*2` (coefficients default to 1). Dim names are those of `dims`.
 */
export function parseAxes(text: string, dims: readonly string[], where: string): OperandAxis[] {
  const axes = text.split(/[\s,]+/).filter((a) => a !== '');
  return axes.map((axis) => {
    const terms = axis.split('+').map((term) => {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\*(\d+))?$|^(\d+)\*([A-Za-z_][A-Za-z0-9_]*)$/.exec(term);
      if (!m) throw new RangeError(`${where}: axis "${axis}": term "${term}" is not dim, dim*n or n*dim`);
      const name = m[1] ?? m[4];
      const coeff = Number(m[2] ?? m[3] ?? 1);
      const dim = dims.indexOf(name);
      if (dim < 0) throw new RangeError(`${where}: axis "${axis}" names "${name}", not a loop dim (${dims.join(', ')})`);
      return { dim, coeff };
    });
    return { terms, valid: 0 };
  });
}

/**
 * The role of each loop dim of an op, as a conv-nest letter, from which operands it indexes: `G` all three (batch,
 * heads, groups), `K` the weights side and the output (output features), `P` the inputs side and the output (pixels,
 * tokens), `C` the two inputs but not the output (the reduction), `R` the kernel term of a window. Dataflows that
 * name conv dims (`spatialY: ['C', 'R', 'S']`) reach an einsum's dims through their roles.
 */
export function dimRoles(nest: NestInfo): string[] {
  const [w, i, o] = nest.mask;
  const kernel = new Set<number>();
  for (let t = 0; t < 3; t++) for (const r of nest.winR[t]) kernel.add(r);
  const roles: string[] = [];
  for (let d = 0; d < nest.dims; d++) {
    const b = 1 << d;
    const inW = (w & b) !== 0;
    const inI = (i & b) !== 0;
    const inO = (o & b) !== 0;
    if (kernel.has(d)) roles.push('R');
    else if (inW && inI && inO) roles.push('G');
    else if (inO) roles.push(inW ? 'K' : 'P');
    else roles.push('C');
  }
  return roles;
}

/**
 * Dims of an op named in a list (conv names such as `K`, or an einsum's own names), in list order: a name the op
 * has is that dim; otherwise every dim whose role (`dimRoles`) is that letter.
 */
export function resolveDims(dims: readonly string[], roles: readonly string[], names: readonly string[]): number[] {
  const out: number[] = [];
  for (const name of names) {
    const d = dims.indexOf(name);
    if (d >= 0) {
      if (!out.includes(d)) out.push(d);
      continue;
    }
    roles.forEach((r, i) => {
      if (r === name && !out.includes(i)) out.push(i);
    });
  }
  return out;
}

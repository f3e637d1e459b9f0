import { NetworkBuilder, TrimUserError, type Network, type Precision } from '@trim-dse/core';
import { attention, dense, mlp } from '../transformer/layers.js';
import { moe } from '../transformer/moe.js';
import { conv3d, convNd } from './conv.js';
import { convTranspose } from './conv-transpose.js';
import type { NetworkFile, NetworkLayer, RepeatBlock, Size } from './schema.js';

export interface NetworkFileOptions {
  readonly batch: number;
  readonly precision: Precision;
  /** `--seq`; else the file's `seq`. */
  readonly seqLen?: number;
}

/** Names visible to a layer: its block's (one repeat iteration), then the enclosing ones. `$in`: the block's input. */
class Scope {
  private readonly names = new Map<string, string>();
  constructor(
    private readonly parent: Scope | undefined,
    readonly prefix: string,
  ) {}

  define(name: string, tensor: string): void {
    this.names.set(name, tensor);
  }

  lookup(name: string): string | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

/**
 * Builds a network file into core layers: MAC layers become einsums (`matmul` with its broadcast batch dims,
 * `linear`, attention's projections and products), the rest vector layers; views (`slice`, `split`, `reshape`) move
 * no data. Every error names the layer.
 */
export function buildNetworkFile(doc: NetworkFile, o: NetworkFileOptions): Network {
  const seq = o.seqLen ?? doc.seq;
  const size = (s: Size, where: string): number => {
    if (typeof s === 'number') return s;
    if (s === 'batch') return o.batch;
    if (seq === undefined) throw new TrimUserError(`${where}: size "seq" needs the sequence length`, { field: '--seq', fix: 'give --seq N, or seq: N in the file' });
    return seq;
  };
  const b = new NetworkBuilder(doc.network, o.precision);
  const root = new Scope(undefined, '');
  let prev: string | undefined;
  for (const i of doc.inputs) {
    prev = b.input(i.name, i.shape.map((s) => size(s, `input ${i.name}`)));
    root.define(i.name, prev);
  }

  const walk = (entries: ReadonlyArray<NetworkLayer | RepeatBlock>, scope: Scope): void => {
    for (const e of entries) {
      if ('repeat' in e) {
        for (let i = 0; i < e.repeat.count; i++) {
          const inner = new Scope(scope, `${scope.prefix}${e.repeat.name}.${i}.`);
          if (prev !== undefined) inner.define('$in', prev);
          walk(e.repeat.layers, inner);
        }
        continue;
      }
      prev = layerOf(e, scope);
    }
  };

  const layerOf = (l: NetworkLayer, scope: Scope): string => {
    const name = `${scope.prefix}${l.name}`;
    const ref = (r: string | undefined): string => {
      if (r === undefined) {
        if (prev === undefined) throw new TrimUserError(`layer ${name}: no input given and no earlier layer`, { field: `${name}.input` });
        return prev;
      }
      const t = scope.lookup(r);
      if (t === undefined) throw new TrimUserError(`layer ${name}: input "${r}" is not an input or an earlier layer`, { field: `${name}.input`, fix: 'name an input or an earlier layer' });
      return t;
    };
    const axisOf = (shape: readonly number[], axis: number): number => {
      const a = axis < 0 ? shape.length + axis : axis;
      if (a < 0 || a >= shape.length) throw new TrimUserError(`layer ${name}: axis ${axis} is outside rank ${shape.length}`, { field: `${name}.axis` });
      return a;
    };
    let out: string;
    switch (l.kind) {
      case 'einsum': {
        const dims = Object.entries(l.dims).map(([d, s]) => [d, size(s, `layer ${name} dim ${d}`)] as const);
        out = b.einsum(name, l.inputs.map(ref), { dims, axes: l.axes, out: l.out, ...(l.weight !== undefined ? { weightAxes: l.weight } : {}), ...(l.tiedTo !== undefined ? { tiedTo: scope.lookup(l.tiedTo) ?? l.tiedTo } : {}), ...(l.pad !== undefined ? { pad: l.pad } : {}) });
        break;
      }
      case 'matmul':
        out = matmul(b, name, ref(l.inputs[0]), ref(l.inputs[1]), l.transB);
        break;
      case 'linear': {
        const x = ref(l.input);
        const shape = b.shapeOf(x);
        const tied = l.tiedTo !== undefined ? (scope.lookup(l.tiedTo) ?? l.tiedTo) : undefined;
        out = shape.length === 3 ? dense(b, name, x, size(l.out, `layer ${name}`), tied) : linearAny(b, name, x, size(l.out, `layer ${name}`), tied);
        break;
      }
      case 'embedding':
        out = b.embedding(name, ref(l.input), l.vocab, l.dim);
        break;
      case 'attention':
        out = attention(b, name, ref(l.input), {
          heads: l.heads,
          ...(l.kvHeads !== undefined ? { kvHeads: l.kvHeads } : {}),
          ...(l.headDim !== undefined ? { headDim: l.headDim } : {}),
          rotary: l.rotary,
          causal: l.causal,
        }).out;
        break;
      case 'mlp':
        out = mlp(b, name, ref(l.input), { hidden: l.hidden, activation: l.activation, gated: l.gated });
        break;
      case 'swiglu':
        out = mlp(b, name, ref(l.input), { hidden: l.hidden, activation: 'silu', gated: true });
        break;
      case 'conv1d':
      case 'conv2d':
        out = convNd(b, name, ref(l.input), l.kind === 'conv1d' ? 1 : 2, l);
        break;
      case 'conv3d':
        out = conv3d(b, name, ref(l.input), l);
        break;
      case 'convtranspose':
        out = convTranspose(b, name, ref(l.input), l);
        break;
      case 'moe':
        out = moe(b, name, ref(l.input), l);
        break;
      case 'layernorm':
      case 'rmsnorm':
        out = b.norm(name, ref(l.input), l.kind === 'layernorm' ? 'layer' : 'rms', { affine: l.affine });
        break;
      case 'softmax':
        out = b.softmax(name, ref(l.input));
        break;
      case 'rotary':
      case 'gelu':
      case 'silu':
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        out = b.eltwise(name, [ref(l.input)], l.kind);
        break;
      case 'dropout':
        out = b.eltwise(name, [ref(l.input)], 'dropout');
        break;
      case 'add':
      case 'mul':
        out = b.eltwise(name, [ref(l.inputs[0]), ref(l.inputs[1])], l.kind);
        break;
      case 'concat':
        out = b.concat(name, l.inputs.map(ref), l.axis);
        break;
      case 'slice': {
        const x = ref(l.input);
        const shape = b.shapeOf(x);
        const a = axisOf(shape, l.axis);
        const end = size(l.end, `layer ${name}`);
        if (end > shape[a] || l.start >= end) throw new TrimUserError(`layer ${name}: slice ${l.start}:${end} is outside axis ${l.axis} of ${shape[a]}`, { field: `${name}.end` });
        out = b.view(name, x, 'slice', shape.map((d, i) => (i === a ? end - l.start : d)));
        break;
      }
      case 'split': {
        const x = ref(l.input);
        const shape = b.shapeOf(x);
        const a = axisOf(shape, l.axis);
        const sizes = l.sizes.map((s) => size(s, `layer ${name}`));
        const total = sizes.reduce((p, q) => p + q, 0);
        if (total !== shape[a]) throw new TrimUserError(`layer ${name}: sizes ${sizes.join('+')} = ${total} do not add up to axis ${l.axis} of ${shape[a]}`, { field: `${name}.sizes` });
        sizes.forEach((s, i) => scope.define(`${l.name}.${i}`, b.view(`${name}.${i}`, x, 'slice', shape.map((d, k) => (k === a ? s : d)))));
        out = scope.lookup(`${l.name}.0`) as string;
        break;
      }
      case 'reshape':
        out = b.view(name, ref(l.input), 'reshape', l.shape.map((s) => size(s, `layer ${name}`)));
        break;
    }
    scope.define(l.name, out);
    return out;
  };

  walk(doc.layers, root);
  return b.build();
}

/**
 * `a @ b` of any rank ≥ 2 with NumPy broadcasting: a `[…, m, k]`, b `[…, k, n]` (`transB`: `[…, n, k]`), output
 * `[…, m, n]`; leading dims are aligned from the right, an extent 1 broadcasts (that operand does not index the dim).
 */
export function matmul(b: NetworkBuilder, name: string, a: string, bt: string, transB: boolean): string {
  const sa = b.shapeOf(a);
  const sb = b.shapeOf(bt);
  const fail = (why: string): never => {
    throw new TrimUserError(`layer ${name}: ${why}`, { field: name });
  };
  if (sa.length < 2 || sb.length < 2) fail(`matmul needs rank ≥ 2 operands (got [${sa.join(', ')}] and [${sb.join(', ')}])`);
  const [m, k] = sa.slice(-2);
  const [kb, n] = transB ? [sb[sb.length - 1], sb[sb.length - 2]] : sb.slice(-2);
  if (k !== kb) fail(`inner sizes differ: ${a} has ${k}, ${bt} has ${kb}`);
  const lead = Math.max(sa.length, sb.length) - 2;
  const dims: Array<[string, number]> = [];
  const axA: string[] = [];
  const axB: string[] = [];
  const outShape: number[] = [];
  for (let i = 0; i < lead; i++) {
    const ea = sa.length - 2 - lead + i >= 0 ? sa[sa.length - 2 - lead + i] : 1;
    const eb = sb.length - 2 - lead + i >= 0 ? sb[sb.length - 2 - lead + i] : 1;
    if (ea !== eb && ea !== 1 && eb !== 1) fail(`batch dims ${ea} and ${eb} do not broadcast (axis ${i})`);
    const e = Math.max(ea, eb);
    outShape.push(e);
    if (e === 1) continue;
    dims.push([`x${i}`, e]);
    if (ea === e) axA.push(`x${i}`);
    if (eb === e) axB.push(`x${i}`);
  }
  dims.push(['m', m], ['n', n], ['k', k]);
  const y = b.einsum(name, [a, bt], { dims, axes: [[...axA, 'm k'].join(' '), [...axB, transB ? 'n k' : 'k n'].join(' ')], out: [...dims.slice(0, -3).map(([d]) => d), 'm n'].join(' ') });
  const full = [...outShape, m, n];
  const got = b.shapeOf(y);
  return got.length === full.length ? y : b.view(`${name}.shape`, y, 'reshape', full);
}

/** A dense layer over the last axis of a tensor of any rank ≥ 1 (leading dims flattened into the token dim). */
function linearAny(b: NetworkBuilder, name: string, x: string, outFeatures: number, tiedTo?: string): string {
  const s = b.shapeOf(x);
  const c = s[s.length - 1];
  const rows = s.slice(0, -1).reduce((p, q) => p * q, 1);
  const dims: Array<[string, number]> = [...(rows > 1 ? [['s', rows] as [string, number]] : []), ['k', outFeatures], ['c', c]];
  const y = b.einsum(name, [x], { dims, axes: [rows > 1 ? 's c' : 'c'], weightAxes: 'k c', out: rows > 1 ? 's k' : 'k', ...(tiedTo !== undefined ? { tiedTo } : {}) });
  return b.view(`${name}.shape`, y, 'reshape', [...s.slice(0, -1), outFeatures]);
}

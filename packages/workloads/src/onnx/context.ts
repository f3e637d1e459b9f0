import { NetworkBuilder, TrimUserError, type Precision } from '@trim-dse/core';
import type { OnnxGraph, OnnxNode } from './model.js';
import { identityDims, isIdentity, sizesOf, volume, type Dim } from './view.js';

export interface OnnxOptions {
  /** Batch size used where the model's batch dimension is symbolic. */
  readonly batch: number;
  /** Tokens per sequence where an input's other dimension is symbolic (`[N, tokens]` ids, `[N, tokens, features]`). */
  readonly seqLen?: number;
  /**
   * Precision of every tensor. The file's element types (float32 initializers, …) say how the model is stored, not
   * the accelerator's number format, so they are not read: the pipeline passes the user's `--precision`, else the
   * architecture's native word.
   */
  readonly precision: Precision;
  /** Network name (default: the graph name or the file name). */
  readonly name?: string;
}

/** An ONNX activation: a view (`dims`) of one TRIM tensor. */
export interface Act {
  readonly kind: 'act';
  readonly tensor: string;
  readonly dims: readonly Dim[];
}

/** A constant: its shape, its values when small and known, and the initializer it came from (for weight tying). */
export interface Const {
  readonly kind: 'const';
  readonly dims: readonly number[];
  readonly values: readonly number[] | undefined;
  readonly source?: string;
}

export type Value = Act | Const;

/** The importer's state: the network being built, the value of every ONNX tensor name, and shared helpers. */
export class OnnxContext {
  readonly b: NetworkBuilder;
  readonly values = new Map<string, Value>();
  /** TRIM tensors written by MAC layers (a constant added or multiplied right after is a folded bias or scale). */
  readonly macOutputs = new Set<string>();
  /** Initializer → the layer that owns it as a parameter (an embedding table, a weight): later uses are tied to it. */
  readonly weightOwner = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly plainViews = new Map<string, string>();

  constructor(
    readonly graph: OnnxGraph,
    readonly options: OnnxOptions,
    name: string,
  ) {
    this.b = new NetworkBuilder(name, options.precision);
    for (const [k, t] of graph.initializers) this.values.set(k, { kind: 'const', dims: t.dims, values: t.values, source: k });
    for (const input of graph.inputs) this.names.add(input.name);
  }

  where(node: OnnxNode, i: number): string {
    return `ONNX node ${node.name || `#${i}`} (${node.opType})`;
  }

  fail(node: OnnxNode, i: number, why: string, fix?: string): never {
    throw new TrimUserError(`${this.where(node, i)}: ${why}`, { field: '--workload', ...(fix ? { fix } : {}) });
  }

  /** A fresh layer name: the node's name (or op and index), with `suffix`, made unique. */
  layerName(node: OnnxNode, i: number, suffix = ''): string {
    return this.unique(`${node.name || `${node.opType}_${i}`}${suffix}`);
  }

  unique(base: string): string {
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}#${k}`;
    this.names.add(name);
    return name;
  }

  value(node: OnnxNode, i: number, slot: number): Value {
    const name = node.inputs[slot];
    const v = name ? this.values.get(name) : undefined;
    if (!v) this.fail(node, i, `input ${slot} "${name ?? ''}" is not a graph input, an initializer or an earlier node's output`);
    return v;
  }

  /** An optional input (absent or empty name): undefined. */
  optional(node: OnnxNode, i: number, slot: number): Value | undefined {
    return node.inputs[slot] ? this.value(node, i, slot) : undefined;
  }

  act(node: OnnxNode, i: number, slot: number): Act {
    const v = this.value(node, i, slot);
    if (v.kind !== 'act') this.fail(node, i, `input ${slot} "${node.inputs[slot]}" is a constant; this operator needs an activation there`);
    return v;
  }

  constant(node: OnnxNode, i: number, slot: number, needValues = false): Const {
    const v = this.value(node, i, slot);
    if (v.kind !== 'const') this.fail(node, i, `input ${slot} "${node.inputs[slot]}" must be a constant (an initializer or a Constant node)`, 'export with fixed shapes and constant folding (do_constant_folding=True, or onnxsim)');
    if (needValues && v.values === undefined) this.fail(node, i, `the values of constant "${node.inputs[slot]}" are not readable`);
    return v;
  }

  /** The integer values of a constant input, or undefined when the input is absent. */
  intsInput(node: OnnxNode, i: number, slot: number): readonly number[] | undefined {
    if (!node.inputs[slot]) return undefined;
    return this.constant(node, i, slot, true).values;
  }

  ints(node: OnnxNode, key: string, dflt: readonly number[]): readonly number[] {
    const a = node.attrs.get(key);
    return Array.isArray(a) ? (a as readonly number[]) : dflt;
  }

  num(node: OnnxNode, key: string, dflt: number): number {
    const a = node.attrs.get(key);
    return typeof a === 'number' ? a : dflt;
  }

  str(node: OnnxNode, key: string, dflt: string): string {
    const a = node.attrs.get(key);
    return typeof a === 'string' ? a : dflt;
  }

  sizes(v: Value): number[] {
    return v.kind === 'const' ? [...v.dims] : sizesOf(v.dims);
  }

  /** An axis attribute or input normalised to 0..rank−1. */
  axis(node: OnnxNode, i: number, axis: number, rank: number): number {
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1)) this.fail(node, i, `axis ${axis} is outside rank ${rank}`);
    return a;
  }

  set(node: OnnxNode, v: Value, slot = 0): void {
    const out = node.outputs[slot];
    if (out) this.values.set(out, v);
  }

  setAct(node: OnnxNode, tensor: string, dims: readonly Dim[], slot = 0): void {
    const shape = this.b.shapeOf(tensor);
    if (volume(sizesOf(dims)) !== volume(shape)) throw new Error(`onnx import: view of ${tensor} has ${sizesOf(dims).join('×')} elements, tensor ${shape.join('×')}`);
    this.set(node, { kind: 'act', tensor, dims }, slot);
  }

  /** An output that is the TRIM tensor itself. */
  setPlain(node: OnnxNode, tensor: string, slot = 0): void {
    this.setAct(node, tensor, identityDims(this.b.shapeOf(tensor)), slot);
  }

  /**
   * The activation as a TRIM tensor of exactly its ONNX shape: the tensor itself when it already is, else a `view`
   * layer (layout is not modelled: a transposed or reshaped view moves no data). One view per distinct layout.
   */
  plain(x: Act): string {
    const shape = this.b.shapeOf(x.tensor);
    if (isIdentity(x.dims, shape)) return x.tensor;
    const key = `${x.tensor}|${x.dims.map((d) => `${d.size}:${d.axis}:${d.place}`).join(',')}`;
    const cached = this.plainViews.get(key);
    if (cached !== undefined) return cached;
    const sizes = sizesOf(x.dims);
    const t = this.b.view(this.unique(`${x.tensor}.view`), x.tensor, 'reshape', sizes.length > 0 ? sizes : [1]);
    if (this.macOutputs.has(x.tensor)) this.macOutputs.add(t);
    this.plainViews.set(key, t);
    return t;
  }

  /** The layer a weight initializer is tied to (it already belongs to one), else records `layer` as its owner. */
  tie(w: Const, layer: string): string | undefined {
    if (w.source === undefined) return undefined;
    const owner = this.weightOwner.get(w.source);
    if (owner === undefined) this.weightOwner.set(w.source, layer);
    return owner;
  }
}

/** ONNX (numpy) broadcasting of shapes, or undefined when they do not broadcast. */
export function broadcastShape(...shapes: ReadonlyArray<readonly number[]>): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let j = 0; j < rank; j++) {
    let e = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + j] ?? 1;
      if (d === 1) continue;
      if (e !== 1 && e !== d) return undefined;
      e = d;
    }
    out.push(e);
  }
  return out;
}

export const sameSizes = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, k) => d === b[k]);

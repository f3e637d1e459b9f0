import { isView, type Layer, type TensorInfo } from '../ir/layer.js';
import type { Network } from '../ir/network.js';
import type { Op, TensorName } from '../op.js';
import { precisionBytes } from '../precision.js';

/**
 * One tensor an op reads or writes, as the network-level scheduler sees it.
 * - `tensor`: a graph-wide id: a network tensor name, or a phase model's own id (`grad:<name>`, `recompute:<name>`,
 *   `grad-weights:<layer>`). Two edges with the same id are the same data.
 * - `role`: the key under which the op's result lists the tensor's accesses (`OpResult.accesses[level][role]`): the
 *   operand's tensor name for MAC ops; `weights`, `inputs` or `outputs` for vector ops (see `vectorRole`).
 * - `elements` and `bytes` (per element) of the whole tensor as this op moves it.
 */
export interface EdgeUse {
  readonly tensor: string;
  readonly role: string;
  readonly elements: number;
  readonly bytes: number;
}

export interface OpEdges {
  readonly reads: readonly EdgeUse[];
  readonly writes: readonly EdgeUse[];
}

/** An op that carries its producer/consumer tensors (an optional field: engines ignore it). */
export type EdgedOp = Op & { readonly edges?: OpEdges };

export function withEdges<T extends Op>(op: T, edges: OpEdges): T & { readonly edges: OpEdges } {
  return { ...op, edges };
}

export function edgesOf(op: Op): OpEdges | undefined {
  return (op as EdgedOp).edges;
}

/** The access slot a vector op's tensor is reported under (mirrors `evaluateVector`). */
export function vectorRole(tensor: TensorName, isWrite: boolean): 'weights' | 'inputs' | 'outputs' {
  if (tensor === 'weights' || tensor === 'optimizer-state') return 'weights';
  return isWrite ? 'outputs' : 'inputs';
}

export function tensorElements(t: TensorInfo): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return n;
}

const layersByName = new WeakMap<Network, Map<string, Layer>>();

/** The network's layers by name (built once per network: lookups stay O(1) on networks of 100 k layers). */
export function layerIndex(net: Network): Map<string, Layer> {
  let m = layersByName.get(net);
  if (!m) {
    m = new Map(net.layers.map((l) => [l.name, l]));
    layersByName.set(net, m);
  }
  return m;
}

/** Follows views (flatten, reshape, slice) back to the tensor that holds the data. */
export function resolveAlias(net: Network, name: string): string {
  const layers = layerIndex(net);
  let cur = name;
  for (;;) {
    const producer = net.tensors.get(cur)?.producer;
    if (producer === undefined) return cur;
    const layer = layers.get(producer);
    if (!layer || !isView(layer)) return cur;
    cur = layer.inputs[0];
  }
}

function use(net: Network, name: string, role: string): EdgeUse {
  const id = resolveAlias(net, name);
  // A view's own elements (a slice reads a part of the data it resolves to).
  const t = net.tensors.get(name) ?? net.tensors.get(id);
  if (!t) throw new Error(`tensor ${name} missing from network ${net.name}`);
  return { tensor: id, role, elements: tensorElements(t), bytes: precisionBytes(t.precision) };
}

/** Edges of a forward op lowered by `lowerForward` (inference): activations in, activation out. */
export function forwardEdges(net: Network, layer: Layer, op: Op): OpEdges {
  const out = [use(net, layer.output, op.kind === 'mac' ? op.operands[2].tensor : 'outputs')];
  if (op.kind === 'mac') {
    if (layer.kind === 'matmul' || (layer.kind === 'einsum' && layer.inputs.length === 2)) {
      return { reads: [use(net, layer.inputs[0], op.operands[1].tensor), use(net, layer.inputs[1], op.operands[0].tensor)], writes: out };
    }
    return { reads: [use(net, layer.inputs[0], op.operands[1].tensor)], writes: out };
  }
  return { reads: layer.inputs.map((t) => use(net, t, 'inputs')), writes: out };
}

/**
 * Edges of every op: those the phase model attached (`withEdges`), else, for forward ops, the layer's activations
 * (found by layer name), else none (the op then keeps its layer-by-layer DRAM traffic).
 */
export function networkEdges(net: Network, ops: readonly Op[]): OpEdges[] {
  const byName = layerIndex(net);
  return ops.map((op) => {
    const attached = edgesOf(op);
    if (attached) return attached;
    const layer = byName.get(op.layer);
    if (op.phase === 'forward' && layer && !isView(layer)) return forwardEdges(net, layer, op);
    return { reads: [], writes: [] };
  });
}

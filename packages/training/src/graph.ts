import { isView, resolveAlias, tensorElements, type Layer, type Network, type Precision, type TensorInfo } from '@trim-dse/core';

/** Layers whose backward is a pass-through of the output gradient (no data moves: the gradient is shared). */
export function isPassThrough(layer: Layer): boolean {
  return isView(layer) || (layer.kind === 'eltwise' && (layer.params.op === 'add' || layer.params.op === 'identity'));
}

/** Layers with trainable parameters. */
export function hasParams(layer: Layer): boolean {
  if (layer.kind === 'einsum') return layer.params.weightAxes !== undefined;
  if (layer.kind === 'norm') return layer.params.mode === 'batch' || layer.params.affineFeatures !== undefined;
  return layer.kind === 'conv2d' || layer.kind === 'linear' || layer.kind === 'embedding';
}

/**
 * The autograd view of a network: which tensors need a gradient, who consumes them, and the ids of the gradient
 * tensors the backward ops read and write. Views (flatten) are resolved to the tensor that holds the data.
 */
export class TrainingGraph {
  readonly layers: readonly Layer[];
  private readonly byName: Map<string, Layer>;
  private readonly consumerMap = new Map<string, Layer[]>();
  private readonly gradMemo = new Map<string, boolean>();

  constructor(readonly net: Network) {
    this.layers = net.layers.filter((l) => !isView(l));
    this.byName = new Map(net.layers.map((l) => [l.name, l]));
    for (const l of this.layers) {
      for (const t of l.inputs) {
        const id = this.resolve(t);
        const list = this.consumerMap.get(id) ?? [];
        if (!list.includes(l)) list.push(l);
        this.consumerMap.set(id, list);
      }
    }
  }

  resolve(name: string): string {
    return resolveAlias(this.net, name);
  }

  /** The tensor as named (a view keeps its own shape; its data is the resolved tensor's). */
  info(name: string): TensorInfo {
    const t = this.net.tensors.get(name) ?? this.net.tensors.get(this.resolve(name));
    if (!t) throw new Error(`tensor ${name} missing from network ${this.net.name}`);
    return t;
  }

  elements(name: string): number {
    return tensorElements(this.info(name));
  }

  precisionOf(name: string): Precision {
    return this.info(name).precision;
  }

  /** The layer of this network that writes a tensor (undefined for inputs and layers filtered out). */
  producer(name: string): Layer | undefined {
    const p = this.info(this.resolve(name)).producer;
    return p === undefined ? undefined : this.byName.get(p);
  }

  consumers(name: string): readonly Layer[] {
    return this.consumerMap.get(this.resolve(name)) ?? [];
  }

  /**
   * Whether backpropagation computes this tensor's gradient: it depends on a trainable parameter. True network
   * inputs do not; tensors produced by layers filtered out of the network (`--only conv`) are taken to.
   */
  requiresGrad(name: string): boolean {
    const id = this.resolve(name);
    const memo = this.gradMemo.get(id);
    if (memo !== undefined) return memo;
    const info = this.info(id);
    let v: boolean;
    if (info.producer === undefined) v = false;
    else {
      const layer = this.byName.get(info.producer);
      v = !layer || hasParams(layer) || layer.inputs.some((t) => this.requiresGrad(t));
    }
    this.gradMemo.set(id, v);
    return v;
  }

  /** Consumers whose backward contributes a gradient to the tensor. */
  gradConsumers(name: string): readonly Layer[] {
    if (!this.requiresGrad(name)) return [];
    return this.consumers(name).filter((c) => this.requiresGrad(c.output));
  }

  /** Id of the complete gradient of a tensor (after summing the contributions of every consumer). */
  gradId(name: string): string {
    const id = this.resolve(name);
    const cs = this.gradConsumers(id);
    if (cs.length === 1 && isPassThrough(cs[0])) return this.gradId(cs[0].output);
    return `grad:${id}`;
  }

  /** Id of the gradient contribution that consumer `by` writes for tensor `name`. */
  partialGradId(name: string, by: Layer): string {
    const id = this.resolve(name);
    if (isPassThrough(by)) return this.gradId(by.output);
    return this.gradConsumers(id).length > 1 ? `grad:${id}#${by.name}` : `grad:${id}`;
  }

  /** Whether layers were filtered out (`--only`): some tensor's producer is not a layer of this network. */
  get isFiltered(): boolean {
    for (const t of this.net.tensors.values()) if (t.producer !== undefined && !this.byName.has(t.producer)) return true;
    return false;
  }

  /** The last layer: its output feeds the loss. */
  get lossLayer(): Layer {
    return this.layers[this.layers.length - 1];
  }
}

import type { Layer } from '@trim-dse/core';
import type { TrainingGraph } from './graph.js';

/** A run of consecutive layers whose only tensor used after it is the last layer's output (its checkpoint). */
export interface Block {
  readonly layers: readonly Layer[];
  readonly checkpoint: string;
}

/**
 * Indices i such that after layer i exactly one tensor is still needed later and it is layer i's output: the
 * network can be cut there and restarted from that tensor alone.
 */
export function cutPoints(g: TrainingGraph): number[] {
  const layers = g.layers;
  const n = layers.length;
  const pos = new Map(layers.map((l, i) => [l.name, i]));
  const crossing = new Int32Array(n + 1);
  const seen = new Set<string>();
  for (const l of layers) {
    for (const t of l.inputs) {
      const id = g.resolve(t);
      if (seen.has(id)) continue;
      seen.add(id);
      const prod = g.producer(id);
      const from = prod ? (pos.get(prod.name) ?? -1) : -1;
      let last = -1;
      for (const c of g.consumers(id)) last = Math.max(last, pos.get(c.name) ?? -1);
      // Live after layers from .. last−1.
      for (let i = Math.max(from, 0); i < last; i++) crossing[i]++;
    }
  }
  const cuts: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    if (crossing[i] !== 1) continue;
    const next = layers.slice(i + 1).some((l) => l.inputs.some((t) => g.resolve(t) === g.resolve(layers[i].output)));
    if (next) cuts.push(i);
  }
  return cuts;
}

/**
 * Checkpoint blocks: the network split at cut points that close a block, i.e. whose tensor feeds several layers
 * (a residual block's input) or comes out of a pooling layer (a stage of a plain CNN). Networks with no such cut
 * are split every ⌈√n⌉ cut points (Chen et al., "Training deep nets with sublinear memory cost", 2016).
 */
export function checkpointBlocks(g: TrainingGraph): Block[] {
  const layers = g.layers;
  const cuts = cutPoints(g);
  let bounds = cuts.filter((i) => layers[i].kind === 'pool' || g.consumers(layers[i].output).length > 1);
  if (bounds.length === 0 && cuts.length > 0) {
    const step = Math.max(1, Math.ceil(Math.sqrt(layers.length)));
    bounds = cuts.filter((_, k) => (k + 1) % step === 0);
  }
  const blocks: Block[] = [];
  let start = 0;
  for (const b of [...bounds, layers.length - 1]) {
    if (b < start) continue;
    const part = layers.slice(start, b + 1);
    blocks.push({ layers: part, checkpoint: g.resolve(layers[b].output) });
    start = b + 1;
  }
  return blocks;
}

/**
 * Selective recomputation (Korthikanti et al., "Reducing activation recomputation in large transformer models", 2022):
 * per attention, the scores product, its softmax and the probabilities' dropout are re-run before the backward of
 * the product that reads them (attention over V): their s²-sized outputs and mask (5·a·s²·b bytes at 16 bit) leave
 * the stash for the scores' MACs once more. Each block is [scores, softmax, (dropout), context].
 */
export function attentionCores(g: TrainingGraph): Block[] {
  const blocks: Block[] = [];
  const sole = (t: string): Layer | undefined => {
    const c = g.consumers(t);
    return c.length === 1 ? c[0] : undefined;
  };
  for (const softmax of g.layers) {
    if (softmax.kind !== 'softmax') continue;
    const scores = g.producer(softmax.inputs[0]);
    if (scores?.kind !== 'einsum' || scores.inputs.length !== 2 || sole(scores.output) !== softmax) continue;
    let last = sole(softmax.output);
    const chain: Layer[] = [scores, softmax];
    if (last && last.kind === 'eltwise' && last.params.op === 'dropout') {
      chain.push(last);
      last = sole(last.output);
    }
    if (last?.kind !== 'einsum' || last.inputs.length !== 2) continue;
    chain.push(last);
    blocks.push({ layers: chain, checkpoint: g.resolve(last.output) });
  }
  return blocks;
}

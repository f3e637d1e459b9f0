import { genericSweep } from './explore/builtin-spaces.js';
import { genericHardware } from './generic/template.js';
import { inferenceOps } from './lower.js';
import { forwardEdges, withEdges } from './schedule/edges.js';
import type { Network } from './ir/network.js';
import type { Op } from './op.js';
import { definePhaseModel, definePlugin } from './plugin.js';
import { trimMappingReader } from './trim-mapping.js';

/** Inference: one forward pass. */
export const inferencePhase = definePhaseModel({
  name: 'inference',
  description: 'Forward pass of every layer',
  ops: (net) => inferenceOps(net),
});

/** The forward ops of a serving phase, under that phase's name (with their edges, found by layer). */
function servingOps(net: Network, phase: string): Op[] {
  const byName = new Map(net.layers.map((l) => [l.name, l]));
  return inferenceOps(net).map((op) => {
    const layer = byName.get(op.layer);
    const named = { ...op, phase } as Op;
    return layer ? withEdges(named, forwardEdges(net, layer, op)) : named;
  });
}

/** LLM serving, prefill: the forward pass over the prompt (its keys and values are the KV cache decode reads). */
export const prefillPhase = definePhaseModel({
  name: 'prefill',
  description: 'Forward pass over the prompt (--seq tokens), writing the KV cache',
  workloadOptions: { mode: 'prefill' },
  ops: (net) => servingOps(net, 'prefill'),
});

/** LLM serving, decode: one generated token per sequence; attention reads the KV cache (`--context` keys). */
export const decodePhase = definePhaseModel({
  name: 'decode',
  description: 'One generation step: a new token per sequence attending to --context keys in the KV cache',
  workloadOptions: { mode: 'decode' },
  ops: (net) => servingOps(net, 'decode'),
});

/** What core itself registers: the generic template and the inference phase model. */
export const corePlugin = definePlugin({
  name: '@trim-dse/core',
  hardware: [genericHardware],
  phaseModels: [inferencePhase, prefillPhase, decodePhase],
  spaces: [genericSweep],
  // TRIM's own printed mappings (`trim eval --show-mapping --format json`) read back by `--mapping`.
  mappingReaders: [trimMappingReader],
});

import { corePlugin, inferenceOps, loadNetwork, phaseOps, precisionBytes, Registry, tensorElements, type Network, type Op } from '@trim-dse/core';
import training, { paramCount, TrainingGraph, trainingOps, trainingStep } from '@trim-dse/training';
import workloads, { decoder, GPT2_SMALL } from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/** The transformer zoo under the inference, serving and training phase models (cross-plug-in: workloads + training). */
const registry = new Registry().use(corePlugin).use(workloads).use(training);
const macs = (ops: readonly Op[], phase?: string) => ops.reduce((a, o) => a + (o.kind === 'mac' && (!phase || o.phase === phase) ? o.macs : 0), 0);
const params = (net: Network) => {
  const g = new TrainingGraph(net);
  return net.layers.reduce((a, l) => a + paramCount(g, l), 0);
};

describe('gpt2-small (12 layers, 768 wide, 12 heads, vocab 50,257, tied LM head)', () => {
  it('forward at 1024 tokens: 12·(12·s·h² + 2·s²·h) + s·h·V = 145,824,153,600 MACs (dense attention, LM head included)', async () => {
    const net = await loadNetwork(registry, 'gpt2-small', 1, 'bf16', undefined, { seqLen: 1024 });
    const s = 1024;
    const h = 768;
    expect(macs(inferenceOps(net))).toBe(12 * (12 * s * h * h + 2 * s * s * h) + s * h * 50257);
    expect(macs(inferenceOps(net))).toBe(145_824_153_600);
  });

  it('training is exactly three forwards: every product gets dX and dW, attention both operand gradients', async () => {
    const net = await loadNetwork(registry, 'gpt2-small', 1, 'bf16', undefined, { seqLen: 128 });
    const fwd = macs(inferenceOps(net));
    const ops = trainingOps(net);
    expect(macs(ops)).toBe(3 * fwd);
    const names = new Set(ops.map((o) => o.name));
    expect(names.has('h0.attn.scores:bwd-data')).toBe(true);
    expect(names.has('h0.attn.scores:bwd-data-b')).toBe(true);
    // No optimizer state for activations; the tied head is updated once, through the embedding.
    expect(names.has('h0.attn.scores:update')).toBe(false);
    expect(names.has('lm-head:update')).toBe(false);
    expect(names.has('embed:update')).toBe(true);
    expect(names.has('h0.norm1:update')).toBe(true);
  });

  it('parameters: 124,356,864 = Hugging Face gpt2 124,439,808 less its 82,944 biases (not modelled)', async () => {
    const net = await loadNetwork(registry, 'gpt2-small', 1, 'bf16', undefined, { seqLen: 64 });
    expect(params(net)).toBe(124_439_808 - 12 * (3 * 768 + 768 + 3072 + 768));
  });
});

describe('llama3-8b (32 layers, GQA 32/8 heads, SwiGLU 14,336, RMSNorm, RoPE, vocab 128,256)', () => {
  it('parameters: 8,030,261,248 (Meta-Llama-3-8B; no biases)', async () => {
    expect(params(await loadNetwork(registry, 'llama3-8b', 1, 'bf16', undefined, { seqLen: 16 }))).toBe(8_030_261_248);
  });

  it('decode with 4096 keys: 32·(2·h² + 2·h·1024 + 3·h·f + 2·32·128·4096) + h·V = 8,578,400,256 MACs per token', async () => {
    const net = await loadNetwork(registry, 'llama3-8b', 1, 'bf16', undefined, { mode: 'decode', context: 4096 });
    const h = 4096;
    const perLayer = 2 * h * h + 2 * h * 1024 + 3 * h * 14336 + 2 * 32 * 128 * 4096;
    const ops = phaseOps(registry, 'decode', net, 1);
    expect(macs(ops)).toBe(32 * perLayer + h * 128256);
    expect(macs(ops)).toBe(8_578_400_256);
    expect(ops.every((o) => o.phase === 'decode')).toBe(true);
  });

  it('the KV cache is a tensor of role kv-cache: 2·32 layers·4096 tokens·8 heads·128·2 bytes = 536,870,912 at bf16', async () => {
    const net = await loadNetwork(registry, 'llama3-8b', 1, 'bf16', undefined, { mode: 'decode', context: 4096 });
    const cache = [...net.tensors.values()].filter((t) => t.role === 'kv-cache');
    expect(cache).toHaveLength(64);
    expect(cache.reduce((a, t) => a + tensorElements(t) * precisionBytes(t.precision), 0)).toBe(536_870_912);
    // The scores read the cache under its role (the scheduler and the results see it as kv-cache, not weights).
    const scores = inferenceOps(net).find((o) => o.name === 'h0.attn.scores');
    expect(scores?.kind === 'mac' && scores.operands[0].tensor).toBe('kv-cache');
  });

  it('prefill is the forward pass over the prompt, under the prefill phase', async () => {
    const net = await loadNetwork(registry, 'llama3-8b', 1, 'bf16', undefined, { seqLen: 8 });
    const ops = phaseOps(registry, 'prefill', net, 1);
    expect(macs(ops)).toBe(macs(inferenceOps(net)));
    expect(new Set(ops.map((o) => o.phase))).toEqual(new Set(['prefill']));
  });
});

describe('activation stash of a transformer layer with dropout (Korthikanti et al. 2022, 16-bit, no recompute)', () => {
  // One GPT layer: s tokens, batch b, hidden h, a heads, MLP 4h, dropout on the probabilities and both residual branches.
  const s = 16;
  const b = 2;
  const h = 32;
  const a = 4;
  const spec = { ...GPT2_SMALL, name: 'one-layer', layers: 1, hidden: h, heads: a, kvHeads: a, ffn: 4 * h, vocab: 50, maxSeq: 64 };

  it('keeps s·b·h·(34 + 5·a·s/h) bytes: inputs of every product, softmax output, GELU input, three dropout masks', () => {
    const net = decoder(spec, { batch: b, precision: 'bf16', seqLen: s, dropout: true });
    const step = trainingStep(net);
    // The layer's own tensors and its input (the first norm's); its output is the next layer's.
    let bytes = 0;
    for (const [id, n] of step.stash) if ((id.startsWith('h0.') || id.startsWith('mask:h0.') || id === 'embed.dropout') && id !== 'h0.mlp.add') bytes += n;
    expect(bytes).toBe(s * b * h * (34 + (5 * a * s) / h));
  });

  it('training MACs stay three forwards with dropout (masks cost no MACs)', () => {
    const net = decoder(spec, { batch: b, precision: 'bf16', seqLen: s, dropout: true });
    expect(macs(trainingOps(net))).toBe(3 * macs(inferenceOps(net)));
  });
});

describe('selective recomputation (Korthikanti et al. 2022)', () => {
  const s = 16;
  const b = 2;
  const h = 32;
  const a = 4;
  const spec = { ...GPT2_SMALL, name: 'one-layer', layers: 1, hidden: h, heads: a, kvHeads: a, ffn: 4 * h, vocab: 50, maxSeq: 64 };

  it('stash s·b·h·34: the scores, softmax and dropout are re-run before attention over V, for the scores MACs once more', () => {
    const net = decoder(spec, { batch: b, precision: 'bf16', seqLen: s, dropout: true });
    const step = trainingStep(net, { recompute: 'selective' });
    let bytes = 0;
    for (const [id, n] of step.stash) if ((id.startsWith('h0.') || id.startsWith('mask:h0.') || id === 'embed.dropout') && id !== 'h0.mlp.add') bytes += n;
    expect(bytes).toBe(s * b * h * 34);
    expect([...step.recomputed].sort()).toEqual(['h0.attn.probs.dropout', 'h0.attn.scores', 'h0.attn.softmax']);
    // The scores product runs twice: b·a·s²·(h/a) MACs more than three forwards.
    expect(macs(step.ops)).toBe(3 * macs(inferenceOps(net)) + b * s * s * h);
  });
});

import type { Layer, Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { decoder } from '../src/transformer/decoder.js';
import { ZOO } from '../src/zoo/index.js';
import { GPT3_175B, LLAMA3_70B } from '../src/zoo/llm.js';
import { totalMacs } from './helpers.js';

const BF16 = { batch: 1, precision: 'bf16' } as const;

/**
 * The parameters a network declares, counted from its layers by hand: embedding tables, the weight operand of each
 * einsum (a tied LM head owns none), γ (and β for LayerNorm) of each affine norm. Biases are not modelled.
 */
function parameters(net: Network): number {
  const of = (l: Layer): number => {
    if (l.kind === 'embedding') return l.params.vocab * l.params.dim;
    if (l.kind === 'norm') return (l.params.affineFeatures ?? 0) * (l.params.mode === 'layer' ? 2 : 1);
    if (l.kind !== 'einsum' || l.params.weightAxes === undefined || l.params.tiedTo !== undefined) return 0;
    const bound = new Map(l.params.dims);
    return l.params.weightAxes.split(/\s+/).reduce((n, axis) => {
      const b = bound.get(axis);
      if (b === undefined) throw new Error(`weight axis ${axis} of ${l.name} is not a plain dim`);
      return n * b;
    }, 1);
  };
  return net.layers.reduce((a, l) => a + of(l), 0);
}

describe('gpt3-175b (Brown et al. 2020 Table 2.1: 96 layers, d 12,288, 96 heads of 128, tied head, 2,048 tokens)', () => {
  const d = 12288;
  const V = 50257;
  const L = 96;

  it('is a zoo entry with the published hyper-parameters', () => {
    expect(ZOO['gpt3-175b']).toBeDefined();
    expect(GPT3_175B.hidden / GPT3_175B.heads).toBe(128);
    expect(GPT3_175B.ffn).toBe(4 * d);
  });

  it('parameters: V·d + 2048·d + 96·(12·d² + 4·d) + 2·d = 174,593,642,496 (the paper\'s 175.0e9 less biases)', () => {
    const net = ZOO['gpt3-175b']!({ ...BF16, seqLen: 16 });
    // Token and position tables, per layer Q K V O (4d²) + MLP (8d²) + two LayerNorms' γ, β (4d), the final LayerNorm.
    expect(parameters(net)).toBe(V * d + 2048 * d + L * (12 * d * d + 4 * d) + 2 * d);
    expect(parameters(net)).toBe(174_593_642_496);
  });

  it('forward at 2,048 tokens: 96·(12·s·d² + 2·s²·d) + s·d·V = 367,402,130,866,176 MACs (dense attention, LM head)', () => {
    const s = 2048;
    const net = ZOO['gpt3-175b']!({ ...BF16, seqLen: s });
    expect(totalMacs(net)).toBe(L * (12 * s * d * d + 2 * s * s * d) + s * d * V);
    expect(totalMacs(net)).toBe(367_402_130_866_176);
  });

  it('refuses more than its 2,048-token context', () => {
    expect(() => decoder(GPT3_175B, { ...BF16, seqLen: 2049 })).toThrow(/at most 2048 tokens/);
  });
});

describe('llama3-70b (model card / config.json: 80 layers, d 8,192, 64 heads over 8 KV heads, SwiGLU 28,672, untied)', () => {
  const d = 8192;
  const kv = 8 * 128; // K and V projections: 8 KV heads of 128
  const f = 28672;
  const V = 128256;
  const L = 80;

  it('is a zoo entry with the published hyper-parameters: head dim 128, 8 query heads per KV head', () => {
    expect(ZOO['llama3-70b']).toBeDefined();
    expect(LLAMA3_70B.hidden / LLAMA3_70B.heads).toBe(128);
    expect(LLAMA3_70B.heads / LLAMA3_70B.kvHeads).toBe(8);
  });

  it('parameters: 2·V·d + 80·(2·d² + 2·d·1024 + 3·d·f + 2·d) + d = 70,553,706,496 (Meta: 70.6e9; no biases)', () => {
    const net = ZOO['llama3-70b']!({ ...BF16, seqLen: 16 });
    // Embedding and untied head; per layer Q and O (2d²), K and V (2·d·1024), gate/up/down (3·d·f), two RMSNorm γ.
    expect(parameters(net)).toBe(2 * V * d + L * (2 * d * d + 2 * d * kv + 3 * d * f + 2 * d) + d);
    expect(parameters(net)).toBe(70_553_706_496);
  });

  it('forward at 2,048 tokens: 80·(s·(2·d² + 2·d·1024 + 3·d·f) + 2·s²·d) + s·d·V = 147,837,069,295,616 MACs', () => {
    const s = 2048;
    const net = ZOO['llama3-70b']!({ ...BF16, seqLen: s });
    expect(totalMacs(net)).toBe(L * (s * (2 * d * d + 2 * d * kv + 3 * d * f) + 2 * s * s * d) + s * d * V);
    expect(totalMacs(net)).toBe(147_837_069_295_616);
  });

  it('one decode step over 4,096 keys: 80·(2·d² + 2·d·1024 + 3·d·f + 2·64·128·4096) + d·V = 74,870,423,552 MACs', () => {
    const net = ZOO['llama3-70b']!({ ...BF16, mode: 'decode', context: 4096 });
    expect(totalMacs(net)).toBe(L * (2 * d * d + 2 * d * kv + 3 * d * f + 2 * 64 * 128 * 4096) + d * V);
    expect(totalMacs(net)).toBe(74_870_423_552);
  });
});

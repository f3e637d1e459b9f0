import { tensorElements, type Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { decoder, GPT2_SMALL, LLAMA3_8B } from '../src/index.js';

/** The kv-cache tensors of a network: how many, and their bytes. */
function cache(n: Network): { tensors: number; bytes: number } {
  const t = [...n.tensors.values()].filter((x) => x.role === 'kv-cache');
  const bytes = t.reduce((a, x) => a + tensorElements(x) * (x.precision === 'bf16' || x.precision === 'int16' ? 2 : 1), 0);
  return { tensors: t.length, bytes };
}

describe('prefill writes the KV cache: its keys and values take the role kv-cache', () => {
  it('llama3-8b prefill of 512 tokens at bf16: seq × layers × 2 × kv_heads × head_dim × 2 B = 67,108,864 B', () => {
    const n = decoder(LLAMA3_8B, { batch: 1, precision: 'bf16', seqLen: 512, mode: 'prefill' });
    expect(512 * 32 * 2 * 8 * 128 * 2).toBe(67_108_864);
    expect(cache(n)).toEqual({ tensors: 64, bytes: 67_108_864 });
    // The keys are the ones after rotary (what decode reads back).
    expect(n.tensors.get('h0.attn.k.rotary')?.role).toBe('kv-cache');
  });

  it('gpt2-small, batch 2, 16 tokens: 2·16·12·2·768·2 B; a plain forward marks nothing', () => {
    const n = decoder(GPT2_SMALL, { batch: 2, precision: 'bf16', seqLen: 16, mode: 'prefill' });
    expect(cache(n).bytes).toBe(2 * 16 * 12 * 2 * 768 * 2);
    expect(cache(decoder(GPT2_SMALL, { batch: 2, precision: 'bf16', seqLen: 16 })).tensors).toBe(0);
  });
});

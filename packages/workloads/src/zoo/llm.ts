import type { DecoderSpec } from '../transformer/decoder.js';

/**
 * GPT-3 175B (Brown et al. 2020, "Language Models are Few-Shot Learners", Table 2.1): 96 layers, d_model 12,288,
 * 96 heads of 128, MLP 4·d_model, 2,048-token context; §2.1: GPT-2's architecture (GELU, pre-LayerNorm, learned
 * positions, the LM head tied to the token embedding, vocab 50,257). The alternating locally banded sparse attention
 * of §2.1 is not modelled: attention is dense (or `--causal`), an upper bound on its score MACs.
 */
export const GPT3_175B: DecoderSpec = {
  name: 'gpt3-175b',
  layers: 96,
  hidden: 12288,
  heads: 96,
  kvHeads: 96,
  ffn: 4 * 12288,
  vocab: 50257,
  norm: 'layer',
  activation: 'gelu',
  gated: false,
  rotary: false,
  tiedHead: true,
  maxSeq: 2048,
  dropout: 0.1, // §2.1: GPT-2's architecture, whose dropout is 0.1 (Hugging Face gpt2 config: attn/resid/embd_pdrop)
};

/**
 * LLaMA 3 70B (Meta Llama 3 model card; Hugging Face `Meta-Llama-3-70B` config.json): 80 layers, hidden 8,192, 64 query
 * heads over 8 KV heads (GQA), SwiGLU intermediate 28,672, RMSNorm, RoPE, vocab 128,256, untied LM head, 8,192 tokens.
 */
export const LLAMA3_70B: DecoderSpec = {
  name: 'llama3-70b',
  layers: 80,
  hidden: 8192,
  heads: 64,
  kvHeads: 8,
  ffn: 28672,
  vocab: 128256,
  norm: 'rms',
  activation: 'silu',
  gated: true,
  rotary: true,
  tiedHead: false,
  maxSeq: 8192,
  dropout: 0, // config.json attention_dropout 0.0: no dropout in pre-training
};

import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

const json = async (argv: string[]) => {
  const r = await runCaptured([...argv, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { totals: { macs: number }; phase: string; kvCache?: { tensors: number; bytes: number; onChipBytes: number } };
};

describe('trim eval on transformers: --seq, --phase prefill|decode, --context', () => {
  it('gpt2-small at 1024 tokens: 145,824,153,600 forward MACs; --phase training exactly three times that', async () => {
    expect((await json(['eval', '--workload', 'gpt2-small', '--seq', '1024'])).totals.macs).toBe(145_824_153_600);
    expect((await json(['eval', '--workload', 'gpt2-small', '--seq', '1024', '--phase', 'training'])).totals.macs).toBe(3 * 145_824_153_600);
  });

  it('llama3-8b decode over 4096 keys: 8,578,400,256 MACs per token; the KV cache 536,870,912 bytes at bf16, placed by the scheduler', async () => {
    const r = await json(['eval', '--workload', 'llama3-8b', '--phase', 'decode', '--context', '4096', '--precision', 'bf16']);
    expect(r.phase).toBe('decode');
    expect(r.totals.macs).toBe(8_578_400_256);
    expect(r.kvCache?.bytes).toBe(536_870_912);
    // 16 MiB per layer does not fit generic-16x16's buffer: the cache stays in DRAM.
    expect(r.kvCache?.onChipBytes).toBe(0);
  });

  it('a KV cache that fits the buffer is kept on chip', async () => {
    const r = await json(['eval', '--workload', 'gpt2-small', '--phase', 'decode', '--context', '8', '--precision', 'bf16']);
    // 2 tensors × 12 layers of 8 tokens × 768 × 2 bytes.
    expect(r.kvCache?.bytes).toBe(2 * 12 * 8 * 768 * 2);
    expect(r.kvCache?.onChipBytes).toBe(r.kvCache?.bytes);
  });

  it('bad input: one line naming the flag and the fix, exit 1', async () => {
    for (const [argv, msg] of [
      [['--workload', 'gpt2-small', '--context', '8'], /^trim: --context applies only with --phase decode: add --phase decode/],
      [['--workload', 'llama3-8b', '--phase', 'decode', '--seq', '8'], /^trim: --seq sets the prompt length; a decode step has one new token: use --context/],
      [['--workload', 'resnet18', '--phase', 'decode'], /^trim: workload resnet18 has no decode step \(decoder models: gpt2-small, llama3-8b, gpt3-175b, llama3-70b\)/],
      [['--workload', 'gpt2-small', '--seq', '2048'], /^trim: workload gpt2-small takes at most 1024 tokens, got 2048/],
      [['--workload', 'gpt2-small', '--seq', '0'], /^trim: --seq "0": expected a positive integer/],
      [['--workload', 'resnet18', '--seq', '64'], /^trim: workload resnet18 has no sequence length to set/],
    ] as const) {
      const r = await runCaptured(['eval', ...argv, '--quiet']);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

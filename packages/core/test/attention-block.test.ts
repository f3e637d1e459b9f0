import { describe, expect, it } from 'vitest';
import { attentionBlock } from '../src/index.js';

describe('fused attention blocks', () => {
  it('attention block: the largest power-of-two query block whose working set fits (hand-worked)', () => {
    // rows 1024, keys 1024, d 64, 2 bytes. Whole K/V resident with a block b: 2·(2·b·64 + 2·1024·64 + b·1024) ≤ C.
    // C = 1 MiB: b = 128 → 2·(16,384 + 131,072 + 131,072) = 557,056 ≤ 1,048,576; b = 256 → 2·(32,768 + 131,072 +
    // 262,144) = 851,968 ≤ C; b = 512 → 2·(65,536 + 131,072 + 524,288) = 1,441,792 > C: block 256, one pass.
    expect(attentionBlock(1024, 1024, 64, 2, 1 << 20)).toEqual({ block: 256, keyBlock: 1024, passes: 1 });
    // C = 64 KiB: K and V alone take 524,288 B, so square blocks: b = 64: 2·(2·64·64 + 2·64·64 + 64·64) = 40,960 ≤
    // 65,536; b = 128: 2·(16,384 + 16,384 + 16,384) = 98,304 > C. Block 64: K and V read 1024 / 64 = 16 times.
    expect(attentionBlock(1024, 1024, 64, 2, 64 * 1024)).toEqual({ block: 64, keyBlock: 64, passes: 16 });
    expect(attentionBlock(1024, 1024, 64, 2, 100)).toBeUndefined();
  });
});

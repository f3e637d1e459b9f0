import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocksForBank, BRAM18, M20K, URAM288, wordsInBlocks } from '../src/index.js';

describe('blocksForBank (BRAM granularity and port widths)', () => {
  it('1000 fp32 words: 512×36 gives ⌈1000/512⌉·⌈32/36⌉ = 2, 1K×18 gives 1·2 = 2 → 2 BRAM18', () => {
    expect(blocksForBank(1000, 32, BRAM18)).toBe(2);
  });
  it('242 fp32 words (two 11×11 kernels) fit one BRAM18 in 512×36', () => {
    expect(blocksForBank(242, 32, BRAM18)).toBe(1);
  });
  it('4096 int16 words: 1K×18 → 4·1 = 4 (512×36 would take 8)', () => {
    expect(blocksForBank(4096, 16, BRAM18)).toBe(4);
  });
  it('3000 int8 words: 2K×9 → 2·1 = 2 (1K×18 would take 3)', () => {
    expect(blocksForBank(3000, 8, BRAM18)).toBe(2);
  });
  it('a 37-bit word needs two 36-bit columns: 100 words → 2', () => {
    expect(blocksForBank(100, 37, BRAM18)).toBe(2);
  });
  it('M20K: 1000 fp32 words → 512×40 gives 2; URAM: 5000 × 72-bit words → 2', () => {
    expect(blocksForBank(1000, 32, M20K)).toBe(2);
    expect(blocksForBank(5000, 72, URAM288)).toBe(2);
  });
  it('an empty bank takes no block', () => {
    expect(blocksForBank(0, 32, BRAM18)).toBe(0);
  });
  it('wordsInBlocks: 8 BRAM18 hold 4096 fp32 words (8 × 512) and 8192 int16 words (8 × 1K)', () => {
    expect(wordsInBlocks(8, 32, BRAM18)).toBe(4096);
    expect(wordsInBlocks(8, 16, BRAM18)).toBe(8192);
  });
  it('property: the words that b blocks hold need at most b blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.constantFrom(8, 16, 32), fc.constantFrom(BRAM18, M20K), (b, bits, type) => {
        expect(blocksForBank(wordsInBlocks(b, bits, type), bits, type)).toBeLessThanOrEqual(b);
      }),
    );
  });
  it('property: more words never need fewer blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 0, max: 5000 }), fc.constantFrom(8, 16, 32), (w, extra, bits) => {
        expect(blocksForBank(w + extra, bits, BRAM18)).toBeGreaterThanOrEqual(blocksForBank(w, bits, BRAM18));
      }),
    );
  });
});

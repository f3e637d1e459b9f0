import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reshapeDims, sequenceDims, transposeDims } from '../src/onnx/view.js';

describe('ONNX views over TRIM tensors', () => {
  it('splits features into heads with mixed-radix places (hand case: 768 = 12 × 64)', () => {
    const seq = sequenceDims([2, 768, 128, 1]);
    expect(reshapeDims(seq, [2, 128, 12, 64])).toEqual([
      { size: 2, axis: 0, place: 1 },
      { size: 128, axis: 2, place: 1 },
      { size: 12, axis: 1, place: 64 },
      { size: 64, axis: 1, place: 1 },
    ]);
  });

  it('refuses to merge heads in the wrong order or across axes', () => {
    const heads = reshapeDims(sequenceDims([1, 768, 128, 1]), [1, 128, 12, 64]) ?? [];
    expect(reshapeDims(transposeDims(heads, [0, 1, 3, 2]), [1, 128, 768])).toBeUndefined();
    expect(reshapeDims(sequenceDims([1, 768, 128, 1]), [1, 768 * 128])).toBeUndefined();
  });

  it('split then merge gives back the original view (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 32 }), (n, heads, dh, tokens) => {
        const seq = sequenceDims([n, heads * dh, tokens, 1]);
        const split = reshapeDims(seq, [n, tokens, heads, dh]);
        expect(split).toBeDefined();
        const back = reshapeDims(split ?? [], [n, tokens, heads * dh]);
        expect(back).toEqual(seq);
      }),
    );
  });
});

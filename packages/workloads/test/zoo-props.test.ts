import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../src/index.js';
import { totalMacs } from './helpers.js';

describe('zoo invariants', () => {
  const perImage = new Map(Object.entries(ZOO).map(([name, build]) => [name, totalMacs(build({ batch: 1, precision: 'int16' }))]));

  it('MACs scale linearly with the batch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ZOO)), fc.integer({ min: 1, max: 8 }), (name, batch) => {
        expect(totalMacs(ZOO[name]({ batch, precision: 'int16' }))).toBe(batch * perImage.get(name)!);
      }),
      { numRuns: 20 },
    );
  });

  it('every network builds every tensor at the precision it is given', () => {
    for (const build of Object.values(ZOO)) {
      for (const p of ['int8', 'bf16', 'fp32'] as const) for (const t of build({ batch: 1, precision: p }).tensors.values()) expect(t.precision).toBe(p);
    }
  });

  it('BERT block MACs = 7,077,888·L + 1,536·L² for any sequence length L; the encoder is 12 blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), (seqLen) => {
        expect(totalMacs(ZOO['bert-base-block']({ batch: 1, precision: 'int16', seqLen }))).toBe(7_077_888 * seqLen + 1536 * seqLen * seqLen);
        expect(totalMacs(ZOO['bert-base']({ batch: 1, precision: 'int16', seqLen }))).toBe(12 * (7_077_888 * seqLen + 1536 * seqLen * seqLen));
      }),
      { numRuns: 25 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../src/index.js';
import { totalMacs } from './helpers.js';

describe('zoo invariants', () => {
  const perImage = new Map(Object.entries(ZOO).map(([name, build]) => [name, totalMacs(build({ batch: 1 }))]));

  it('MACs scale linearly with the batch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ZOO)), fc.integer({ min: 1, max: 8 }), (name, batch) => {
        expect(totalMacs(ZOO[name]({ batch }))).toBe(batch * perImage.get(name)!);
      }),
      { numRuns: 20 },
    );
  });

  it('every network uses the given precision on every tensor (int16 by default)', () => {
    for (const build of Object.values(ZOO)) {
      for (const t of build({ batch: 1 }).tensors.values()) expect(t.precision).toBe('int16');
      for (const t of build({ batch: 1, precision: 'int8' }).tensors.values()) expect(t.precision).toBe('int8');
    }
  });

  it('BERT MACs = 7,077,888·L + 1,536·L² for any sequence length L', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), (seqLen) => {
        expect(totalMacs(ZOO['bert-base']({ batch: 1, seqLen }))).toBe(7_077_888 * seqLen + 1536 * seqLen * seqLen);
      }),
      { numRuns: 25 },
    );
  });
});

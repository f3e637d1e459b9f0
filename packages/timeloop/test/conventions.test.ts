import { describe, expect, it } from 'vitest';
import { outputSplit, reductionAt, vectorBytes } from '../src/index.js';

/** Cost-layout arrays ([level·3 + slot]) with only the output slot (2) set. */
function outputs(reads: number[], writes: number[]) {
  const L = reads.length;
  const r = new Float64Array(L * 3);
  const w = new Float64Array(L * 3);
  reads.forEach((v, l) => (r[l * 3 + 2] = v));
  writes.forEach((v, l) => (w[l * 3 + 2] = v));
  return { L, r, w, keep: new Uint8Array(L * 3).fill(1), up: new Float64Array(L), down: new Float64Array(L), fill: new Float64Array(L) };
}

describe("Timeloop v3's split of partial-sum traffic", () => {
  it('three levels, no array (exercise 03): drains are the parent\'s updates, not reads', () => {
    // RF keeps a K=2 output tile over R=3 (6 MACs, 2 first touches) 256 times; the GLB holds all 512 outputs.
    // TRIM: RF writes 1536 (MAC updates), reads 1024 MAC read-backs + 512 drains; GLB writes 512, reads 512 drains.
    const o = outputs([1536, 512, 0], [1536, 512, 512]);
    outputSplit(o.L, o.r, o.w, o.keep, [1, 1, 1], o.up, o.down, o.fill);
    expect([...o.up]).toEqual([1536, 512, 512]);
    expect([...o.down]).toEqual([1024, 0, 0]);
    expect([...o.fill]).toEqual([0, 0, 0]);
  });

  it('an input-channel split over 16 PEs (exercise 04 cp): updates reduced 16 → 1, partial sums multicast back', () => {
    // Per RF: 3072 updates, 2560 read-backs, 512 psum fills (second C pass). GLB: 1024 updates, 512 psums sent down
    // (multicast to the 16 PEs), 512 drains to DRAM. TRIM's RF totals: writes 16·3072 + 16·512, reads 16·2560 + 16·1024.
    const o = outputs([16 * 2560 + 16 * 1024, 512 + 512, 0], [16 * 3072 + 16 * 512, 1024, 512]);
    outputSplit(o.L, o.r, o.w, o.keep, [1, 16, 1], o.up, o.down, o.fill);
    expect([...o.up]).toEqual([16 * 3072, 1024, 512]);
    expect([...o.down]).toEqual([16 * 2560, 512, 0]);
    expect([...o.fill]).toEqual([16 * 512, 0, 0]);
  });

  it('a bypassed level in between passes its reduction on to the next keeping level', () => {
    // RF keeps outputs, GLB (reduction 4) bypasses them, DRAM keeps them: the RF's 4 children-sets meet at DRAM.
    const o = outputs([4 * 10 + 4 * 5, 0, 3], [4 * 20 + 4 * 3, 0, 5]);
    o.keep[1 * 3 + 2] = 0;
    outputSplit(o.L, o.r, o.w, o.keep, [1, 4, 1], o.up, o.down, o.fill);
    expect([...o.up]).toEqual([80, 0, 5]);
    expect([...o.down]).toEqual([40, 0, 3]);
    expect([...o.fill]).toEqual([12, 0, 0]);
  });

  it('the reduction at a level is the product of its spatial factors over output-irrelevant dims', () => {
    const x = new Int32Array(16).fill(1);
    const y = new Int32Array(16).fill(1);
    x[8 + 3] = 4; // level 1, C (irrelevant to outputs)
    y[8 + 2] = 3; // level 1, K (relevant)
    y[8 + 6] = 2; // level 1, R (irrelevant)
    const outputMask = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4) | (1 << 5);
    expect(reductionAt(x, y, 1, outputMask)).toBe(8);
    expect(reductionAt(x, y, 0, outputMask)).toBe(1);
  });

  it('vector accesses: each instance rounds up to whole blocks', () => {
    expect(vectorBytes(18, 1, 32)).toBe(32); // 18 words of a 32-word DRAM block: one access
    expect(vectorBytes(288, 1, 32)).toBe(288); // 9 whole blocks
    expect(vectorBytes(16 * 18, 16, 32)).toBe(16 * 32);
    expect(vectorBytes(0, 4, 32)).toBe(0);
  });
});

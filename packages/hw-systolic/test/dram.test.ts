import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochWords, ofmapDramWrites, sweepMisses } from '../src/scalesim/index.js';
import { array, conv, DRAM, FILTER, IFMAP, OFMAP, run } from './helpers.js';
import { naiveDram } from './naive-scalesim.js';

describe('read buffer rule', () => {
  it('an epoch of a 64 KB buffer holds 50 sets of ⌊65 536 / 100⌋ = 655 words', () => {
    expect(epochWords(65536)).toBe(32750);
  });
  it('an operand that fits is read once; one that does not is re-read on every pass', () => {
    // 3 blocks of 10 words, 2 passes: 30 < 100 words fit → 30 misses.
    expect(sweepMisses(100, 3, 10, 10, 2, 1)).toBe(30);
    // Epoch of 25 words: pass 1 misses 30 and flushes once (block 2's last 5 words stay); pass 2 misses blocks 0
    // and 1 (20 words, flushing again at 25) and then block 2 whole: 30 + 30 = 60.
    expect(sweepMisses(25, 3, 10, 10, 2, 1)).toBe(60);
  });
  it('a block re-used back to back misses only what crossed a flush', () => {
    // Checked against a Set-based buffer for a few epoch sizes.
    const naive = (cap: number, words: number, reps: number) => {
      let held = new Set<number>();
      let m = 0;
      for (let r = 0; r < reps; r++)
        for (let w = 0; w < words; w++) {
          if (held.has(w)) continue;
          held.add(w);
          m++;
          if (held.size === cap) held = new Set();
        }
      return m;
    };
    for (const [cap, words, reps] of [
      [25, 30, 3],
      [100, 30, 4],
      [7, 30, 5],
    ])
      expect(sweepMisses(cap, 1, words, words, 1, reps)).toBe(naive(cap, words, reps));
  });
  it('sweeps: the closed forms (whole misses once a sweep fills an epoch; repeats) equal a word-by-word buffer', () => {
    const naiveSweep = (cap: number, blocks: number, full: number, last: number, passes: number, repeat: number) => {
      let held = new Set<string>();
      let m = 0;
      for (let p = 0; p < passes; p++)
        for (let b = 0; b < blocks; b++)
          for (let r = 0; r < repeat; r++)
            for (let w = 0; w < (b === blocks - 1 ? last : full); w++) {
              const k = `${b}:${w}`;
              if (held.has(k)) continue;
              held.add(k);
              m++;
              if (held.size === cap) held = new Set();
            }
      return m;
    };
    const args = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }));
    fc.assert(
      fc.property(args, ([cap, blocks, full, lastRaw, passes, repeat]) => {
        const last = Math.min(full, lastRaw);
        expect(sweepMisses(cap, blocks, full, last, passes, repeat)).toBe(naiveSweep(cap, blocks, full, last, passes, repeat));
      }),
      { numRuns: 1000, seed: 16 },
    );
  });
  it('a 2³¹-row GEMM sweep (2²⁶ blocks, 2²⁶ repeats) takes no per-block memory and no per-repeat time', () => {
    const t0 = performance.now();
    // Blocks of 2048 words, epoch 32 750: every visit of a sweep misses whole → 2 sweeps × all words.
    expect(sweepMisses(32750, 2 ** 26, 2048, 2048, 2, 1)).toBe(2 * 2 ** 26 * 2048);
    // One block of 2048 words re-read 2²⁶ times back to back: it fits an epoch, so only its first visit misses.
    expect(sweepMisses(32750, 2, 2048, 2048, 1, 2 ** 26)).toBe(4096);
    // A block larger than an epoch misses whole at every visit.
    expect(sweepMisses(1000, 1, 4096, 4096, 1, 2 ** 26)).toBe(4096 * 2 ** 26);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it('ofmap write buffer: above half the buffer, the first drain rounds a 1-word line up to 32 (+31)', () => {
    // AlexNet conv1 WS on SCALE-Sim's 32×32 with 64 KB: 3 484 800 writes → 3 484 831.
    expect(ofmapDramWrites(3484800, 65536, 32)).toBe(3484831);
    expect(ofmapDramWrites(8192, 65536, 32)).toBe(8192);
  });
});

describe('DRAM reads equal a naive replay of SCALE-Sim’s demand order (small buffers, random convs)', () => {
  const shapes = fc.record({
    H: fc.integer({ min: 3, max: 12 }),
    R: fc.integer({ min: 1, max: 3 }),
    C: fc.integer({ min: 1, max: 5 }),
    K: fc.integer({ min: 1, max: 9 }),
    stride: fc.integer({ min: 1, max: 3 }),
    rows: fc.integer({ min: 2, max: 6 }),
    cols: fc.integer({ min: 2, max: 6 }),
    kb: fc.constantFrom(0.15, 0.25, 0.5, 4),
    df: fc.constantFrom('ws' as const, 'os' as const, 'is' as const),
  });
  it('ifmap and filter DRAM reads match for 150 random cases', () => {
    fc.assert(
      fc.property(shapes, (s) => {
        const P = Math.ceil((s.H - s.R + s.stride) / s.stride);
        const hw = array(s.rows, s.cols, { sram: { ifmapKB: s.kb, filterKB: s.kb, ofmapKB: 64 } });
        // SCALE-Sim's edge: the rounded-up windows may hang over the H×H input, which alone is in memory.
        const op = conv({ K: s.K, C: s.C, P, Q: P, R: s.R, S: s.R }, s.stride, { inputRows: s.H, inputCols: s.H });
        const cost = run(op, hw, s.df);
        const ref = naiveDram({ H: s.H, W: s.H, R: s.R, S: s.R, C: s.C, K: s.K, stride: s.stride, P, Q: P }, s.df, s.rows, s.cols, epochWords(Math.floor(s.kb * 1024)));
        expect(cost.reads[DRAM * 3 + IFMAP]).toBe(ref.ifmap);
        expect(cost.reads[DRAM * 3 + FILTER]).toBe(ref.filter);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
  it('many column folds (periodic passes, all-miss shortcut) match too', () => {
    fc.assert(
      fc.property(
        fc.record({
          H: fc.integer({ min: 4, max: 10 }),
          R: fc.integer({ min: 1, max: 3 }),
          C: fc.integer({ min: 1, max: 8 }),
          K: fc.integer({ min: 10, max: 40 }),
          stride: fc.integer({ min: 1, max: 2 }),
          rows: fc.integer({ min: 2, max: 8 }),
          cols: fc.integer({ min: 2, max: 4 }),
          kb: fc.constantFrom(0.1, 0.15, 0.3),
          df: fc.constantFrom('ws' as const, 'os' as const),
        }),
        (s) => {
          const P = Math.floor((s.H - s.R) / s.stride) + 1;
          const hw = array(s.rows, s.cols, { sram: { ifmapKB: s.kb, filterKB: s.kb, ofmapKB: 64 } });
          const op = conv({ K: s.K, C: s.C, P, Q: P, R: s.R, S: s.R }, s.stride);
          const cost = run(op, hw, s.df);
          const ref = naiveDram({ H: s.H, W: s.H, R: s.R, S: s.R, C: s.C, K: s.K, stride: s.stride, P, Q: P }, s.df, s.rows, s.cols, epochWords(Math.floor(s.kb * 1024)));
          expect(cost.reads[DRAM * 3 + IFMAP]).toBe(ref.ifmap);
        },
      ),
      { numRuns: 120, seed: 3 },
    );
  });
  it('every output word reaches DRAM at least once', () => {
    const hw = array(8, 8);
    const op = conv({ K: 20, C: 3, P: 9, Q: 9, R: 3, S: 3 });
    for (const df of ['ws', 'os', 'is'] as const) {
      const cost = run(op, hw, df);
      expect(cost.writes[DRAM * 3 + OFMAP]).toBeGreaterThanOrEqual(20 * 81);
    }
  });
});

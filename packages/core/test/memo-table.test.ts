import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedMemo, sharedMemo, sharedMemoBuffer, useSharedMemo } from '../src/index.js';

const worker = (buffer: SharedArrayBuffer, id: number, count: number) =>
  new Promise<void>((resolve, reject) => {
    const w = new Worker(new URL('./memo-table-worker.mjs', import.meta.url), { workerData: { buffer, id, count } });
    w.once('message', () => {
      void w.terminate().then(() => resolve());
    });
    w.once('error', reject);
  });

describe('shared memo', () => {
  it('two worker threads write into one buffer; the main thread reads every value, the keys they both wrote once', async () => {
    const buffer = sharedMemoBuffer(1 << 14);
    await Promise.all([worker(buffer, 1, 2000), worker(buffer, 2, 2000)]);
    const memo = new SharedMemo(buffer);
    for (let i = 0; i < 2000; i++) {
      expect(memo.get(`own|1|${i}`)).toBe(1e6 + i);
      expect(memo.get(`own|2|${i}`)).toBe(2e6 + i);
      expect(memo.get(`common|${i}`)).toBe(i * 0.5);
    }
    expect(memo.get('own|3|0')).toBeUndefined();
  });

  it('property: a lookup gives the value stored under that key or nothing, never another key’s (even when the table is full)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.double({ noNaN: true })), { maxLength: 200 }), fc.constantFrom(1, 4, 64), (entries, slots) => {
        const memo = new SharedMemo(sharedMemoBuffer(slots));
        const first = new Map<string, number>();
        for (const [k, v] of entries) {
          memo.set(k, v);
          if (!first.has(k)) first.set(k, v);
        }
        for (const [k, v] of first) {
          const got = memo.get(k);
          if (got !== undefined) expect(Object.is(got, v)).toBe(true);
        }
        // A table with room keeps everything.
        if (slots >= 64 && first.size <= 16) for (const k of first.keys()) expect(memo.get(k)).not.toBeUndefined();
      }),
      { numRuns: 200, seed: 18 },
    );
  });

  it('this thread’s table: the one installed, else its own', () => {
    const own = sharedMemo();
    own.set('x', 1);
    expect(sharedMemo().get('x')).toBe(1);
    const buffer = sharedMemoBuffer(8);
    useSharedMemo(buffer);
    expect(sharedMemo().get('x')).toBeUndefined();
    useSharedMemo(buffer);
    sharedMemo().set('y', 2);
    expect(new SharedMemo(buffer).get('y')).toBe(2);
  });

  it('refuses a buffer that is not a power-of-two number of slots', () => {
    expect(() => new SharedMemo(new ArrayBuffer(60))).toThrow(/power-of-two/);
  });
});

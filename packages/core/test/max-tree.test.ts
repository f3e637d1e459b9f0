import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxTree } from '../src/schedule/max-tree.js';

describe('MaxTree (range add, range max)', () => {
  it('a hand-worked case: [3, 0, 5, 1], add 4 over [1, 2], max over [0, 1] = 4 and over [1, 3] = 9', () => {
    const t = new MaxTree([3, 0, 5, 1]);
    expect(t.rangeMax(0, 3)).toBe(5);
    t.rangeAdd(1, 2, 4);
    expect(t.rangeMax(0, 1)).toBe(4);
    expect(t.rangeMax(1, 3)).toBe(9);
    expect(t.rangeMax(3, 3)).toBe(1);
  });

  it('answers what a plain array does after any sequence of adds (integer bytes)', () => {
    const op = fc.record({ a: fc.nat(40), b: fc.nat(40), v: fc.integer({ min: 0, max: 2 ** 40 }), add: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 41 }), fc.array(op, { maxLength: 60 }), (values, steps) => {
        const plain = values.slice();
        const tree = new MaxTree(values);
        for (const s of steps) {
          const from = Math.min(s.a, s.b) % plain.length;
          const to = Math.min(Math.max(s.a, s.b) % plain.length + from, plain.length - 1);
          if (s.add) {
            tree.rangeAdd(from, to, s.v);
            for (let i = from; i <= to; i++) plain[i] += s.v;
          } else expect(tree.rangeMax(from, to)).toBe(Math.max(...plain.slice(from, to + 1)));
        }
      }),
    );
  });
});

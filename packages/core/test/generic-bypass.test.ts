import { describe, expect, it } from 'vitest';
import { buildGeneric, Cost, genericSchema, Illegal } from '../src/index.js';
import { convOp, mapping } from './helpers.js';

/** A register of 64 words over the backing store; `bypassable` on the register as given. */
function twoLevels(bypassable?: boolean) {
  return buildGeneric(
    genericSchema.parse({
      clockMHz: 100,
      wordBits: 16,
      macEnergyPj: 1,
      levels: [
        { name: 'rf', capacityWords: 64, readEnergyPj: 1, ...(bypassable === undefined ? {} : { bypassable }) },
        { name: 'dram', capacityWords: 'unbounded', readEnergyPj: 100 },
      ],
    }),
    'two-levels',
  );
}

describe('generic levels without a bypass (bypassable: false)', () => {
  // K = 2, C = 3: the rf keeps the weights and outputs; inputs skip it (read from DRAM by every MAC).
  const op = convOp({ K: 2, C: 3 });
  const skipInputs = mapping(2, [{ keep: [true, false, true] }, { t: { K: 2, C: 3 }, order: 'KC' }]);
  const keepAll = mapping(2, [{}, { t: { K: 2, C: 3 }, order: 'KC' }]);

  it('a mapping that skips the level is illegal, naming the level', () => {
    const hw = twoLevels(false);
    const c = hw.cost.evaluate(op, skipInputs, new Cost(2));
    expect(c.illegal).toBe(Illegal.Template);
    expect(c.illegalLevel).toBe(0);
    expect(c.illegalWhy).toMatch(/level rf has no bypass/);
    expect(hw.cost.check(op, skipInputs, new Cost(2)).illegal).toBe(Illegal.Template);
  });

  it('the same mapping keeping every operand costs exactly what it costs on a bypassable level', () => {
    const fixed = twoLevels(false).cost.evaluate(op, keepAll, new Cost(2));
    const free = twoLevels().cost.evaluate(op, keepAll, new Cost(2));
    expect(fixed.legal).toBe(true);
    // 6 MACs: the inputs go through the rf, one element per tile: C is the inner loop, so each of the 6 iterations
    // fills a new input (6 DRAM reads, 6 rf fills, 6 rf reads by the MACs).
    expect(fixed.reads[0 * 3 + 1]).toBe(6);
    expect(fixed.writes[0 * 3 + 1]).toBe(6);
    expect(fixed.reads[1 * 3 + 1]).toBe(6);
    expect([fixed.cycles, fixed.energyPj]).toEqual([free.cycles, free.energyPj]);
  });

  it('by default a level may be bypassed (every existing architecture unchanged)', () => {
    const c = twoLevels().cost.evaluate(op, skipInputs, new Cost(2));
    expect(c.legal).toBe(true);
    // Without the rf, every MAC reads its input from DRAM.
    expect(c.reads[1 * 3 + 1]).toBe(6);
  });
});

import { describe, expect, it } from 'vitest';
import { Cost, defineDataflow, Evaluator, TrimUserError, type Mapping } from '../src/index.js';
import { convOp, hardware, level, mapping } from './helpers.js';

// An 8-byte register file under DRAM; a 1×1 convolution with 4 filters and 4 channels, 2-byte operands.
const hw = hardware([level('rf', { capacityBytes: 8, doubleBuffered: false }), level('dram')]);
const op = convOp({ K: 4, C: 4 });
/** The rf keeps a K × C tile: weights K·C, inputs C, outputs K elements of 2 bytes. */
const tile = (k: number, c: number): Mapping => mapping(2, [{ t: { K: k, C: c } }, { t: { K: 4 / k, C: 4 / c } }]);

const emitting = (mappings: Mapping[]) =>
  defineDataflow({ name: 'fixed', description: 'test', templates: '*', mapspace: (_op, _hw, emit) => mappings.forEach(emit) });

function unmappable(df: ReturnType<typeof emitting>): string {
  try {
    new Evaluator(hw, [{ plugin: df, config: {} }], 'latency').evaluateOp(op);
  } catch (e) {
    expect(e).toBeInstanceOf(TrimUserError);
    return (e as Error).message;
  }
  throw new Error('expected the op to be unmappable');
}

describe('"cannot be mapped" names the level and the capacity that forbade every candidate', () => {
  it('every candidate over capacity: the count, the level, its capacity and the closest candidate’s tiles', () => {
    // 2×2 tile: 8 + 4 + 4 = 16 bytes; 4×4 tile: 32 + 8 + 8 = 48 bytes; both over 8 bytes, the first closest.
    expect(unmappable(emitting([tile(4, 4), tile(2, 2)]))).toBe(
      'layer op (forward) cannot be mapped on test: fixed: all 2 candidate mappings illegal: the tiles kept at level rf (8/4/4 bytes of weights/inputs/outputs) exceed its capacity (8 bytes) (the closest)',
    );
  });

  it('candidates a dataflow pruned with hw.cost.check count too', () => {
    const pruning = defineDataflow({
      name: 'pruning',
      description: 'test',
      templates: '*',
      mapspace: (o, h) => {
        h.cost.check(o, tile(2, 2), new Cost(2));
      },
    });
    expect(unmappable(pruning)).toMatch(/pruning: all 1 candidate mappings illegal: the tiles kept at level rf \(8\/4\/4 bytes .*\) exceed its capacity \(8 bytes\)$/);
  });

  it('a dataflow that proposes nothing: whether one-element tiles fit (then its own rules excluded every mapping)', () => {
    expect(unmappable(emitting([]))).toMatch(/fixed: the dataflow generated no mapping for this op: its own rules .* exclude every mapping/);
    const tiny = hardware([level('rf', { capacityBytes: 4, doubleBuffered: false }), level('dram')]);
    try {
      new Evaluator(tiny, [{ plugin: emitting([]), config: {} }], 'latency').evaluateOp(op);
      throw new Error('expected a user error');
    } catch (e) {
      // One element of each operand is 2 + 2 + 2 = 6 bytes: over 4.
      expect((e as Error).message).toMatch(/even one-element tiles are illegal: the tiles kept at level rf \(2\/2\/2 bytes .*\) exceed its capacity \(4 bytes\)/);
    }
  });
});

import { capabilityOf, Cost, defineDataflow, Evaluator, Illegal, type DataflowPlugin } from '@trim-dse/core';
import { engineFor, fpgaEngineCapability } from '@trim-dse/fpga-kit';
import { describe, expect, it } from 'vitest';
import { buildFpga, fpgaSchema, NO_STAGE, WIRING } from '../src/index.js';
import { smallConv, zhangMapping } from './helpers.js';

// Two stages on the VC707: layer a on a 2 × 1 engine, layer b on a 4 × 2 engine (fp32, 100 MHz).
const hw = buildFpga(
  fpgaSchema.parse({
    device: 'vc707',
    precision: 'fp32',
    clockMHz: 100,
    Tm: 1,
    Tn: 1,
    organisation: 'layer-pipelined',
    stages: [
      { layer: 'a', Tm: 2, Tn: 1 },
      { layer: 'b', Tm: 4, Tn: 2 },
    ],
  }),
  'piped',
);

/** An outside dataflow (written here: a template's tests import no dataflow) proposing Zhang's whole-plane tile. */
const wholePlane = defineDataflow({
  name: 'whole-plane',
  description: 'test',
  templates: ['fpga'],
  mapspace(op, h, emit) {
    const facts = capabilityOf(h, fpgaEngineCapability);
    const e = facts && engineFor(facts, op.layer);
    if (e) emit(zhangMapping(op, e, op.bounds[4], op.bounds[5]));
  },
}) as unknown as DataflowPlugin<unknown>;

describe('layer-pipelined designs: each layer on its own engine', () => {
  it('the array spans the widest stage (4 × 2); the capability lists both stages', () => {
    expect([hw.levels[0].fanoutX, hw.levels[0].fanoutY]).toEqual([4, 2]);
    const facts = capabilityOf(hw, fpgaEngineCapability);
    expect(facts?.organisation).toBe('layer-pipelined');
    expect(Object.keys(facts?.stages ?? {})).toEqual(['a', 'b']);
    expect(facts?.engine.Tm).toBe(4);
  });
  it('an op of a layer with no stage: Illegal.Template with a constant reason', () => {
    const op = smallConv({ layer: 'z' });
    const out = hw.cost.check(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 4, 4), new Cost(2));
    expect([out.illegal, out.illegalWhy]).toEqual([Illegal.Template, NO_STAGE]);
  });
  it('layer a may not borrow the widest stage’s lanes: 4 × 2 fits the array but not a’s 2 × 1 engine', () => {
    const op = smallConv({ layer: 'a' });
    expect(hw.cost.check(op, zhangMapping(op, { Tm: 2, Tn: 1 }, 4, 4), new Cost(2)).legal).toBe(true);
    const out = hw.cost.check(op, zhangMapping(op, { Tm: 4, Tn: 2 }, 4, 4), new Cost(2));
    expect([out.illegal, out.illegalWhy]).toEqual([Illegal.Template, WIRING]);
  });
  it('memo key: same-shaped layers on different stages differ; a single engine keeps the shape key', () => {
    const a = smallConv({ layer: 'a' });
    const b = smallConv({ layer: 'b' });
    expect(a.key).toBe(b.key);
    expect(hw.cost.memoKey?.(a)).not.toBe(hw.cost.memoKey?.(b));
    const single = buildFpga(fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 2, Tn: 1 }), 's');
    expect(single.cost.memoKey).toBeUndefined();
  });
  it('two same-shaped layers get their own stage’s cost: a ⌈4/2⌉·⌈2/1⌉·16·9 = 576 cycles, b ⌈4/4⌉·⌈2/2⌉·16·9 = 144', () => {
    const ev = new Evaluator(hw, [{ plugin: wholePlane, config: {} }], 'latency');
    expect(ev.evaluateOp(smallConv({ layer: 'a' })).cost.computeCycles).toBe(576);
    expect(ev.evaluateOp(smallConv({ layer: 'b' })).cost.computeCycles).toBe(144);
  });
  it('a stage listed twice is a user error naming stages', () => {
    const spec = fpgaSchema.parse({ device: 'vc707', precision: 'fp32', clockMHz: 100, Tm: 1, Tn: 1, organisation: 'layer-pipelined', stages: [{ layer: 'a', Tm: 2, Tn: 1 }, { layer: 'a', Tm: 4, Tn: 1 }] });
    expect(() => buildFpga(spec, 'dup')).toThrow(/layer a twice/);
  });
});

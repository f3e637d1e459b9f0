import { describe, expect, it } from 'vitest';
import { DEVICES, planPipeline } from '../src/index.js';

const small = { M: 4, N: 2, R: 4, C: 4, K: 3, S: 1, groups: 1 };

describe('planPipeline (layer-pipelined resource split)', () => {
  it('hand-worked: 4 MACs of budget (20 fp32 DSPs): 1×1 (1152) → 2×1 (576) → 2×2 (288); 4×2 would need 40 DSPs', () => {
    const plan = planPipeline([{ name: 'a', shape: small }], DEVICES.vc707, 'fp32', 20 / 2800);
    expect(plan.stages).toEqual([{ layer: 'a', Tm: 2, Tn: 2, cycles: 288 }]);
    expect(plan.dsp).toBe(20);
  });
  it('the slowest stage sets the interval; the DSPs stay under the limit', () => {
    const layers = [
      { name: 'a', shape: small },
      { name: 'b', shape: { ...small, M: 16 } },
    ];
    const plan = planPipeline(layers, DEVICES.vc707, 'fp32', 100 / 2800);
    expect(plan.dsp).toBeLessThanOrEqual(100);
    expect(plan.intervalCycles).toBe(Math.max(...plan.stages.map((s) => s.cycles)));
    expect(plan.latencyCycles).toBe(plan.stages.reduce((a, s) => a + s.cycles, 0));
    // b has 4× the MACs of a: it gets the larger engine.
    expect(plan.stages[1].Tm * plan.stages[1].Tn).toBeGreaterThan(plan.stages[0].Tm * plan.stages[0].Tn);
  });
});

import { describe, expect, it } from 'vitest';
import { createPointContext, evaluatePoint, evaluateRequest, exploreFixture, prepareExplore, type ExploreSpace } from '../../src/index.js';
import { fixtureRegistry } from './helpers.js';

async function point(space: Partial<ExploreSpace>, extra: { goal?: 'latency' | 'throughput-per-area'; sets?: string[] } = {}, index = 191) {
  const registry = fixtureRegistry();
  const prepared = prepareExplore(registry, { space: { ...exploreFixture.fixtureSpace(), ...space }, workload: 'tiny-cnn', search: 'sequential', seed: 1, ...extra });
  return evaluatePoint(await createPointContext(registry, prepared.job), index);
}

describe('evaluatePoint', () => {
  it('a feasible point has totals, objectives [score, seconds, energy] and resources', async () => {
    const r = await point({});
    expect(r.status).toBe('ok');
    expect(r.objectives).toEqual([r.totals!.seconds, r.totals!.seconds, r.totals!.energyPj]);
    expect(r.resources).toMatchObject({ macUnits: 256 });
    expect(r.totals!.macs).toBeGreaterThan(0);
    expect(r.mappings).toBeGreaterThan(0);
  });
  it('a point that does not build is infeasible with the schema message', async () => {
    const r = await point({}, {}, 0);
    expect(r.status).toBe('infeasible');
    expect(r.reason).toMatch(/capacityWords/);
    expect(r.totals).toBeUndefined();
  });
  it('constraints make a point infeasible, naming the limit', async () => {
    expect((await point({ constraints: { latencySeconds: 1e-12 } })).reason).toMatch(/latency .* exceeds the 1e-12 s constraint/);
    expect((await point({ constraints: { powerW: 1e-9 } })).reason).toMatch(/power .* exceeds/);
    expect((await point({ constraints: { areaMm2: 5 } }, { sets: ['areaMm2=10'] })).reason).toMatch(/area 10 mm² exceeds the 5 mm²/);
    expect((await point({ constraints: { areaMm2: 5 } })).reason).toMatch(/no area estimate/);
  });
  it('throughput per area = seconds × mm²', async () => {
    const r = await point({}, { goal: 'throughput-per-area', sets: ['areaMm2=4'] });
    expect(r.score).toBeCloseTo(r.totals!.seconds * 4, 18);
  });
  it('weighted workloads are a weighted sum of totals', async () => {
    const one = await point({});
    const mix = await point({ workloads: [{ workload: 'tiny-cnn', weight: 3, phase: 'inference', batch: 1 }, { workload: 'tiny-cnn', weight: 1, phase: 'inference', batch: 2 }] }, {});
    const two = await point({ workloads: [{ workload: 'tiny-cnn', weight: 1, phase: 'inference', batch: 2 }] });
    expect(mix.totals!.macs).toBeCloseTo(0.75 * one.totals!.macs + 0.25 * two.totals!.macs, 6);
    expect(mix.totals!.seconds).toBeCloseTo(0.75 * one.totals!.seconds + 0.25 * two.totals!.seconds, 15);
  });
  it('one point of explore and trim eval of the same point agree exactly (one path: map → cost → schedule → check)', async () => {
    const registry = fixtureRegistry();
    const space = { ...exploreFixture.fixtureSpace(), parameters: [] };
    const ex = await point(space as Partial<ExploreSpace>, {}, 0);
    const base = exploreFixture.fixtureSpace().base as string;
    const ev = await evaluateRequest(registry, { arch: base, workload: 'tiny-cnn', dataflow: 'fixture-ws' });
    expect(ex.status).toBe('ok');
    expect(ev.interlayer.policy).toBe('on-chip-handoff');
    expect(ev.interlayer.onChipTensors).toBeGreaterThan(0); // so a path that skipped the scheduler would differ
    expect(ex.totals).toEqual(ev.totals);
  });
});

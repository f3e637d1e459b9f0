import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corePlugin, evaluateRequest, Registry, TrimUserError } from '@trim-dse/core';
import timeloop from '@trim-dse/timeloop';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

const EX = fileURLToPath(new URL('../../../validation/timeloop/inputs/timeloop_exercises', import.meta.url));
const RUNS = fileURLToPath(new URL('../../../validation/timeloop/fixed-mapping-runs', import.meta.url));
const registry = () => new Registry().use(corePlugin).use(workloads).use(timeloop);
const tmp = (name: string, text: string) => {
  const f = join(mkdtempSync(join(tmpdir(), 'trim-tl-')), name);
  writeFileSync(f, text);
  return f;
};

const CP = {
  arch: join(EX, '04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml'),
  workload: join(EX, '04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml'),
  mapping: join(EX, '04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-cp-ws.map.yaml'),
  energyTable: join(RUNS, '04-model-conv1d+oc-3levelspatial/run_cp/ERT.yaml'),
};

describe('trim eval on Timeloop inputs (core evaluateRequest, as the CLI runs it)', () => {
  it("reads back its own printed mapping: the same counts, cycles and energy as Timeloop's map.yaml", async () => {
    const r = registry();
    const first = await evaluateRequest(r, { ...CP, includeMapping: true });
    const printed = tmp('result.json', JSON.stringify({ schema: 'trim.eval/v1', layers: first.layers }));
    const again = await evaluateRequest(r, { ...CP, mapping: printed, includeMapping: true });
    expect(again.layers[0].accesses).toEqual(first.layers[0].accesses);
    expect(again.layers[0].cycles).toBe(3072);
    expect(again.totals.energyPj).toBe(first.totals.energyPj);
  });

  it('an illegal fixed mapping is a user error with the template\'s reason', async () => {
    // The whole 64-output row in the 64-word register file with its weights and inputs: 3 + 66 + 64 words.
    const prob = tmp('p.yaml', 'problem:\n  shape:\n    name: Conv1D\n    dimensions: [R, P]\n  instance:\n    R: 3\n    P: 64\n');
    const map = tmp('m.yaml', 'mapping:\n  - target: Buffer\n    type: temporal\n    factors: R=3 P=64\n    permutation: RP\n');
    const run = evaluateRequest(registry(), {
      arch: join(EX, '00-model-conv1d-1level/arch/1level.arch.yaml'),
      energyTable: join(RUNS, '00-model-conv1d-1level/run_1level/ERT.yaml'),
      workload: prob,
      mapping: map,
    });
    await expect(run).rejects.toBeInstanceOf(TrimUserError);
    await expect(run).rejects.toThrow(/Buffer.*capacity/);
  });

  it('a mapping for another problem is a user error naming the dimension', async () => {
    const run = evaluateRequest(registry(), { ...CP, workload: join(EX, '03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml') });
    await expect(run).rejects.toThrow(/factors of dimension C multiply to 32, not layer .*'s 1/);
  });

  it('a Timeloop architecture without an energy table is a user error that says to give one', async () => {
    const { energyTable: _, ...rest } = CP;
    await expect(evaluateRequest(registry(), rest)).rejects.toThrow(/levels.0.readEnergyPj: no energy for level RegisterFile/);
  });

  it('single-level hierarchy: the only level is the backing store (exercise 00)', async () => {
    const r = await evaluateRequest(registry(), {
      arch: join(EX, '00-model-conv1d-1level/arch/1level.arch.yaml'),
      energyTable: join(RUNS, '00-model-conv1d-1level/run_1level/ERT.yaml'),
      workload: join(EX, '00-model-conv1d-1level/prob/conv1d.prob.yaml'),
      mapping: join(EX, '00-model-conv1d-1level/map/conv1d-1level.map.yaml'),
    });
    expect(r.hardware.levels).toHaveLength(1);
    expect(r.layers[0].accesses.Buffer).toEqual({ weights: { reads: 48, writes: 0 }, inputs: { reads: 48, writes: 0 }, outputs: { reads: 32, writes: 48 } });
  });
});

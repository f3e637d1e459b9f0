import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corePlugin, evaluateRequest, Registry } from '@trim-dse/core';
import timeloop from '@trim-dse/timeloop';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

const V = fileURLToPath(new URL('../../../validation/timeloop', import.meta.url));
const I = `${V}/inputs/ispass_timeloop+accelergy`;
const registry = () => new Registry().use(corePlugin).use(workloads).use(timeloop);
const ISPASS = {
  arch: `${I}/arch/eyeriss_like-int16.yaml`,
  sets: [`constraints=${I}/constraints/eyeriss_like_arch_constraints.yaml`],
  energyTable: `${V}/derived/eyeriss_like-int16.ERT.yaml`,
  workload: `${I}/prob/prob.yaml`,
};
// timeloop-mapper's 2022 result on exactly these inputs (reference-outputs-2022/ispass_int16/timeloop-mapper.stats.txt).
const TIMELOOP_MAPPER_2022_PJ = 5382.31e6;

describe("TRIM's own search (timeloop-search) vs timeloop-mapper on the Eyeriss-like ispass layer", () => {
  it('finds energy at or below timeloop-mapper 2022 within the architecture constraints, in seconds', async () => {
    const t0 = process.cpuUsage();
    const r = await evaluateRequest(registry(), { ...ISPASS, dataflow: 'timeloop-search', goal: 'energy', includeMapping: true });
    const cpu = process.cpuUsage(t0);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(10);
    expect(r.totals.energyPj).toBeLessThanOrEqual(TIMELOOP_MAPPER_2022_PJ);
    // The winner honours the hardware facts: the global buffer keeps no weights (the constraints bypass them).
    expect(r.layers[0].accesses.shared_glb.weights).toBeUndefined();
  }, 20_000);

  it("prices timeloop-mapper's own 2022 mapping (legal under the constraints) at its 5,505,024 cycles", async () => {
    const ok = await evaluateRequest(registry(), { ...ISPASS, mapping: `${V}/derived/ispass_int16-timeloop-mapper.map.yaml` });
    expect(ok.totals.cycles).toBe(5_505_024);
  });

  it('rejects a mapping that breaks an architecture constraint, naming the constraint', async () => {
    // weights_spad's temporal loops allow only C and the whole of R; this one puts M there.
    const text = readFileSync(`${V}/derived/ispass_int16-timeloop-mapper.map.yaml`, 'utf8')
      .replace('factors: M=16, permutation: M }', 'factors: M=8, permutation: M }')
      .replace('factors: R=3 C=4, permutation: CR }', 'factors: R=3 C=4 M=2, permutation: MCR }');
    const dir = mkdtempSync(join(tmpdir(), 'trim-tlm-'));
    writeFileSync(join(dir, 'map.yaml'), text);
    await expect(evaluateRequest(registry(), { ...ISPASS, mapping: join(dir, 'map.yaml') })).rejects.toThrow(/weights_spad's temporal loops allow only M = 1/);
  });
});

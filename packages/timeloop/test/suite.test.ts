import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeloopStats, runInputs, timeloopRuns, timeloopSuite } from '../src/index.js';
import { EXERCISES, RUNS } from './helpers.js';

const ROOT = join(RUNS, '..');

describe('the timeloop validation data', () => {
  it('finds the nine fixed-mapping runs and claims only folders with them', () => {
    expect(timeloopRuns(ROOT).map((r) => r.slice(RUNS.length + 1))).toEqual([
      '00-model-conv1d-1level/run_1level',
      '01-model-conv1d-2level/run_os',
      '01-model-conv1d-2level/run_ws',
      '02-model-conv1d+oc-2level/run_tiled',
      '02-model-conv1d+oc-2level/run_untiled',
      '03-model-conv1d+oc-3level/run_bypass',
      '03-model-conv1d+oc-3level/run_no-bypass',
      '04-model-conv1d+oc-3levelspatial/run_cp',
      '04-model-conv1d+oc-3levelspatial/run_kp',
    ]);
    expect(timeloopSuite.detect(ROOT)).toBe(true);
    expect(timeloopSuite.detect(join(RUNS, '04-model-conv1d+oc-3levelspatial/run_kp'))).toBe(true);
    expect(timeloopSuite.detect(join(ROOT, '..', 'scalesim'))).toBe(false);
    expect(timeloopSuite.detect(join(ROOT, '..'))).toBe(false);
  });

  it("finds a run's inputs from its model.stdout", () => {
    const i = runInputs(join(RUNS, '01-model-conv1d-2level/run_os'));
    expect(i.arch).toBe(join(EXERCISES, '01-model-conv1d-2level/arch/2level.arch.yaml'));
    expect(i.mapping).toBe(join(EXERCISES, '01-model-conv1d-2level/map/conv1d-2level-os.map.yaml'));
    expect(i.problem).toBe(join(EXERCISES, '01-model-conv1d-2level/prob/conv1d.prob.yaml'));
  });

  it('parses timeloop-model stats: cycles, utilisation, pJ/compute and per-instance counts', () => {
    const s = parseTimeloopStats(join(RUNS, '04-model-conv1d+oc-3levelspatial/run_kp/timeloop-model.stats.txt'));
    expect([s.cycles, s.utilization, s.computes, s.pjPerCompute]).toEqual([3072, 1, 49152, 10.51409]);
    expect(s.levels.map((l) => l.name)).toEqual(['RegisterFile', 'GlobalBuffer', 'MainMemory']);
    expect(s.levels[0].dataSpaces.Outputs).toEqual({ reads: 3040, fills: 992, updates: 3072, utilizedInstances: 16 });
    expect(s.levels[1].dataSpaces.Outputs).toMatchObject({ reads: 15872, fills: 0, updates: 16384 });
  });
});

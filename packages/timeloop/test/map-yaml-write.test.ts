import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Cost, corePlugin, Registry, resolveArchitecture, type Mapping } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import plugin, { timeloopMapReader, timeloopMapYaml } from '../src/index.js';
import { conv } from './helpers.js';

const V = fileURLToPath(new URL('../../../validation/timeloop', import.meta.url));
const I = `${V}/inputs/ispass_timeloop+accelergy`;

describe('timeloopMapYaml (a TRIM mapping as Timeloop map.yaml)', () => {
  it("round-trips timeloop-mapper's ispass mapping: the same mapping read back, the same cost", () => {
    const hw = resolveArchitecture(new Registry().use(corePlugin).use(plugin), `${I}/arch/eyeriss_like-int16.yaml`, [
      `constraints=${I}/constraints/eyeriss_like_arch_constraints.yaml`,
      `energyTable=${V}/derived/eyeriss_like-int16.ERT.yaml`,
    ]).model;
    const op = conv({ K: 256, C: 128, P: 56, Q: 56, R: 3, S: 3 }, 2);
    const given = timeloopMapReader.read(parse(readFileSync(`${V}/derived/ispass_int16-timeloop-mapper.map.yaml`, 'utf8')), 'm').mappingFor(op, hw) as Mapping;
    const text = timeloopMapYaml(given, hw);
    // The glb's spatial directive: Q along x (split 1), the DummyBuffer's C and S along y (split 0).
    expect(text).toMatch(/target: shared_glb\n\s+type: spatial\n\s+factors: N=1 M=1 C=1 P=1 Q=14 R=1 S=1\n\s+permutation: QNMCPRS\n\s+split: 1/);
    expect(text).toMatch(/target: DummyBuffer\n\s+type: spatial\n\s+factors: N=1 M=1 C=4 P=1 Q=1 R=1 S=3\n\s+permutation: CSNMPQR\n\s+split: 0/);
    const back = timeloopMapReader.read(parse(text), 'back').mappingFor(op, hw) as Mapping;
    expect(Array.from(back.temporal)).toEqual(Array.from(given.temporal));
    expect(Array.from(back.keep)).toEqual(Array.from(given.keep));
    const a = hw.cost.evaluate(op, given, new Cost(6));
    const b = hw.cost.evaluate(op, back, new Cost(6));
    expect(b.energyPj).toBe(a.energyPj);
    expect(b.cycles).toBe(5_505_024);
  });
});

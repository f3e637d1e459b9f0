import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { copyMapping, Cost, corePlugin, DIM_COUNT, Illegal, Registry, resolveArchitecture, type HardwareModel, type Mapping } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import plugin, { compileConstraints, parseConstraintTargets, timeloopConstraintsOf, timeloopMapReader, timeloopMapspace } from '../src/index.js';
import { conv } from './helpers.js';

const V = fileURLToPath(new URL('../../../validation/timeloop', import.meta.url));
const I = `${V}/inputs/ispass_timeloop+accelergy`;
const CONSTRAINTS = `${I}/constraints/eyeriss_like_arch_constraints.yaml`;
const LEVELS = ['psum_spad', 'weights_spad', 'ifmap_spad', 'DummyBuffer', 'shared_glb', 'DRAM'];
const eyeriss = (): HardwareModel =>
  resolveArchitecture(new Registry().use(corePlugin).use(plugin), `${I}/arch/eyeriss_like-int16.yaml`, [
    `constraints=${CONSTRAINTS}`,
    `energyTable=${V}/derived/eyeriss_like-int16.ERT.yaml`,
  ]).model;
const at = (l: number, dim: number) => l * DIM_COUNT + dim;
const [N, , M, C, P, Q, R, S] = [0, 1, 2, 3, 4, 5, 6, 7];

describe('Timeloop architecture constraints', () => {
  it('compile into per-level rules (the Eyeriss-like file, read by hand)', () => {
    const c = compileConstraints(parseConstraintTargets(parse(readFileSync(CONSTRAINTS, 'utf8')), CONSTRAINTS), LEVELS, 'f');
    // psum_spad keeps only Outputs; the glb bypasses Weights; DummyBuffer keeps nothing.
    expect(Array.from(c.keep.subarray(0, 3))).toEqual([0, 0, 1]);
    expect(Array.from(c.keep.subarray(12, 15))).toEqual([0, 1, 1]);
    expect(Array.from(c.keep.subarray(9, 12))).toEqual([0, 0, 0]);
    // weights_spad: R=0 (the whole of R), M=1, C free; permutation NMPQS CR: C inner of R.
    expect([c.temporal[at(1, R)], c.temporal[at(1, M)], c.temporal[at(1, C)]]).toEqual([0, 1, -1]);
    expect(c.rank[at(1, C)]).toBeLessThan(c.rank[at(1, R)]);
    // DummyBuffer spatial NPQR SCM, split 4: S, C, M along y; S=0 the whole of S. The glb's along x.
    expect([c.axis[at(3, S)], c.axis[at(3, C)], c.axis[at(3, P)], c.spatial[at(3, S)]]).toEqual([1, 1, 0, 0]);
    expect([c.axis[at(4, Q)], c.axis[at(4, M)], c.spatial[at(4, C)], c.spatial[at(4, Q)]]).toEqual([0, 0, 1, -1]);
  });

  it('an architecture file names its constraints file beside `architecture:`, relative to itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-tlc-'));
    writeFileSync(join(dir, 'c.yaml'), readFileSync(CONSTRAINTS, 'utf8'));
    writeFileSync(join(dir, 'arch.yaml'), `constraints: c.yaml\n${readFileSync(`${I}/arch/eyeriss_like-int16.yaml`, 'utf8')}`);
    const hw = resolveArchitecture(new Registry().use(corePlugin).use(plugin), join(dir, 'arch.yaml'), [`energyTable=${V}/derived/eyeriss_like-int16.ERT.yaml`]).model;
    expect(timeloopConstraintsOf(hw)?.file).toBe(join(dir, 'c.yaml'));
    // The glb cannot hold weights: a hardware fact from the constraints.
    expect(hw.levels[4].holds).toEqual([false, true, true]);
  });

  it('a target naming no level is a user error (a typo would lift a hardware limit)', () => {
    const doc = { architecture_constraints: { targets: [{ target: 'GLB', type: 'bypass', keep: ['Inputs'] }] } };
    expect(() => compileConstraints(parseConstraintTargets(doc, 'c.yaml'), LEVELS, 'c.yaml')).toThrow(/"GLB" is not a storage level/);
  });

  it("the template accepts timeloop-mapper's mapping and rejects each kind of violation with its reason", () => {
    const hw = eyeriss();
    const op = conv({ K: 256, C: 128, P: 56, Q: 56, R: 3, S: 3 }, 2);
    const given = timeloopMapReader.read(parse(readFileSync(`${V}/derived/ispass_int16-timeloop-mapper.map.yaml`, 'utf8')), 'm').mappingFor(op, hw) as Mapping;
    const out = new Cost(hw.levels.length);
    expect(hw.cost.check(op, given, out).illegal).toBe(Illegal.None);
    const broken = (edit: (m: Mapping) => void) => {
      const m = copyMapping(given);
      edit(m);
      return hw.cost.check(op, m, new Cost(hw.levels.length));
    };
    // M split between psum_spad (8) and weights_spad (2): weights_spad allows M = 1 only.
    const f = broken((m) => {
      m.temporal[at(0, M)] = 8;
      m.temporal[at(1, M)] = 2;
    });
    expect([f.illegal, f.illegalLevel, f.illegalWhy]).toEqual([Illegal.Template, 1, expect.stringContaining("weights_spad's temporal loops allow only M = 1")]);
    // C unrolled across the glb's fanout (Q7 C2 instead of Q14; DRAM takes the rest): the glb allows C = 1 only.
    const a = broken((m) => {
      m.spatialX[at(4, Q)] = 7;
      m.spatialX[at(4, C)] = 2;
      m.temporal[at(5, Q)] = 8;
      m.temporal[at(5, C)] = 4;
    });
    expect(a.illegalWhy).toMatch(/shared_glb's spatial fanout allows only C = 1/);
    // weights_spad with R inside C (the constraints want C inside R).
    const o = broken((m) => {
      m.order.set([N, 1, M, P, Q, S, C, R], at(1, 0));
    });
    expect(o.illegalWhy).toMatch(/weights_spad's loop order must be/);
    // The glb keeping the weights it cannot hold: the engine's keep rule.
    expect(broken((m) => (m.keep[4 * 3] = 1)).illegal).toBe(Illegal.Keep);
  });

  it('a map.yaml without bypass directives keeps at each level what the constraints let it hold', () => {
    const hw = eyeriss();
    const op = conv({ K: 256, C: 128, P: 56, Q: 56, R: 3, S: 3 }, 2);
    const text = readFileSync(`${V}/derived/ispass_int16-timeloop-mapper.map.yaml`, 'utf8');
    const read = (t: string) => timeloopMapReader.read(parse(t), 'm').mappingFor(op, hw) as Mapping;
    const bare = read(text.split('\n').filter((l) => !l.includes('type: bypass')).join('\n'));
    expect(Array.from(bare.keep)).toEqual(Array.from(read(text).keep));
    expect(Array.from(bare.keep)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });
});

describe('timeloop-search', () => {
  it('proposes only mappings the constraints allow, and one loop order per class: no other order of the same factors costs less', () => {
    const hw = eyeriss();
    expect(timeloopConstraintsOf(hw)).toBeDefined();
    // A small layer: C4 M8 P4 Q4 R3 S3, 16-bit words.
    const op = conv({ K: 8, C: 4, P: 4, Q: 4, R: 3, S: 3 }, 2);
    const out = new Cost(hw.levels.length);
    const best = new Map<string, number>();
    const samples: Mapping[] = [];
    let n = 0;
    timeloopMapspace(op, hw, (m) => {
      n++;
      hw.cost.evaluate(op, m, out);
      expect(out.illegalWhy).toBe('');
      const key = `${m.temporal.join()}|${m.spatialX.join()}|${m.spatialY.join()}|${m.keep.join()}`;
      if (!best.has(key) && samples.length < 10) samples.push(copyMapping(m));
      if (out.legal) best.set(key, Math.min(best.get(key) ?? Infinity, out.energyPj));
    }, { maxMappings: 1e7 });
    expect(n).toBeGreaterThan(0);
    // For sampled factorizations: every order of the glb's and DRAM's loops (all 24 × 24 when four dims loop there).
    const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
    for (const m of samples) {
      const key = `${m.temporal.join()}|${m.spatialX.join()}|${m.spatialY.join()}|${m.keep.join()}`;
      const loopsAt = (l: number) => [0, 1, 2, 3, 4, 5, 6, 7].filter((d) => m.temporal[at(l, d)] > 1);
      const rest = (l: number) => [0, 1, 2, 3, 4, 5, 6, 7].filter((d) => m.temporal[at(l, d)] <= 1);
      let min = Infinity;
      for (const pg of perms(loopsAt(4))) {
        for (const pd of perms(loopsAt(5))) {
          const t = copyMapping(m);
          t.order.set([...rest(4), ...pg], at(4, 0));
          t.order.set([...rest(5), ...pd], at(5, 0));
          hw.cost.evaluate(op, t, out);
          if (out.legal) min = Math.min(min, out.energyPj);
        }
      }
      expect(best.get(key)).toBe(min);
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalJson,
  createRng,
  designSpaceJsonSchema,
  dominates,
  expandParameter,
  goalScore,
  Grid,
  LazyShuffle,
  ParetoArchive,
  parseShard,
  spaceFromFileData,
  TrimUserError,
} from '../../src/index.js';

describe('rng', () => {
  it('is deterministic per seed and in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(43).next()).not.toBe(xs[0]);
  });
  it('int stays in range, also beyond 32 bits', () => {
    const r = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(7);
      expect(v >= 0 && v < 7 && Number.isInteger(v)).toBe(true);
      const w = r.int(2 ** 40);
      expect(w >= 0 && w < 2 ** 40).toBe(true);
    }
  });
  it('lazy shuffle draws every index once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer(), (n, seed) => {
        const s = new LazyShuffle(n, createRng(seed));
        const seen = new Set<number>();
        for (let i = 0; i < n; i++) seen.add(s.next());
        expect(s.next()).toBe(-1);
        expect(seen.size).toBe(n);
        expect([...seen].every((v) => v >= 0 && v < n)).toBe(true);
      }),
    );
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ a: Infinity })).toThrow(RangeError);
  });
});

describe('grid', () => {
  it('index ↔ point round-trips, last parameter fastest', () => {
    const g = new Grid([
      { path: 'a', values: [1, 2] },
      { path: 'b', values: ['x', 'y', 'z'] },
    ]);
    expect(g.size).toBe(6);
    expect(g.pointAt(1)).toEqual([0, 1]);
    expect(g.pointAt(3)).toEqual([1, 0]);
    for (let i = 0; i < 6; i++) expect(g.indexOf(g.pointAt(i))).toBe(i);
    expect(g.valuesAt(5)).toEqual({ a: 2, b: 'z' });
    expect(g.setsAt(5)).toEqual(['a=2', 'b=z']);
  });
});

describe('space files', () => {
  it('expands step and factor ranges', () => {
    expect(expandParameter('x', { from: 8, to: 256, factor: 2 })).toEqual([8, 16, 32, 64, 128, 256]);
    expect(expandParameter('x', { from: 0.1, to: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(expandParameter('x', { from: 64, to: 200, step: 64 })).toEqual([64, 128, 192]);
    expect(() => expandParameter('x', { from: 9, to: 1, step: 1 })).toThrow(/"to"/);
    // Found by `pnpm fuzz plan` (issue 16): a count that overflows to Infinity was printed as "Infinity values".
    expect(() => expandParameter('x', { from: 0, to: 1e308, step: 1e-300 })).toThrow(/^parameters\.x: the range has more values than can be counted \(at most 100000\)$/);
  });
  it('parses a file with workloads, goal and constraints', () => {
    const s = spaceFromFileData(
      {
        template: 'systolic',
        base: 'systolic-32x32',
        parameters: { rows: { from: 8, to: 32, factor: 2 }, sramKB: [64, 128] },
        workloads: [
          { workload: 'resnet50', weight: 0.7 },
          { workload: 'bert-base', weight: 0.3, phase: 'training', batch: 8 },
        ],
        goal: { mix: { latency: 0.5, energy: 0.5 } },
        constraints: { areaMm2: 100 },
      },
      'space.yaml',
      'space',
    );
    expect(s.name).toBe('space');
    expect(s.parameters).toEqual([
      { path: 'rows', values: [8, 16, 32] },
      { path: 'sramKB', values: [64, 128] },
    ]);
    expect(s.workloads?.[1]).toEqual({ workload: 'bert-base', weight: 0.3, phase: 'training', batch: 8 });
  });
  it('names the bad field', () => {
    const bad = () => spaceFromFileData({ template: 'x', base: 'y', parameters: { rows: { from: 1, to: 4, factor: 1 } } }, 's.yaml', 's');
    expect(bad).toThrow(TrimUserError);
    expect(bad).toThrow(/parameters\.rows/);
  });
  it('exports a JSON Schema (docs/design-space.schema.json is up to date)', () => {
    const js = designSpaceJsonSchema() as { type: string; properties: Record<string, unknown> };
    expect(js.type).toBe('object');
    expect(Object.keys(js.properties)).toContain('parameters');
    const docs = new URL('../../../../docs/design-space.schema.json', import.meta.url);
    expect(JSON.parse(readFileSync(docs, 'utf8'))).toEqual(js);
  });
});

describe('goals', () => {
  const v = { seconds: 2, energyPj: 8, edp: 16e-12, areaMm2: 4 };
  it('computes each goal (hand-worked)', () => {
    expect(goalScore('latency', v)).toBe(2);
    expect(goalScore('energy', v)).toBe(8);
    expect(goalScore('throughput-per-watt', v)).toBe(8);
    expect(goalScore('edp', v)).toBe(16e-12);
    expect(goalScore('throughput-per-area', v)).toBe(8);
    // √2 · √8 = 4
    expect(goalScore({ mix: { latency: 0.5, energy: 0.5 } }, v)).toBeCloseTo(4, 12);
  });
});

describe('pareto', () => {
  it('keeps the non-dominated vectors', () => {
    const a = new ParetoArchive<string>();
    a.add([3, 3], 'a');
    a.add([1, 5], 'b');
    a.add([4, 4], 'dominated');
    a.add([2, 2], 'c'); // removes a
    a.add([2, 2], 'dup');
    a.add([Infinity, 0], 'infeasible');
    expect(a.front().map((e) => e.item)).toEqual(['b', 'c']);
    expect(a.best()?.item).toBe('b');
  });
  it('dominance is irreflexive and antisymmetric', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 2, maxLength: 2 }), fc.array(fc.integer(), { minLength: 2, maxLength: 2 }), (x, y) => {
        expect(dominates(x, x)).toBe(false);
        expect(dominates(x, y) && dominates(y, x)).toBe(false);
      }),
    );
  });
});

describe('shards', () => {
  it('parses i/N', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('5/4')).toThrow(TrimUserError);
    expect(() => parseShard('x')).toThrow(/i\/N/);
  });
});

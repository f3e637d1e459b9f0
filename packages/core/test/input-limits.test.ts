import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applySets,
  divisors,
  expandParameter,
  factorCandidates,
  MAX_DIMENSION,
  MAX_YAML_BYTES,
  NetworkBuilder,
  primeFactors,
  readYamlFile,
  smallestDivisorAtLeast,
  spaceFromFileData,
  TrimUserError,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'trim-limits-'));
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrimUserError);
    return (e as Error).message;
  }
  throw new Error('expected a user error');
};

describe('YAML and JSON files: size limits and no prototype keys', () => {
  it('YAML above 4 MiB is refused by its size, before parsing (the parser takes ~250 bytes of heap per byte)', () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, `values:\n${'  - 1\n'.repeat(Math.ceil(MAX_YAML_BYTES / 6) + 1)}`);
    const t0 = performance.now();
    expect(messageOf(() => readYamlFile(f))).toMatch(/big\.yaml: is 4\.0 MB of YAML, above the 4 MB limit$/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('the same data as JSON (which YAML files may be) is read by JSON.parse up to 16 MiB', () => {
    const f = join(dir, 'big.json.yaml');
    const values = Array.from({ length: 1_000_000 }, (_, i) => i % 7);
    writeFileSync(f, JSON.stringify({ values }));
    expect((readYamlFile(f) as { values: number[] }).values).toHaveLength(1_000_000);
    writeFileSync(f, ' '.repeat(16 * 1024 * 1024 + 1));
    expect(messageOf(() => readYamlFile(f))).toMatch(/is 16 MB, above the 16 MB limit for this kind of file$/);
  });

  it('a __proto__ key anywhere, in YAML or JSON, is refused naming where', () => {
    const y = join(dir, 'proto.yaml');
    writeFileSync(y, 'template: generic\nlevels:\n  - name: rf\n    __proto__:\n      areaMm2: 1\n');
    expect(messageOf(() => readYamlFile(y))).toMatch(/proto\.yaml: field levels\.0\.__proto__: "__proto__" is not a field name$/);
    const j = join(dir, 'proto.json');
    writeFileSync(j, '{"__proto__": {"areaMm2": 1}}');
    expect(messageOf(() => readYamlFile(j))).toMatch(/field __proto__/);
    expect(({} as Record<string, unknown>).areaMm2).toBeUndefined();
  });

  it('design-space keys and --set paths that would reach Object.prototype are refused', () => {
    for (const key of ['__proto__.areaMm2', 'constructor.prototype.x', 'rows.__proto__']) {
      expect(messageOf(() => spaceFromFileData({ template: 'generic', base: 'generic-16x16', parameters: { [key]: [1, 2] } }, 'space.yaml', 'x'))).toMatch(/is not a field name$/);
    }
    expect(messageOf(() => applySets({}, ['__proto__.areaMm2=5']))).toBe('--set "__proto__.areaMm2=5": "__proto__" is not a field name');
    expect(messageOf(() => applySets({}, ['x={"__proto__":{"a":1}}']))).toMatch(/"__proto__" is not a field name$/);
    expect(({} as Record<string, unknown>).areaMm2).toBeUndefined();
  });
});

describe('ranges are counted before they are expanded', () => {
  it('a factor of 1.0000001 or a step of 1e-9 is refused by its count, at once', () => {
    const t0 = performance.now();
    expect(messageOf(() => expandParameter('clockMHz', { from: 1, to: 1e6, factor: 1.0000001 }))).toBe('parameters.clockMHz: the range has 138155113 values (at most 100000)');
    expect(messageOf(() => expandParameter('clockMHz', { from: 0, to: 1, step: 1e-9 }))).toMatch(/the range has 1000000001 values \(at most 100000\)$/);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(expandParameter('x', { from: 4, to: 64, factor: 2 })).toEqual([4, 8, 16, 32, 64]);
  });
});

describe('divisors from a prime factorisation', () => {
  it('hand-worked factorisations, including a large prime and 2⁵³ − 1', () => {
    expect([...primeFactors(360)]).toEqual([
      [2, 3],
      [3, 2],
      [5, 1],
    ]);
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
    // 2⁵³ − 1 = 6 361 × 69 431 × 20 394 401: its cofactor above 2³² goes to Pollard's rho.
    expect([...primeFactors(2 ** 53 - 1)]).toEqual([
      [6361, 1],
      [69431, 1],
      [20394401, 1],
    ]);
    // 2⁵³ − 111 is prime (the largest below 2⁵³): 2 divisors, found at once (trial division would take minutes).
    const t0 = performance.now();
    expect(divisors(2 ** 53 - 111)).toEqual([1, 2 ** 53 - 111]);
    expect(smallestDivisorAtLeast(2 ** 53 - 111, 2)).toBe(2 ** 53 - 111);
    expect(factorCandidates(2 ** 53 - 111, 8)).toEqual([1, 2 ** 53 - 111]);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('tensor sizes', () => {
  it(`every dimension is at most 2³¹ − 1 = ${MAX_DIMENSION} (mappings hold 32-bit tile factors), refused naming the layer`, () => {
    const b = new NetworkBuilder('big');
    const x = b.input('x', [1, 3, 8, 8]);
    expect(messageOf(() => b.conv('c', x, { outChannels: 1e12, kernel: 3 }))).toBe(
      'layer c: its channels 1000000000000 is above 2147483647 (2³¹ − 1), the largest loop bound TRIM maps (tile factors are 32-bit)',
    );
    expect(messageOf(() => new NetworkBuilder('g').input('x', [2 ** 32, 1, 1, 1]))).toMatch(/^input "x": its batch 4294967296 is above 2147483647/);
    expect(b.conv('ok', x, { outChannels: MAX_DIMENSION, kernel: 3 })).toBe('ok');
  });
});

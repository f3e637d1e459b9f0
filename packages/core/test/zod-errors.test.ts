import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, parseWith, TrimUserError, unknownKeys } from '../src/index.js';

const spec = z.object({
  clockMHz: z.number(),
  areaMm2: z.number().optional(),
  dram: z.object({ bandwidth: z.union([z.number(), z.literal('unbounded'), z.object({ GBps: z.number() }).strict()]).default('unbounded') }).optional(),
  levels: z.array(z.object({ name: z.string(), readEnergyPj: z.number() })),
  extra: z.record(z.string(), z.unknown()).optional(),
  loose: z.looseObject({ a: z.number().optional() }).optional(),
});

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrimUserError);
    return (e as Error).message;
  }
  throw new Error('expected a user error');
};

describe('closest names ("did you mean")', () => {
  it('accepts a case slip or an edit distance of at most a third of the name, and nothing further', () => {
    expect(closestName('clockMhz', ['clockMHz', 'levels'])).toBe('clockMHz');
    expect(closestName('eyeris', ['eyeriss', 'tpu-v1'])).toBe('eyeriss');
    // "xyz" is 3 edits from "abc": more than a third of 3 characters.
    expect(closestName('xyz', ['abc'])).toBeUndefined();
    expect(didYouMean('wss', ['ws', 'os'])).toBe(' (did you mean "ws"?)');
    expect(didYouMean('zzzzzz', ['ws', 'os'])).toBe('');
  });
});

describe('unknown fields', () => {
  it('are found at every depth, through optional, default, union and array wrappers; records and loose objects take any key', () => {
    const value = { clockMHz: 1, areaMM2: 2, dram: { bandwidth: { GBPS: 3 } }, levels: [{ name: 'a', readEnergyPj: 1, bandwith: 4 }], extra: { any: 1 }, loose: { b: 2 } };
    expect(unknownKeys(spec, value).map((u) => [...u.path, u.key].join('.'))).toEqual(['areaMM2', 'dram.bandwidth.GBPS', 'levels.0.bandwith']);
  });

  it('a misspelt required field is reported as unknown, with the name meant, not as a missing field', () => {
    const m = message(() => parseWith(spec, { clockMhz: 1, levels: [] }, 'a.yaml'));
    expect(m).toBe('a.yaml: field clockMhz: unknown field (did you mean "clockMHz"?)');
  });

  it('with unknownKeys: error, a misspelt optional field stops a parse that would otherwise succeed', () => {
    expect(parseWith(spec, { clockMHz: 1, levels: [], areaMM2: 2 }, 'a.yaml')).toEqual({ clockMHz: 1, levels: [] });
    expect(message(() => parseWith(spec, { clockMHz: 1, levels: [], areaMM2: 2 }, 'a.yaml', { unknownKeys: 'error' }))).toBe(
      'a.yaml: field areaMM2: unknown field (did you mean "areaMm2"?)',
    );
  });

  it('a strict object names the unknown key and, without a close one, the fields it has', () => {
    const m = message(() => parseWith(spec, { clockMHz: 1, levels: [], dram: { bandwidth: { speed: 3 } } }, 's.yaml'));
    expect(m).toMatch(/^s\.yaml: field dram\.bandwidth\.speed: unknown field \(fields here: GBps\)/);
  });

  it('a missing enum value says missing', () => {
    const m = message(() => parseWith(z.object({ precision: z.enum(['fp32', 'int8']) }), {}, 'f.yaml'));
    expect(m).toBe('f.yaml: field precision: missing (expected one of "fp32"|"int8")');
  });
});

import { capabilities, capabilityOf, provide } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { engineFor, fpgaEngineCapability, type FpgaEngine, type FpgaEngineFacts } from '../src/index.js';

const e64x7: FpgaEngine = { Tm: 64, Tn: 7, Tp: 1, Tk: 1, weightBankDepth: 242, inputBankWords: 4096, outputBankWords: 4096 };
const single: FpgaEngineFacts = { organisation: 'single-engine', wordBytes: 4, engine: e64x7, stages: {} };

describe('fpga-engine capability', () => {
  it('a template provides it and a dataflow reads it back, typed', () => {
    const hw = { name: 'z', capabilities: capabilities(provide(fpgaEngineCapability, single)) };
    const facts = capabilityOf(hw, fpgaEngineCapability);
    expect(facts?.engine.Tm).toBe(64);
    expect(facts?.wordBytes).toBe(4);
  });
  it('hardware without it reads undefined', () => {
    expect(capabilityOf({ name: 'x', capabilities: capabilities() }, fpgaEngineCapability)).toBeUndefined();
  });
  it('a malformed value fails where it is provided, naming the field', () => {
    const bad = { ...single, engine: { ...e64x7, Tn: 0 } };
    expect(() => provide(fpgaEngineCapability, bad)).toThrow(/fpga-engine: field engine\.Tn/);
    expect(() => provide(fpgaEngineCapability, { ...single, engine: { ...e64x7, extra: 1 } } as unknown as FpgaEngineFacts)).toThrow(/fpga-engine/);
  });
});

describe('engine families in the capability', () => {
  it('a Winograd engine publishes its family and F(m×m, r×r); an unknown family fails naming the field', () => {
    const wino: FpgaEngineFacts = { ...single, engine: { ...e64x7, Tp: 4, Tk: 3, Ty: 4, Tr: 3, family: 'winograd', winograd: { m: 4, r: 3 } } };
    const facts = capabilityOf({ name: 'w', capabilities: capabilities(provide(fpgaEngineCapability, wino)) }, fpgaEngineCapability);
    expect(facts?.engine.winograd).toEqual({ m: 4, r: 3 });
    expect(facts?.engine.family).toBe('winograd');
    const bad = { ...single, engine: { ...e64x7, family: 'systolic' } } as unknown as FpgaEngineFacts;
    expect(() => provide(fpgaEngineCapability, bad)).toThrow(/fpga-engine: field engine\.family/);
  });
});

describe('engineFor', () => {
  const stage = { ...e64x7, Tm: 16, Tn: 3 };
  const piped: FpgaEngineFacts = { organisation: 'layer-pipelined', wordBytes: 4, engine: e64x7, stages: { conv1: stage } };
  it('a single engine runs every layer', () => {
    expect(engineFor(single, 'anything')).toBe(e64x7);
  });
  it('a layer pipeline runs each layer on its own stage, and has none for other layers', () => {
    expect(engineFor(piped, 'conv1')).toBe(stage);
    expect(engineFor(piped, 'conv2')).toBeUndefined();
    expect(engineFor(piped, 'toString')).toBeUndefined();
  });
});

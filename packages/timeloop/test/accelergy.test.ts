import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionEnergyPj, lastSegment, readAreaTable, readEnergyTable } from '../src/index.js';
import { RUNS, tempFile } from './helpers.js';

describe('Accelergy ERT as Timeloop v3 reads it', () => {
  const ert = readEnergyTable(join(RUNS, '04-model-conv1d+oc-3levelspatial/run_cp/ERT.yaml'));

  it('keys components by their own name (ranges removed before splitting the hierarchy)', () => {
    expect(lastSegment('System.Chip.PE.RegisterFile[0..15]')).toBe('RegisterFile');
    expect([...ert.keys()].sort()).toEqual(['GlobalBuffer', 'MACC', 'MainMemory', 'RegisterFile']);
  });

  it('an action costs its most expensive argument combination (address_delta 1, data_delta 1)', () => {
    const glb = ert.get('GlobalBuffer')!;
    // read: 0.02771, 72.01381, 30.8789, 102.865 → 102.865 pJ per 32-word vector; write: 96.3011.
    expect(actionEnergyPj(glb, 'read')).toBe(102.865);
    expect(actionEnergyPj(glb, 'fill')).toBe(96.3011);
    expect(actionEnergyPj(glb, 'update')).toBe(96.3011);
  });

  it('one MAC is mac_random (0.5608 pJ), not mac_reused or mac_gated', () => {
    expect(actionEnergyPj(ert.get('MACC')!, 'compute')).toBe(0.5608);
  });

  it('an action the table lacks falls back to the component\'s most expensive action', () => {
    expect(actionEnergyPj(new Map([['read', 3], ['idle', 0.1]]), 'fill')).toBe(3);
    expect(actionEnergyPj(new Map([['random_update', 2], ['write', 5]]), 'update')).toBe(2);
  });

  it('reads the v0.2 layout (tables keyed by component) and an ART', () => {
    const f = tempFile('ert.yaml', 'ERT:\n  version: 0.2\n  tables:\n    sys.PE[0..3].RF:\n      read:\n        - { arguments: { a: 0 }, energy: 1 }\n        - { arguments: { a: 1 }, energy: 2 }\n      write: { energy: 4 }\n');
    const t = readEnergyTable(f);
    expect(actionEnergyPj(t.get('RF')!, 'read')).toBe(2);
    expect(actionEnergyPj(t.get('RF')!, 'fill')).toBe(4);
    const art = tempFile('art.yaml', 'ART:\n  version: 0.3\n  tables:\n    - name: sys.PE[0..3].RF\n      area: 120.5\n');
    expect(readAreaTable(art).get('RF')).toBe(120.5);
  });

  it('a file that is not an ERT is a user error naming the field', () => {
    expect(() => readEnergyTable(tempFile('x.yaml', 'problem: {}\n'))).toThrow(/not an Accelergy ERT/);
  });
});

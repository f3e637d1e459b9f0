import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrimUserError } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { addHoverTitles, evalRows, exploreRows, readReportInput } from '../src/index.js';
import { evalDoc, header, records, tmp, writeEval, writeResults } from './fixtures.js';

describe('report data', () => {
  it('marks the Pareto front and keeps each point configuration (hand case)', () => {
    const r = exploreRows(header, records);
    expect(r.points.map((p) => [p.point, p.status])).toEqual([
      [0, 'Pareto front'],
      [1, 'dominated'],
      [2, 'Pareto front'],
    ]);
    expect(r.points[2].config).toBe('levels.glb.fanout.x=16 levels.glb.capacityWords=65536');
    expect(r.points[2].p0).toBe(16);
    expect(r.points[0].energyUj).toBe(1);
    expect(r.best?.index).toBe(2);
  });

  it('orders energy components mac, alu, memory levels innermost first; groups training ops by layer', () => {
    const r = evalRows(evalDoc);
    expect(r.components).toEqual(['mac', 'alu', 'rf', 'glb', 'dram']);
    expect(r.layers).toEqual(['conv1', 'pool1']);
    expect(r.phases).toEqual(['forward', 'backward-data', 'backward-weight']);
    expect(r.kinds).toEqual(['conv2d', 'pool']);
    expect(r.dataflows).toEqual(['ws', 'vector']);
    expect(r.ops.map((o) => [o.op, o.layer, o.kind])).toEqual([
      ['conv1', 'conv1', 'conv2d'],
      ['pool1', 'pool1', 'pool'],
      ['conv1:bwd-data', 'conv1', 'conv2d'],
      ['conv1:bwd-weight', 'conv1', 'conv2d'],
    ]);
    expect(r.energy.find((e) => e.op === 'pool1' && e.component === 'alu')).toEqual({ op: 'pool1', layer: 'pool1', kind: 'pool', phase: 'forward', dataflow: 'vector', component: 'alu', energyUj: 0.01 });
    const dram = r.energy.filter((e) => e.component === 'dram').reduce((a, e) => a + e.energyUj, 0);
    expect(dram).toBeCloseTo(3.9, 12);
  });

  it('adds hover titles to labelled marks only', () => {
    const svg = '<g aria-label="axis"><path aria-label="a: 1" d="M0"></path><rect aria-label="b &amp; c" width="2"/><path d="M1"/></g>';
    expect(addHoverTitles(svg)).toBe('<g aria-label="axis"><path aria-label="a: 1" d="M0"><title>a: 1</title></path><rect aria-label="b &amp; c" width="2"><title>b &amp; c</title></rect><path d="M1"/></g>');
  });

  it('reads results files and eval JSON, and names what is wrong with anything else', () => {
    const dir = tmp();
    expect(readReportInput(writeResults(dir)).kind).toBe('explore');
    expect(readReportInput(writeEval(dir)).kind).toBe('eval');
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"schema":"trim.explore/v1"}');
    expect(() => readReportInput(other)).toThrow(/schema trim.explore\/v1\) is neither/);
    writeFileSync(other, JSON.stringify({ ...evalDoc, layers: [{ name: 'x' }] }));
    expect(() => readReportInput(other)).toThrow(/field "layers\[0\]\.phase"/);
    expect(() => readReportInput(join(dir, 'missing.jsonl'))).toThrow(TrimUserError);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corePlugin, defineDataflow, definePlugin, defineWorkloadSource, evaluateRequest, NetworkBuilder, Registry, tiledMapspace } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { evalCsv, evalJson, evalTables, evalTitle, readReportInput, type EvalReport } from '../src/index.js';
import { evalDoc, tmp } from './fixtures.js';

const { schema: _schema, ...report } = evalDoc;
const { template: _t, clockMHz: _c, precision: _p, goal: _g, ...older } = evalDoc;

describe('trim.eval/v1 output', () => {
  it('JSON: the assumptions (template, clock, precision, goal) next to the names, keys in a fixed order', () => {
    const doc = JSON.parse(evalJson(report)) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['schema', 'workload', 'arch', 'template', 'clockMHz', 'phase', 'batch', 'precision', 'goal', 'totals', 'layers']);
    expect([doc.schema, doc.template, doc.clockMHz, doc.precision, doc.goal]).toEqual(['trim.eval/v1', 'generic', 500, 'int16', 'latency']);
  });

  it('JSON: exact counts beyond 2⁵³ are written with every digit', () => {
    const big: EvalReport = { ...report, totals: { ...report.totals, exact: { macs: '18446744073709551616', dramBytes: '9007199254740993' } } };
    const text = evalJson(big);
    expect(text).toContain('"macs": 18446744073709551616');
    expect(text).toContain('"dramBytes": 9007199254740993');
  });

  it('table and title: the assumptions in the first line; a document without them (written before) still prints', () => {
    expect(evalTitle(report)).toBe('toy on generic-16x16 (generic, 500 MHz) — training, batch 2, int16, goal latency');
    expect(evalTables(report, false).split('\n')[0]).toBe('toy on generic-16x16 (generic, 500 MHz) — training, batch 2, int16, goal latency');
    expect(evalTitle(older)).toBe('toy on generic-16x16 — training, batch 2');
    expect(evalTables(older, false)).toContain('conv1:bwd-weight');
  });

  it('CSV: one row per op', () => {
    const lines = evalCsv(report).trim().split('\r\n');
    expect(lines[0]).toBe('layer,kind,phase,dataflow,macs,cycles,computeCycles,stallCycles,utilization,energyPj,dramBytes');
    expect(lines).toHaveLength(1 + report.layers.length);
  });

  it('reads back older documents without the assumptions, and names a malformed one', () => {
    const dir = tmp();
    const file = join(dir, 'old.json');
    writeFileSync(file, JSON.stringify(older));
    const input = readReportInput(file);
    expect(input.kind === 'eval' && input.result.precision).toBe(undefined);
    writeFileSync(file, JSON.stringify({ ...evalDoc, precision: 16 }));
    expect(() => readReportInput(file)).toThrow(/field "precision"/);
  });

  it("prints core's EvalResult as is: what evaluateRequest returns round-trips through the JSON", async () => {
    const ws = defineDataflow({
      name: 'ws',
      description: 'test stand-in',
      templates: ['generic'],
      mapspace: (op, hw, emit) => tiledMapspace(op, hw, { spatialX: ['K'], spatialY: ['C'], peOrder: ['N', 'P', 'Q'], outerOrders: [['K', 'C', 'R', 'S', 'N', 'P', 'Q']] }, emit),
    });
    const tiny = defineWorkloadSource({
      name: 'tiny',
      description: 'one conv',
      builtins: ['tiny'],
      load: (_ref, { batch, precision }) => {
        const b = new NetworkBuilder('tiny', precision);
        b.relu('relu', b.conv('conv', b.input('x', [batch, 16, 10, 10]), { outChannels: 16, kernel: 3 }));
        return b.build();
      },
    });
    const registry = new Registry().use(corePlugin).use(definePlugin({ name: 'test', dataflows: [ws], workloadSources: [tiny] }));
    const r = await evaluateRequest(registry, { arch: 'generic-16x16', workload: 'tiny', batch: 2, precision: 'int8', goal: 'energy' });
    const dir = tmp();
    const file = join(dir, 'eval.json');
    writeFileSync(file, evalJson(r));
    const input = readReportInput(file);
    if (input.kind !== 'eval') throw new Error('expected an eval document');
    const back = input.result;
    expect([back.template, back.clockMHz, back.precision, back.goal]).toEqual(['generic', 500, 'int8', 'energy']);
    expect(back.totals).toEqual(r.totals);
    expect(back.layers.map((l) => l.name)).toEqual(['conv', 'relu']);
    expect(back.interlayer?.dramBytes).toBe(r.interlayer.dramBytes);
  });
});

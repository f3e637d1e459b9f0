import { genericHardware, jsonSchemaOf, Port, type OpResult } from '@trim-dse/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  accessTable,
  architectureYaml,
  assumptionLines,
  bytesText,
  dramLink,
  energyComponents,
  evalCsv,
  evalJson,
  evalTables,
  footprintText,
  runSummary,
  scaleSimReports,
  summaryCsv,
  type EvalReport,
  type JsonSchemaNode,
} from '../src/index.js';
import { evalDoc } from './fixtures.js';

const { schema: _schema, ...report } = evalDoc;

/** A DRAM level: 51.2 bytes per cycle (25.6 two-byte words), one port, overlapping compute. */
const dram = { readBytesPerCycle: 51.2, writeBytesPerCycle: 51.2, port: Port.Shared, doubleBuffered: true };
const hardware = { clockMHz: 500, levels: [{ readBytesPerCycle: Infinity, writeBytesPerCycle: Infinity, port: Port.Split, doubleBuffered: false }, dram] };

describe('the assumptions a result states', () => {
  it('DRAM in GB/s, hand-worked: 51.2 bytes per cycle × 500 MHz = 25.6 GB/s; an infinite port is unbounded', () => {
    expect(dramLink(hardware)).toEqual({ readGBps: 25.6, writeGBps: 25.6, port: 'shared', overlapsCompute: true });
    expect(dramLink({ clockMHz: 100, levels: [{ readBytesPerCycle: Infinity, writeBytesPerCycle: Infinity, port: Port.PerOperand, doubleBuffered: false }] })).toEqual({
      readGBps: 'unbounded',
      writeGBps: 'unbounded',
      port: 'per-operand',
      overlapsCompute: false,
    });
  });

  it('the table names the architecture, clock, precision, DRAM and how each dataflow was chosen', () => {
    const r: EvalReport = { ...report, hardware, dataflows: ['ws', 'os'], dataflowRequest: 'auto', precisionGiven: false };
    expect(assumptionLines(r)).toEqual([
      '  architecture  generic-16x16 (template generic, clock 500 MHz)',
      "  precision     int16 tensors (the architecture's native word; --precision changes it)",
      '  DRAM          25.6 GB/s shared by reads and writes, overlapping compute',
      '  dataflow      auto: per op the best dataflow of ws, os and mapping by latency (fewest cycles, then least energy); chosen: ws 3',
    ]);
    const unbounded: EvalReport = { ...r, hardware: { clockMHz: 500, levels: [{ ...dram, readBytesPerCycle: Infinity, writeBytesPerCycle: Infinity }] }, dataflowRequest: 'rs', precisionGiven: true };
    expect(assumptionLines(unbounded).join('\n')).toMatch(/DRAM {10}unbounded \(no DRAM stalls[^\n]*\n {2}dataflow {6}rs \(--dataflow\)/);
    expect(evalTables(r, false).split('\n').slice(0, 5)).toEqual([
      'toy on generic-16x16 (generic, 500 MHz) — training, batch 2, int16, goal latency',
      ...assumptionLines(r),
    ]);
  });

  it('JSON carries the DRAM link and the dataflow choice beside the other assumptions', () => {
    const doc = JSON.parse(evalJson({ ...report, hardware, dataflows: ['ws', 'os'], dataflowRequest: 'auto' })) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 12)).toEqual(['schema', 'workload', 'arch', 'template', 'clockMHz', 'phase', 'batch', 'precision', 'goal', 'dram', 'dataflowChoice', 'totals']);
    expect(doc.dram).toEqual({ readGBps: 25.6, writeGBps: 25.6, port: 'shared', overlapsCompute: true });
    expect(doc.dataflowChoice).toEqual({ requested: 'auto', candidates: ['ws', 'os'] });
  });
});

describe('--summary', () => {
  it('per phase and per layer kind, with each share of the time and energy', () => {
    const s = runSummary(report.layers);
    expect(s.phases.map((g) => [g.group, g.ops, g.cycles])).toEqual([
      ['forward', 2, 1500],
      ['backward-data', 1, 1500],
      ['backward-weight', 1, 2000],
    ]);
    expect(s.kinds.map((g) => [g.group, g.ops, g.macs])).toEqual([
      ['conv2d', 3, 600000],
      ['pool', 1, 0],
    ]);
    const text = evalTables(report, false, { summary: true });
    expect(text).not.toContain('conv1:bwd-weight');
    // forward: 1,500 of 5,000 cycles.
    expect(text).toMatch(/forward\s+2\s+200,000\s+1,500\s+30\.0%/);
    expect(text).toMatch(/per layer kind:\n\nkind/);
    expect(summaryCsv(s).split('\r\n').slice(0, 2)).toEqual(['by,group,ops,macs,cycles,energyPj,dramBytes', 'phase,forward,2,200000,1500,2910000,200']);
  });
});

describe('--breakdown', () => {
  it('energy per component (datapath first, then the levels) and accesses per level and operand', () => {
    expect(energyComponents(report.layers)).toEqual(['mac', 'alu', 'rf', 'glb', 'dram', 'total']);
    const layers: OpResult[] = [
      { ...report.layers[0], accesses: { rf: { weights: { reads: 10, writes: 2 } }, dram: { weights: { reads: 1, writes: 0 }, inputs: { reads: 5, writes: 0 } } } },
      { ...report.layers[2], accesses: { rf: { weights: { reads: 30, writes: 4 } } } },
    ];
    expect(accessTable(layers).split('\n').slice(2)).toEqual(['rf     weights     40       6', 'dram   weights      1       0', 'dram   inputs       5       0']);
    const text = evalTables(report, false, { breakdown: true });
    expect(text).toMatch(/energy by component \(µJ\):\n\nenergy µJ\s+mac\s+alu\s+rf\s+glb\s+dram\s+total/);
    // conv1: 1 + 0.5 + 0.2 + 1 = 2.7 µJ.
    expect(text).toMatch(/conv1\s+1\s+0\s+0\.5000\s+0\.2000\s+1\s+2\.700/);
    const csv = evalCsv(report, { breakdown: true }).split('\r\n');
    expect(csv[0]).toBe('layer,kind,phase,dataflow,macs,cycles,computeCycles,stallCycles,utilization,energyPj,dramBytes,energyPj.mac,energyPj.alu,energyPj.rf,energyPj.glb,energyPj.dram');
  });
});

describe('training footprint', () => {
  it('prints every part and the peak with the op it happens at', () => {
    expect(bytesText(1536)).toBe('1.500 KiB');
    expect(bytesText(512)).toBe('512 B');
    const text = footprintText({ weightsBytes: 1024, masterWeightsBytes: 0, weightGradientBytes: 1024, optimizerStateBytes: 2048, stashBytes: 4096, peakLiveBytes: 8192, peakAt: 'b:bwd-weight', peakBytes: 11264 });
    expect(text).toBe(
      'memory of one step: weights 1.000 KiB, weight gradients 1.000 KiB, optimizer state 2.000 KiB, activation stash 4.000 KiB\n' +
        'peak footprint 11.00 KiB at b:bwd-weight: the weights and optimizer state (resident all step) + 8.000 KiB of activations and gradients alive at once',
    );
  });
});

describe('SCALE-Sim-style reports', () => {
  it('one row per MAC op in SCALE-Sim’s columns, hand-worked', () => {
    const conv = {
      ...report.layers[0],
      macs: 1000,
      cycles: 100,
      computeCycles: 80,
      stallCycles: 20,
      utilization: 0.625,
      accesses: { sram: { inputs: { reads: 300, writes: 0 }, weights: { reads: 200, writes: 0 }, outputs: { reads: 0, writes: 50 } }, dram: { inputs: { reads: 30, writes: 0 } } },
    };
    // 16 PEs: overall util 1000 / (100 × 16) = 62.5 %; compute util 1000 / (80 × 16) = 78.125 %; mapping efficiency 1000 / (1000 + 250) = 80 %.
    const r = scaleSimReports([{ layer: conv, paddedMacs: 250 }, { layer: report.layers[1], paddedMacs: 0 }], 16);
    expect(r['COMPUTE_REPORT.csv']).toBe('LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n0, 100, 20, 62.5, 80, 78.125,\n');
    expect(r['DETAILED_ACCESS_REPORT.csv'].split('\n')[1]).toBe('0, 0, 100, 300, 0, 100, 200, 0, 100, 50, 0, 100, 30, 0, 100, 0, 0, 100, 0,');
    expect(r['BANDWIDTH_REPORT.csv'].split('\n')[1]).toBe('0, 3, 2, 0.5, 0.3, 0, 0,');
  });
});

describe('an architecture as commented YAML', () => {
  it('reads back to the spec, with `template` and `name` first, descriptions as comments and the schema modeline', () => {
    const spec = genericHardware.builtins['generic-16x16'] as Record<string, unknown>;
    const text = architectureYaml({
      name: 'generic-16x16',
      template: 'generic',
      spec,
      schema: jsonSchemaOf(genericHardware.configSchema) as JsonSchemaNode,
      schemaRef: 'generic.schema.json',
      header: ['made by a test'],
    });
    expect(text.split('\n').slice(0, 2)).toEqual(['# yaml-language-server: $schema=generic.schema.json', '# made by a test']);
    expect(parse(text)).toEqual({ template: 'generic', ...spec, name: 'generic-16x16' });
    expect(Object.keys(parse(text) as object).slice(0, 2)).toEqual(['template', 'name']);
    expect(text).toContain('# Clock frequency, MHz: cycles become seconds at this rate.\nclockMHz: 500');
    // A field left out is listed with its default, as a comment.
    expect(text).toMatch(/# vectorOpsPerCycle: \(optional\) {2}# Non-MAC operations per cycle/);
  });
});

import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTrimUserError, type Network } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alexnet, bertBase, importScaleSimCsv, mobilenetv2, parseScaleSimTopology, resnet18, scaleSimNetwork, toScaleSimCsv } from '../src/index.js';
import { macOps, macsByLayer, totalMacs } from './helpers.js';

// The reference data lives in the repository (validation/, with its provenance).
const VALIDATION = fileURLToPath(new URL('../../../validation', import.meta.url));

const CASES = join(VALIDATION, 'scalesim');
const TOPOLOGIES = join(VALIDATION, 'scalesim-topologies');

function csvFiles(): string[] {
  const cases = readdirSync(CASES).map((d) => join(CASES, d, 'topology.csv'));
  const shipped = ['conv_nets', 'GEMM_mnk'].flatMap((d) => readdirSync(join(TOPOLOGIES, d)).map((f) => join(TOPOLOGIES, d, f)));
  return [...cases, ...shipped];
}

function tmpFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trim-workloads-')), name);
  writeFileSync(path, text);
  return path;
}

function userError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTrimUserError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a TrimUserError');
}

/** MACs per row, by SCALE-Sim's own arithmetic: ofmap pixels (rounded up) × filter size × channels × filters. */
function scaleSimRowMacs(fields: number[], form: 'conv' | 'gemm'): number {
  if (form === 'gemm') return fields[0] * fields[1] * fields[2];
  const [h, w, r, s, c, k, sh, sw = sh] = fields;
  return Math.ceil((h - r) / sh + 1) * Math.ceil((w - s) / sw + 1) * r * s * c * k;
}

describe('SCALE-Sim topology import', () => {
  it('reads every real topology file, one independent layer and input per row, with SCALE-Sim\'s MAC count', () => {
    const files = csvFiles();
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const file of files) {
      const net = importScaleSimCsv(file, { batch: 1, precision: 'int8' });
      const text = readFileSync(file, 'utf8');
      const { form, rows } = parseScaleSimTopology(text, file);
      expect(net.layers).toHaveLength(rows.length);
      expect(net.inputs).toHaveLength(rows.length);
      const dataRows = text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
      const expected = dataRows.map((l) => scaleSimRowMacs(l.split(',').slice(1).map((x) => x.trim()).filter((x) => x !== '').map(Number), form));
      expect(macOps(net).map((op) => op.macs)).toEqual(expected);
    }
  });

  it('takes the form from the header, or from the input-type file beside it', () => {
    for (const d of readdirSync(CASES)) {
      const form = readFileSync(join(CASES, d, 'input-type'), 'utf8').trim();
      const net = importScaleSimCsv(join(CASES, d, 'topology.csv'), { batch: 1, precision: 'int8' });
      expect(net.name).toBe(d);
      expect(net.layers.every((l) => l.kind === (form === 'gemm' ? 'linear' : 'conv2d'))).toBe(true);
    }
    const headless = tmpFile('topology.csv', 'name,a,b,c,\nG1,8,4,2,\n');
    writeFileSync(join(headless, '..', 'input-type'), 'gemm\n');
    expect(macOps(importScaleSimCsv(headless, { batch: 1, precision: 'int8' }))[0].macs).toBe(64);
  });

  it('keeps the IFMAP size as given (padding included) and rounds the output up like SCALE-Sim', () => {
    const net = importScaleSimCsv(join(TOPOLOGIES, 'conv_nets', 'alexnet.csv'), { batch: 2, precision: 'int8' });
    expect(net.tensors.get('Conv1.ifmap')!.shape).toEqual([2, 3, 224, 224]);
    // ⌈(224 − 11) / 4⌉ + 1 = 55 (SCALE-Sim's 32×32 OS run needs 95 × 3 folds, i.e. 55 × 55 pixels).
    expect(net.tensors.get('Conv1')!.shape).toEqual([2, 96, 55, 55]);
    const c1 = net.layers[0];
    expect(c1.kind === 'conv2d' && c1.params.padding).toEqual([0, 0, 3, 3]);
    expect(net.tensors.get('Conv2')!.shape).toEqual([2, 256, 23, 23]);
    const c2 = net.layers[1];
    expect(c2.kind === 'conv2d' && c2.params.padding).toEqual([0, 0, 0, 0]);
  });

  it('clips the overhang as SCALE-Sim does: the rounded-up last window reads nothing past the 224×224 input', () => {
    const net = importScaleSimCsv(join(TOPOLOGIES, 'conv_nets', 'alexnet.csv'), { batch: 1, precision: 'int8' });
    const c1 = net.layers[0];
    expect(c1.kind === 'conv2d' && c1.params.clipPadding).toBe(true);
    const [conv1, conv2] = macOps(net);
    // (55 − 1)·4 + 11 = 227 rows are addressed; only the 224 of the input are in memory (and fetched).
    expect([conv1.inputRows, conv1.inputCols]).toEqual([224, 224]);
    // Conv2's windows end exactly at the edge: nothing to clip.
    expect([conv2.inputRows, conv2.inputCols]).toEqual([0, 0]);
  });

  it('builds every tensor at the precision it is given (the pipeline passes the architecture’s: int8 for a SCALE-Sim cfg)', () => {
    const file = join(CASES, 'a_32x32_os_alexnet', 'topology.csv');
    expect(macOps(importScaleSimCsv(file, { batch: 1, precision: 'int8' }))[0].operands.map((o) => o.bytes)).toEqual([1, 1, 1]);
    expect(macOps(importScaleSimCsv(file, { batch: 1, precision: 'fp32' }))[0].operands.map((o) => o.bytes)).toEqual([4, 4, 4]);
  });

  it('runs a layer whose name contains "DP" as C single-channel layers <name>Channel_<c> (SCALE-Sim’s depthwise)', () => {
    const file = tmpFile('dw.csv', 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv2DP, 10, 10, 3, 3, 4, 1, 1,\nConv3, 8, 8, 1, 1, 4, 6, 1,\n');
    const net = importScaleSimCsv(file, { batch: 1, precision: 'int8' });
    expect(net.layers.map((l) => l.name)).toEqual(['Conv2DPChannel_0', 'Conv2DPChannel_1', 'Conv2DPChannel_2', 'Conv2DPChannel_3', 'Conv3']);
    const ops = macOps(net);
    // Each channel: 8·8 outputs × 3·3 taps × 1 channel × 1 filter.
    expect(ops.slice(0, 4).map((op) => [op.bounds[3], op.bounds[2], op.macs])).toEqual(Array(4).fill([1, 1, 576]));
    expect(net.tensors.get('Conv2DPChannel_3.ifmap')!.shape).toEqual([1, 1, 10, 10]);
  });

  it('lowers a GEMM row C = A(M×K)·B(K×N) to P = M, C = K (reduction), K = N', () => {
    const net = importScaleSimCsv(join(TOPOLOGIES, 'GEMM_mnk', 'test_mnk_input.csv'), { batch: 1, precision: 'int8' });
    const [op] = macOps(net);
    // bounds order N, G, K, C, P, Q, R, S
    expect(op.bounds).toEqual([1, 1, 64, 256, 128, 1, 1, 1]);
    expect(op.layer).toBe('Test 1');
  });

  it('agrees with SCALE-Sim\'s compulsory traffic on a GEMM: DRAM ifmap reads = M·K when A fits', () => {
    // a_32x32_ws_gemm_transformer_partial, LayerID 1 (SD_MatMul_QK_00, M = 128, N = 64, K = 128): 16,384 ifmap reads.
    const net = importScaleSimCsv(join(CASES, 'a_32x32_ws_gemm_transformer_partial', 'topology.csv'), { batch: 1, precision: 'int8' });
    const a = net.tensors.get('SD_MatMul_QK_00.ifmap')!.shape;
    expect(a[1] * a[2]).toBe(16_384);
  });

  it('reads a second stride column as the width stride and makes duplicate names unique', () => {
    const file = tmpFile('t.csv', 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\r\nA,9,9,3,3,4,8,2,1,\r\n\r\nA,5,5,1,1,2,2,1,\r\n');
    const net = importScaleSimCsv(file, { batch: 1, precision: 'int8' });
    expect(net.layers.map((l) => l.name)).toEqual(['A', 'A@row4']);
    expect(net.tensors.get('A')!.shape).toEqual([1, 8, 4, 7]);
  });

  it('rejects bad rows naming the file, the row and the column', () => {
    const header = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n';
    const bad = (body: string) => userError(() => importScaleSimCsv(tmpFile('bad.csv', header + body), { batch: 1, precision: 'int8' }));
    expect(bad('C1,8,8,3,3,4,\n')).toMatch(/bad\.csv, row 2, column "Num Filter": missing value/);
    expect(bad('C1,8,8,3,3,4,8,1,\nC2,8,x8,3,3,4,8,1,\n')).toMatch(/bad\.csv, row 3, column "IFMAP Width": "x8" is not a positive integer/);
    expect(bad('C1,8,8,3,3,0,8,1,\n')).toMatch(/row 2, column "Channels": "0" is not a positive integer/);
    expect(bad('C1,8,8,3,3,2.5,8,1,\n')).toMatch(/column "Channels": "2.5"/);
    expect(bad('C1,2,8,3,3,4,8,1,\n')).toMatch(/row 2, column "Filter Height": 3 exceeds the IFMAP height 2/);
    expect(bad('')).toMatch(/no layer rows/);
    expect(userError(() => importScaleSimCsv(tmpFile('g.csv', 'Layer, M, N, K,\nG,4,,2,\n'), { batch: 1, precision: 'int8' }))).toMatch(/g\.csv, row 2, column "N": missing value/);
    // The header is described, not quoted: the file may be whatever a symlink points at (its content stays private).
    const headerError = userError(() => importScaleSimCsv(tmpFile('h.csv', 'secret,b\n1,2\n'), { batch: 1, precision: 'int8' }));
    expect(headerError).toMatch(/h\.csv, row 1: the header \(2 fields\) is neither the conv form/);
    expect(headerError).not.toContain('secret');
    expect(userError(() => importScaleSimCsv('/nonexistent/x.csv', { batch: 1, precision: 'int8' }))).toMatch(/cannot read/);
  });
});

describe('SCALE-Sim topology export', () => {
  const reimport = (net: Network) => scaleSimNetwork(parseScaleSimTopology(toScaleSimCsv(net), 'export.csv').rows, 'again', { batch: 1, precision: 'int8' });

  it('writes the conv form with padding folded into the IFMAP size', () => {
    const lines = toScaleSimCsv(alexnet(1, { precision: 'int16' })).trim().split('\n');
    expect(lines[0]).toBe('Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,');
    expect(lines[1]).toBe('CONV1, 227, 227, 11, 11, 3, 96, 4,');
    expect(lines[2]).toBe('CONV2, 31, 31, 5, 5, 48, 256, 1,'); // 27 + 2·2 padding; 96 / 2 groups
    expect(lines[6]).toBe('FC6, 1, 1, 1, 1, 9216, 4096, 1,');
    expect(lines).toHaveLength(9);
  });

  it('round-trips every MAC layer of the zoo with its MACs and output size', () => {
    for (const net of [alexnet(1, { precision: 'int16' }), resnet18(1, { precision: 'int16' }), mobilenetv2(1, { precision: 'int16' })]) {
      const again = reimport(net);
      expect(macsByLayer(again)).toEqual(macsByLayer(net));
      for (const l of again.layers) {
        const [, k, p, q] = net.tensors.get(l.name)!.shape;
        expect(again.tensors.get(l.name)!.shape).toEqual([1, k, p, q]);
      }
    }
  });

  it('splits multi-head matmuls into one row per head with the same total MACs', () => {
    const net = bertBase(1, { precision: 'int16', seqLen: 32 });
    const again = reimport(net);
    expect(again.layers.filter((l) => l.name.startsWith('attention.scores.head'))).toHaveLength(12);
    expect(totalMacs(again)).toBe(totalMacs(net));
  });

  it('round-trips real files: import → export → import gives the same layers, the same clipped edges and IFMAP sizes', () => {
    for (const file of csvFiles()) {
      const net = importScaleSimCsv(file, { batch: 1, precision: 'int8' });
      const again = reimport(net);
      expect(macOps(again).map((op) => [op.layer, op.bounds, op.strideH, op.strideW, op.inputRows, op.inputCols])).toEqual(
        macOps(net).map((op) => [op.layer, op.bounds, op.strideH, op.strideW, op.inputRows, op.inputCols]),
      );
    }
    expect(toScaleSimCsv(importScaleSimCsv(join(TOPOLOGIES, 'conv_nets', 'alexnet.csv'), { batch: 1, precision: 'int8' })).split('\n')[1]).toBe('Conv1, 224, 224, 11, 11, 3, 96, 4,');
  });

  it('round-trips random conv rows (property)', () => {
    const row = fc.record({
      h: fc.integer({ min: 1, max: 40 }),
      w: fc.integer({ min: 1, max: 40 }),
      r: fc.integer({ min: 1, max: 7 }),
      s: fc.integer({ min: 1, max: 7 }),
      c: fc.integer({ min: 1, max: 64 }),
      k: fc.integer({ min: 1, max: 64 }),
      sh: fc.integer({ min: 1, max: 4 }),
      sw: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), (rows) => {
        const body = rows.map((x, i) => `L${i}, ${x.h + x.r}, ${x.w + x.s}, ${x.r}, ${x.s}, ${x.c}, ${x.k}, ${x.sh}, ${x.sw},`).join('\n');
        const net = importScaleSimCsv(tmpFile('p.csv', `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n${body}\n`), { batch: 1, precision: 'int8' });
        const again = reimport(net);
        expect(macOps(again).map((op) => op.bounds)).toEqual(macOps(net).map((op) => op.bounds));
      }),
      { numRuns: 30 },
    );
  });
});

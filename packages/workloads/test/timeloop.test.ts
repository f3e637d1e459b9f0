import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTrimUserError, readYamlFile } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { importTimeloopProblem, isTimeloopProblem, parseTimeloopProblem } from '../src/index.js';
import { macOps } from './helpers.js';

// The reference data lives in the repository (validation/, with its provenance).
const VALIDATION = fileURLToPath(new URL('../../../validation', import.meta.url));

const INPUTS = `${VALIDATION}/timeloop/inputs`;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
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

function tmpYaml(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trim-tl-')), 'p.yaml');
  writeFileSync(path, text);
  return path;
}

describe('Timeloop problem import', () => {
  const all = yamlFiles(INPUTS);
  const problems = all.filter((f) => isTimeloopProblem(readYamlFile(f)));

  it('claims exactly the files with a top-level problem, and all of them import', () => {
    expect(problems.length).toBe(13);
    expect(problems.every((f) => /prob|layer_shapes/.test(f))).toBe(true);
    for (const f of problems) expect(macOps(importTimeloopProblem(f, { batch: 1, precision: 'int16' }))).toHaveLength(1);
  });

  it('refuses YAML files that are not problems (architectures, mappings)', () => {
    const others = all.filter((f) => !problems.includes(f));
    expect(others.length).toBeGreaterThan(10);
    for (const f of others) expect(userError(() => importTimeloopProblem(f, { batch: 1, precision: 'int16' }))).toMatch(/not a Timeloop problem/);
  });

  it('reads AlexNet layer 1 (M = 96, C = 3, 11×11, stride 4, 55×55)', () => {
    const net = importTimeloopProblem(join(INPUTS, 'baseline_designs/layer_shapes/AlexNet/AlexNet_layer1.yaml'), { batch: 1, precision: 'int16' });
    const [op] = macOps(net);
    expect(op.macs).toBe(96 * 3 * 11 * 11 * 55 * 55);
    expect([op.strideH, op.strideW]).toEqual([4, 4]);
    expect(net.tensors.get(net.inputs[0])!.shape).toEqual([1, 3, 227, 227]);
  });

  it('reads the five AlexNet layer shapes (Timeloop\'s are single-group, unlike our two-group alexnet)', () => {
    const macs = [1, 2, 3, 4, 5].map((i) => macOps(importTimeloopProblem(join(INPUTS, `baseline_designs/layer_shapes/AlexNet/AlexNet_layer${i}.yaml`), { batch: 1, precision: 'int16' }))[0].macs);
    expect(macs).toEqual([
      96 * 3 * 11 * 11 * 55 * 55,
      256 * 96 * 5 * 5 * 27 * 27,
      384 * 256 * 3 * 3 * 13 * 13,
      384 * 384 * 3 * 3 * 13 * 13,
      256 * 384 * 3 * 3 * 13 * 13,
    ]);
  });

  it('reads the Conv1D exercises as 1-D convs along P/R (missing dimensions are 1)', () => {
    const ex = join(INPUTS, 'timeloop_exercises');
    const macsOf = (p: string) => macOps(importTimeloopProblem(join(ex, p), { batch: 1, precision: 'int16' }))[0];
    expect(macsOf('00-model-conv1d-1level/prob/conv1d.prob.yaml').macs).toBe(3 * 16);
    expect(macsOf('02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml').macs).toBe(32 * 3 * 16);
    const op = macsOf('04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml');
    expect(op.bounds).toEqual([1, 1, 32, 32, 16, 1, 3, 1]); // N G K C P Q R S
  });

  it('reads VGG02 layer 5 and multiplies the problem batch N by the requested batch', () => {
    const f = join(INPUTS, 'timeloop_exercises/06-mapper-convlayer-eyeriss/prob/VGG02_layer5.yaml');
    expect(macOps(importTimeloopProblem(f, { batch: 3, precision: 'int16' }))[0].macs).toBe(3 * 256 * 128 * 9 * 56 * 56);
  });

  it('follows the Inputs projection for strides and dilations (P·Wstride, Q·Hstride)', () => {
    const l = parseTimeloopProblem(
      {
        problem: {
          shape: {
            name: 'CNN-Layer',
            dimensions: ['C', 'M', 'R', 'S', 'N', 'P', 'Q'],
            'data-spaces': [{ name: 'Inputs', projection: [[['N']], [['C']], [['R', 'Wdilation'], ['P', 'Wstride']], [['S', 'Hdilation'], ['Q', 'Hstride']]] }],
          },
          instance: { C: 2, M: 4, R: 3, S: 3, P: 5, Q: 6, Wstride: 2, Hstride: 1, Wdilation: 2 },
        },
      },
      'x.yaml',
    );
    expect([l.strideP, l.strideQ, l.dilationR, l.dilationS]).toEqual([2, 1, 2, 1]);
  });

  it('rejects bad instances with the field named', () => {
    const head = 'problem:\n  shape:\n    name: CNN-Layer\n    dimensions: [C, M, R, S, N, P, Q]\n  instance:\n';
    expect(userError(() => importTimeloopProblem(tmpYaml(`${head}    C: 0\n    M: 4\n`), { batch: 1, precision: 'int16' }))).toMatch(/p\.yaml: field problem\.instance\.C: expected a positive integer, got 0/);
    expect(userError(() => importTimeloopProblem(tmpYaml(`${head}    C: two\n`), { batch: 1, precision: 'int16' }))).toMatch(/problem\.instance\.C/);
    expect(userError(() => importTimeloopProblem(tmpYaml('problem:\n  shape:\n    dimensions: [X, P]\n  instance: {P: 3}\n'), { batch: 1, precision: 'int16' }))).toMatch(/unsupported dimension "X"/);
    expect(userError(() => importTimeloopProblem(tmpYaml('problem:\n  instance: {M: 3, K: 4}\n'), { batch: 1, precision: 'int16' }))).toMatch(/both M \(3\) and K \(4\)/);
    expect(userError(() => importTimeloopProblem(tmpYaml('arch: {}\n'), { batch: 1, precision: 'int16' }))).toMatch(/not a Timeloop problem/);
  });
});

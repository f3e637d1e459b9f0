import { emptyMapping, macOp } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { ArrayFolds, arrayFoldsOf, GemmShape, gemmShapeOf, IS, OS, sharesFirstCycle, systolicMapping, WS } from '../src/scalesim/index.js';
import { conv, gemm } from './helpers.js';

describe('GEMM view (im2col)', () => {
  it('conv: pixels N·P·Q, window C·R·S, filters K, groups G', () => {
    const g = gemmShapeOf(conv({ N: 2, G: 3, K: 4, C: 5, P: 6, Q: 7, R: 3, S: 2 }), new GemmShape());
    expect([g.groups, g.pixels, g.window, g.filters]).toEqual([3, 2 * 6 * 7, 5 * 3 * 2, 4]);
  });
  it('GEMM M×K·K×N: pixels M, window K, filters N', () => {
    const g = gemmShapeOf(gemm(128, 64, 256), new GemmShape());
    expect([g.groups, g.pixels, g.window, g.filters]).toEqual([1, 128, 256, 64]);
  });
  it('backward-weight (dW = dY·X): pixels C·R·S, window N·P·Q, filters K', () => {
    const op = macOp({
      name: 'bw',
      layer: 'bw',
      layerKind: 'conv2d',
      phase: 'backward-weight',
      bounds: { N: 2, K: 8, C: 4, P: 5, Q: 5, R: 3, S: 3 },
      operands: [
        { tensor: 'grad-outputs', projection: 'output', bytes: 1, density: 1 },
        { tensor: 'inputs', projection: 'window', bytes: 1, density: 1 },
        { tensor: 'grad-weights', projection: 'filter', bytes: 1, density: 1 },
      ],
    });
    const g = gemmShapeOf(op, new GemmShape());
    expect([g.pixels, g.window, g.filters]).toEqual([4 * 9, 2 * 25, 8]);
  });
});

describe('folds and cycles (hand-worked against SCALE-Sim reports)', () => {
  it('WS AlexNet conv2 on 32×32: 75 × 8 folds of 529 + 64 + 32 − 2 = 623 cycles → 373 799', () => {
    // window 5·5·96 = 2400 on rows, 256 filters on columns, 23·23 = 529 pixels streamed.
    const f = arrayFoldsOf(WS, gemmShapeOf(conv({ K: 256, C: 96, P: 23, Q: 23, R: 5, S: 5 }), new GemmShape()), 32, 32, new ArrayFolds());
    expect([f.rowFolds, f.colFolds, f.cyclesPerFold, f.cyclesPerGroup]).toEqual([75, 8, 623, 373799]);
  });
  it('OS GEMM 128×64×256 on 32×32: 4 × 2 folds of 256 + 32 + 32 − 2 = 318 → 2543', () => {
    const f = arrayFoldsOf(OS, gemmShapeOf(gemm(128, 64, 256), new GemmShape()), 32, 32, new ArrayFolds());
    expect([f.spatialRows, f.spatialCols, f.temporal, f.rowFolds, f.colFolds, f.cyclesPerGroup]).toEqual([128, 64, 256, 4, 2, 2543]);
  });
  it('IS GEMM 128×64×256 on 32×32: window 256 on rows (8 folds), 128 pixels on columns (4), 64 filters streamed: 32 × 158 − 1', () => {
    const f = arrayFoldsOf(IS, gemmShapeOf(gemm(128, 64, 256), new GemmShape()), 32, 32, new ArrayFolds());
    expect([f.rowFolds, f.colFolds, f.cyclesPerFold, f.cyclesPerGroup]).toEqual([8, 4, 158, 5055]);
  });
  it('WS on a non-square 16×64 array: rows and columns fold separately', () => {
    // window 3·3·8 = 72 → ⌈72/16⌉ = 5 row folds; 100 filters → ⌈100/64⌉ = 2; 10·10 pixels; 100 + 32 + 64 − 2 = 194.
    const f = arrayFoldsOf(WS, gemmShapeOf(conv({ K: 100, C: 8, P: 10, Q: 10, R: 3, S: 3 }), new GemmShape()), 16, 64, new ArrayFolds());
    expect([f.rowFolds, f.colFolds, f.cyclesPerFold, f.cyclesPerGroup]).toEqual([5, 2, 194, 10 * 194 - 1]);
  });
});

describe('the first cycle shared with the op before (SCALE-Sim reports the last cycle’s stamp, counted from 0)', () => {
  it('is free when the first cycle avoids PE(R−1, C−1): ws/is need two rows, os two PEs', () => {
    expect([sharesFirstCycle(WS, 32, 32), sharesFirstCycle(IS, 2, 1), sharesFirstCycle(OS, 1, 2), sharesFirstCycle(OS, 2, 1)]).toEqual([true, true, true, true]);
    expect([sharesFirstCycle(WS, 1, 1), sharesFirstCycle(WS, 1, 64), sharesFirstCycle(IS, 1, 8), sharesFirstCycle(OS, 1, 1)]).toEqual([false, false, false, false]);
  });
  it('so a 1×1 OS array takes exactly its MACs: GEMM 3×2×5 = 30 cycles', () => {
    const f = arrayFoldsOf(OS, gemmShapeOf(gemm(3, 2, 5), new GemmShape()), 1, 1, new ArrayFolds());
    expect([f.rowFolds, f.colFolds, f.cyclesPerFold, f.cyclesPerGroup]).toEqual([3, 2, 5, 30]);
  });
});

describe('mapping description (for --mapping)', () => {
  const dims = 'NGKCPQRS';
  const axis = (a: Int32Array, level: number) => [...dims].filter((_, d) => a[level * 8 + d] > 1).join('');
  it('puts the window on the rows and filters on the columns for WS, pixels on the rows for OS, pixels on the columns for IS', () => {
    const op = conv({ K: 64, C: 16, P: 8, Q: 8, R: 3, S: 3 });
    const ws = systolicMapping(op, 32, 32, WS, emptyMapping(3));
    // 16 channels × 2 filter columns fill the 32 rows (channels vary fastest in SCALE-Sim's im2col).
    expect([axis(ws.spatialY, 1), axis(ws.spatialX, 1)]).toEqual(['CS', 'K']);
    const os = systolicMapping(op, 32, 32, OS, emptyMapping(3));
    expect([axis(os.spatialY, 1), axis(os.spatialX, 1)]).toEqual(['PQ', 'K']);
    const is = systolicMapping(op, 32, 32, IS, emptyMapping(3));
    expect([axis(is.spatialY, 1), axis(is.spatialX, 1)]).toEqual(['CS', 'PQ']);
    // Streamed dims run in time at the SRAM level (WS: the pixels); the PEs keep the stationary operand only.
    expect(axis(ws.temporal, 1)).toBe('PQ');
    expect([Array.from(ws.keep.slice(0, 3)), Array.from(os.keep.slice(0, 3)), Array.from(is.keep.slice(0, 3))]).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
  });
});

import type { Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { buildNetworkFile, networkFileSchema } from '../src/index.js';
import { tapClasses } from '../src/network/conv-transpose.js';
import { macsByLayer, macOps, totalMacs } from './helpers.js';

function net(shape: number[], layer: Record<string, unknown>): Network {
  const doc = networkFileSchema.parse({ network: 'c', inputs: [{ name: 'x', shape }], layers: [{ name: 'c', ...layer }] });
  return buildNetworkFile(doc, { batch: 1, precision: 'int16' });
}
const outShape = (n: Network) => n.tensors.get(n.layers[n.layers.length - 1].output)!.shape;

describe('network file: convolution kinds (hand-worked MACs = N·Cout·Cin/groups·∏out·∏kernel)', () => {
  it('conv1d [2, 4, 10], 6 out, kernel 3, stride 2, padding 1: L′ = ⌊(10 + 2 − 3)/2⌋ + 1 = 5; 2·6·4·5·3 = 720 MACs', () => {
    const n = net([2, 4, 10], { kind: 'conv1d', out: 6, kernel: 3, stride: 2, padding: 1 });
    expect(outShape(n)).toEqual([2, 6, 5]);
    expect(totalMacs(n)).toBe(720);
    // Lowered onto core's conv2d over a [N, C, 1, L] view: every template prices it.
    expect(n.layers.find((l) => l.name === 'c')!.kind).toBe('conv2d');
  });

  it('conv1d with dilation 2 and groups 2: effective kernel 5, L′ = 10 − 4 = 6; 1·8·(4/2)·6·3 = 288 MACs', () => {
    const n = net([1, 4, 10], { kind: 'conv1d', out: 8, kernel: 3, dilation: 2, groups: 2 });
    expect(outShape(n)).toEqual([1, 8, 6]);
    expect(totalMacs(n)).toBe(288);
  });

  it('conv2d [1, 3, 8, 6], 4 out, kernel [3, 1], padding [1, 0]: 8×6 out, 1·4·3·48·3 = 1,728 MACs', () => {
    const n = net([1, 3, 8, 6], { kind: 'conv2d', out: 4, kernel: [3, 1], padding: [1, 0] });
    expect(outShape(n)).toEqual([1, 4, 8, 6]);
    expect(totalMacs(n)).toBe(1728);
  });

  it('conv3d [1, 2, 5, 6, 6], 4 out, kernel 3, stride [1, 2, 2]: 3×2×2 out (the last row of H and W unread), 1·4·2·12·27 = 2,592 MACs', () => {
    const n = net([1, 2, 5, 6, 6], { kind: 'conv3d', out: 4, kernel: 3, stride: [1, 2, 2] });
    expect(outShape(n)).toEqual([1, 4, 3, 2, 2]);
    expect(totalMacs(n)).toBe(2592);
    const e = n.layers.find((l) => l.name === 'c')!;
    expect(e.kind).toBe('einsum');
    // The window on each input axis: d + t, p·2 + r, q·2 + s.
    expect(e.kind === 'einsum' && e.params.axes[0]).toBe('n c d*1+t*1 p*2+r*1 q*2+s*1');
  });

  it('conv3d depthwise (groups = channels), kernel [1, 3, 3], dilation 2 on H and W: 1·4·1·(4·2·2)·9 = 576 MACs', () => {
    const n = net([1, 4, 4, 6, 6], { kind: 'conv3d', out: 4, kernel: [1, 3, 3], dilation: [1, 2, 2], groups: 4 });
    expect(outShape(n)).toEqual([1, 4, 4, 2, 2]);
    expect(macsByLayer(n).get('c')).toBe(576);
  });

  it('bad input: one line naming the layer and the field', () => {
    expect(() => net([1, 2, 5, 6, 6], { kind: 'conv3d', out: 4, kernel: 3, padding: 1 })).toThrow(/layer c: conv3d takes no padding/);
    expect(() => net([1, 2, 10], { kind: 'conv1d', out: 4, kernel: [3, 3] })).toThrow(/layer c: kernel has 2 values for 1 spatial axes/);
    expect(() => net([1, 2, 10], { kind: 'conv2d', out: 4, kernel: 3 })).toThrow(/layer c: input "x" has shape \[1, 2, 10\]; conv2d reads \[N, C, H, W\]/);
    expect(() => net([1, 3, 4, 4, 4], { kind: 'conv3d', out: 4, kernel: 3, groups: 2 })).toThrow(/layer c: channels 3 in and 4 out must divide into 2 groups/);
    expect(() => net([1, 2, 2, 2, 2], { kind: 'conv3d', out: 4, kernel: 3 })).toThrow(/layer c: a 3×3×3 kernel does not fit the 2×2×2 input/);
  });
});

describe('network file: convtranspose (direct MACs = N·Cin·Cout/groups·∏in·∏kernel, PyTorch FLOP counters’ convention)', () => {
  it('tap classes: kernel 4 stride 2 → 2 + 2 taps; kernel 3 stride 2 → 2 + 1; stride 1 → all taps; stride 2 dilation 2 → one class', () => {
    expect(tapClasses(4, 2, 1).map((c) => c.taps)).toEqual([2, 2]);
    expect(tapClasses(3, 2, 1).map((c) => c.taps)).toEqual([2, 1]);
    expect(tapClasses(3, 1, 1).map((c) => c.taps)).toEqual([3]);
    expect(tapClasses(3, 2, 2)).toEqual([{ taps: 3, dilation: 1 }]);
    expect(tapClasses(2, 4, 1).map((c) => c.taps)).toEqual([1, 1]);
  });

  it('2-D, DCGAN’s kernel 4 stride 2 padding 1: [1, 8, 4, 4] → [1, 4, 8, 8]; 1·8·4·16·16 = 8,192 MACs in 4 phases of 2×2 taps', () => {
    const n = net([1, 8, 4, 4], { kind: 'convtranspose', out: 4, kernel: 4, stride: 2, padding: 1 });
    expect(outShape(n)).toEqual([1, 4, 8, 8]);
    expect(totalMacs(n)).toBe(8192);
    const ops = macOps(n);
    expect(ops).toHaveLength(4);
    expect(ops.every((op) => op.macs === 1 * 4 * 8 * 16 * 4)).toBe(true);
  });

  it('1-D, kernel 3 stride 2 padding 1 outputPadding 1: [1, 4, 5] → [1, 6, 10]; 4·6·5·3 = 360 MACs (phases of 2 and 1 taps)', () => {
    const n = net([1, 4, 5], { kind: 'convtranspose', out: 6, kernel: 3, stride: 2, padding: 1, outputPadding: 1 });
    expect(outShape(n)).toEqual([1, 6, 10]);
    expect(totalMacs(n)).toBe(360);
    expect(macOps(n).map((op) => op.macs)).toEqual([240, 120]);
  });

  it('2-D stride 1 (kernel 3, padding 1, groups 2): the same size out, 1·4·(6/2)·(5·5)·9 = 2,700 MACs', () => {
    const n = net([1, 4, 5, 5], { kind: 'convtranspose', out: 6, kernel: 3, padding: 1, groups: 2 });
    expect(outShape(n)).toEqual([1, 6, 5, 5]);
    expect(totalMacs(n)).toBe(2700);
  });

  it('3-D, kernel 2 stride 2 (3-D U-Net): [1, 4, 2, 3, 3] → [1, 2, 4, 6, 6]; 4·2·18·8 = 1,152 MACs in 8 pointwise phases', () => {
    const n = net([1, 4, 2, 3, 3], { kind: 'convtranspose', out: 2, kernel: 2, stride: 2 });
    expect(outShape(n)).toEqual([1, 2, 4, 6, 6]);
    expect(totalMacs(n)).toBe(1152);
    expect(macOps(n)).toHaveLength(8);
  });

  it('refused, one line naming the layer: an output larger than the phases, 3-D taps that need padding, outputPadding ≥ stride', () => {
    expect(() => net([1, 2, 5], { kind: 'convtranspose', out: 2, kernel: 3 })).toThrow(/layer c: its 7 output is more than the 1 stride phases of 5/);
    expect(() => net([1, 2, 3, 3, 3], { kind: 'convtranspose', out: 2, kernel: 3, stride: 2, padding: 1, outputPadding: 1 })).toThrow(/layer c: a 3-D transposed conv needs kernel ≤ stride per axis/);
    expect(() => net([1, 2, 5], { kind: 'convtranspose', out: 2, kernel: 3, stride: 2, outputPadding: 2 })).toThrow(/layer c: outputPadding 2 must be smaller than stride or dilation \(2\)/);
  });
});

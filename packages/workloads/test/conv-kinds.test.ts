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

  it('conv3d C3D conv1a: [1, 3, 16, 112, 112] → 64, 3×3×3 padding 1: the same size out, 1·64·16·112·112·3·27 = 1,040,449,536 MACs', () => {
    const n = net([1, 3, 16, 112, 112], { kind: 'conv3d', out: 64, kernel: 3, padding: 1 });
    expect(outShape(n)).toEqual([1, 64, 16, 112, 112]);
    expect(1 * 64 * 16 * 112 * 112 * 3 * 27).toBe(1_040_449_536);
    expect(totalMacs(n)).toBe(1_040_449_536);
    const e = n.layers.find((l) => l.name === 'c')!;
    // The stored input read through a window over the padded 18×114×114 extent: one zero before and after each axis.
    expect(e.kind === 'einsum' && e.inputs).toEqual(['x']);
    expect(e.kind === 'einsum' && e.params.pad).toEqual([[[0, 0], [0, 0], [1, 1], [1, 1], [1, 1]]]);
  });

  it('conv3d kernel 3, stride 3, padding 1 on 9³: ⌊(9 + 2 − 3)/3⌋ + 1 = 3 out; the windows reach 2·3 + 3 = 9 = 1 zero + 8 stored rows (the 9th unread); 4·2·27·27 = 5,832 MACs', () => {
    const n = net([1, 2, 9, 9, 9], { kind: 'conv3d', out: 4, kernel: 3, stride: 3, padding: 1 });
    expect(outShape(n)).toEqual([1, 4, 3, 3, 3]);
    expect(totalMacs(n)).toBe(5832);
    const e = n.layers.find((l) => l.name === 'c')!;
    expect(n.tensors.get(e.inputs[0])!.shape).toEqual([1, 2, 8, 8, 8]);
    expect(e.kind === 'einsum' && e.params.pad).toEqual([[[0, 0], [0, 0], [1, 0], [1, 0], [1, 0]]]);
  });

  it('conv3d padding per axis [0, 1, 1], kernel [1, 3, 3] on [1, 2, 4, 5, 5]: 4×5×5 out, 1·4·2·100·9 = 7,200 MACs', () => {
    const n = net([1, 2, 4, 5, 5], { kind: 'conv3d', out: 4, kernel: [1, 3, 3], padding: [0, 1, 1] });
    expect(outShape(n)).toEqual([1, 4, 4, 5, 5]);
    expect(totalMacs(n)).toBe(7200);
  });

  it('conv3d depthwise with padding 1 (groups 4 on [1, 4, 4, 6, 6]): channels split by a view; 1·4·1·(4·6·6)·27 = 15,552 MACs', () => {
    const n = net([1, 4, 4, 6, 6], { kind: 'conv3d', out: 4, kernel: 3, padding: 1, groups: 4 });
    expect(outShape(n)).toEqual([1, 4, 4, 6, 6]);
    expect(macsByLayer(n).get('c')).toBe(15_552);
    expect(n.layers.find((l) => l.name === 'c.groups')?.kind).toBe('view');
  });

  it('bad input: one line naming the layer and the field', () => {
    expect(() => net([1, 1, 1, 1, 1], { kind: 'conv3d', out: 4, kernel: 1, stride: 5, padding: 2 })).toThrow(/layer c: padding 2,2,2 is so wide that the windows of some axis read only zeros/);
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

  it('3-D, kernel 4 stride 2 padding 1 (taps read padded windows): [1, 4, 3, 3, 3] → [1, 2, 6, 6, 6]; 4·2·27·64 = 13,824 MACs', () => {
    const n = net([1, 4, 3, 3, 3], { kind: 'convtranspose', out: 2, kernel: 4, stride: 2, padding: 1 });
    expect(outShape(n)).toEqual([1, 2, 6, 6, 6]);
    expect(totalMacs(n)).toBe(13824);
    expect(macOps(n)).toHaveLength(8);
  });

  it('3-D, kernel 3 stride 2 padding 1 outputPadding 1 groups 2: [1, 4, 3, 3, 3] → [1, 4, 6, 6, 6]; 4·(4/2)·27·27 = 5,832 MACs', () => {
    const n = net([1, 4, 3, 3, 3], { kind: 'convtranspose', out: 4, kernel: 3, stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(outShape(n)).toEqual([1, 4, 6, 6, 6]);
    expect(totalMacs(n)).toBe(5832);
  });

  it('refused, one line naming the layer: an output larger than the phases, outputPadding ≥ stride', () => {
    expect(() => net([1, 2, 5], { kind: 'convtranspose', out: 2, kernel: 3 })).toThrow(/layer c: its 7 output is more than the 1 stride phases of 5/);
    expect(() => net([1, 2, 5], { kind: 'convtranspose', out: 2, kernel: 3, stride: 2, outputPadding: 2 })).toThrow(/layer c: outputPadding 2 must be smaller than stride or dilation \(2\)/);
  });
});

describe('network file: an einsum read through a padded window (`pad`)', () => {
  it('a 1-D conv written as an einsum, padding 1 each side: [2, 4, 10] → [2, 3, 10]; 2·3·4·10·3 = 720 MACs', () => {
    const n = net([2, 4, 10], { kind: 'einsum', inputs: ['x'], dims: { n: 2, k: 3, c: 4, p: 10, r: 3 }, axes: ['n c p+r'], weight: 'k c r', out: 'n k p', pad: [[[0, 0], [0, 0], [1, 1]]] });
    expect(outShape(n)).toEqual([2, 3, 10]);
    expect(totalMacs(n)).toBe(720);
  });

  it('refused in one line when the stored size is not the window extent less the declared zeros', () => {
    expect(() => net([2, 4, 9], { kind: 'einsum', inputs: ['x'], dims: { n: 2, k: 3, c: 4, p: 10, r: 3 }, axes: ['n c p+r'], weight: 'k c r', out: 'n k p', pad: [[[0, 0], [0, 0], [1, 1]]] })).toThrow(/layer c/);
  });
});

import { describe, expect, it } from 'vitest';
import { inferenceOps, NetworkBuilder, networkEdges, operandSize, type EinsumParams, type MacOp, type Network } from '../src/index.js';

const macOf = (net: Network, layer: string) => inferenceOps(net).find((o): o is MacOp => o.kind === 'mac' && o.layer === layer) as MacOp;

/** A 1-D convolution y[n,k,p] = Σ w[k,c,r] · x[n, c, p·stride + r] as an einsum over an [n, c, l] input. */
function conv1d(shape: number[], o: { out: number; kernel: number; stride: number; outLen: number; pad?: EinsumParams['pad'] }): Network {
  const b = new NetworkBuilder('c1d');
  const x = b.input('x', shape);
  b.einsum('c', [x], {
    dims: [['n', shape[0]], ['k', o.out], ['c', shape[1]], ['p', o.outLen], ['r', o.kernel]],
    axes: [`n c p*${o.stride}+r`],
    weightAxes: 'k c r',
    out: 'n k p',
    ...(o.pad ? { pad: o.pad } : {}),
  });
  return b.build();
}

describe('einsum inputs read through a padded window (stored zeros, fetched like data: conv2d’s default)', () => {
  it('1-D, kernel 3 stride 2 padding 1 on [2, 4, 10]: L′ = ⌊(10 + 2 − 3)/2⌋ + 1 = 5, window 4·2 + 3 = 11 = 1 + 10 + 0 rows; 2·6·4·5·3 = 720 MACs', () => {
    const net = conv1d([2, 4, 10], { out: 6, kernel: 3, stride: 2, outLen: 5, pad: [[[0, 0], [0, 0], [1, 0]]] });
    expect(net.tensors.get('c')!.shape).toEqual([2, 6, 5]);
    const op = macOf(net, 'c');
    expect(op.macs).toBe(720);
    // The engine prices the padded window: 2·4·11 = 88 input elements (the zero row fetched like data) ...
    expect(operandSize(op, 1)).toBe(88);
    // ... the tensor between layers is the stored one: 2·4·10 = 80 elements.
    expect(networkEdges(net, [op])[0].reads[0].elements).toBe(80);
  });

  it('the same convolution as core’s conv2d (padding [0, 1, 0, 1] on [2, 4, 1, 10]) has the same MACs and the same padded input extent', () => {
    const b = new NetworkBuilder('c2d');
    b.conv('c', b.input('x', [2, 4, 1, 10]), { outChannels: 6, kernel: [1, 3], stride: [1, 2], padding: [0, 1, 0, 1] });
    const conv = macOf(b.build(), 'c');
    const einsum = macOf(conv1d([2, 4, 10], { out: 6, kernel: 3, stride: 2, outLen: 5, pad: [[[0, 0], [0, 0], [1, 0]]] }), 'c');
    expect(conv.macs).toBe(einsum.macs);
    expect(operandSize(conv, 1)).toBe(operandSize(einsum, 1));
  });

  it('symmetric padding 1, stride 1, kernel 3 on [1, 2, 5]: 5 out, window 7 = 1 + 5 + 1; 1·3·2·5·3 = 90 MACs', () => {
    const op = macOf(conv1d([1, 2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: [[[0, 0], [0, 0], [1, 1]]] }), 'c');
    expect(op.macs).toBe(90);
    expect(operandSize(op, 1)).toBe(2 * 7);
  });

  it('no padding declared, or all-zero padding: the same op as before (unpadded einsums are unchanged)', () => {
    const plain = macOf(conv1d([1, 2, 7], { out: 3, kernel: 3, stride: 1, outLen: 5 }), 'c');
    const zero = macOf(conv1d([1, 2, 7], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: [[[0, 0], [0, 0], [0, 0]]] }), 'c');
    expect(zero.key).toBe(plain.key);
    expect(plain.macs).toBe(3 * 2 * 5 * 3);
  });

  it('refuses a mismatch that the padding does not explain, in one line naming the layer', () => {
    const p1: EinsumParams['pad'] = [[[0, 0], [0, 0], [1, 1]]];
    // 6 stored rows + 2 zeros is 8, not the window's 7.
    expect(() => conv1d([1, 2, 6], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: p1 })).toThrow(
      /^layer c: input "x" has shape \[1, 2, 6\] but its axes "n c p\*1\+r" less the padding \[0, 0\] \[0, 0\] \[1, 1\] index \[1, 2, 5\]$/,
    );
    // The same elements in another shape: a padded input is read axis by axis.
    expect(() => conv1d([2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: p1 })).toThrow(/layer c: input "x" has shape \[2, 5\] but its axes/);
    expect(() => conv1d([1, 2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: [[[1, 1]]] })).toThrow(/layer c: pad gives 1 \[before, after\] pairs for the 3 axes "n c p\*1\+r" of input "x"/);
    expect(() => conv1d([1, 2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: [[[0, 0], [0, 0], [-1, 3]]] })).toThrow(/layer c: the padding of input "x" must be \[before, after\] pairs of non-negative integers/);
    expect(() => conv1d([1, 2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5, pad: [[[0, 0], [0, 0], [1, 1]], []] })).toThrow(/layer c: pad gives padding for 2 inputs; the layer has 1/);
    // Without padding the element check is as before.
    expect(() => conv1d([1, 2, 5], { out: 3, kernel: 3, stride: 1, outLen: 5 })).toThrow(/layer c: input "x" has 10 elements but its axes "n c p\*1\+r" index 14/);
  });
});

import { edgesOf, NetworkBuilder, operandSize, type MacOp, type Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { trainingStep } from '../src/index.js';

/** A 3×3×3 conv, padding 1, as the network files lower conv3d: an einsum reading its input through a padded window. */
function conv3(b: NetworkBuilder, name: string, x: string, out: number): string {
  const [n, c, d, h, w] = b.shapeOf(x);
  return b.einsum(name, [x], {
    dims: [['n', n], ['k', out], ['c', c], ['d', d], ['p', h], ['q', w], ['t', 3], ['r', 3], ['s', 3]],
    axes: ['n c d*1+t*1 p*1+r*1 q*1+s*1'],
    weightAxes: 'k c t r s',
    out: 'n k d p q',
    pad: [[[0, 0], [0, 0], [1, 1], [1, 1], [1, 1]]],
  });
}

/** [1, 2, 4, 6, 6] → conv (4 out) → relu → conv (3 out), both 3×3×3 with padding 1 (same size out). */
function net(): Network {
  const b = new NetworkBuilder('c3d');
  const y = conv3(b, 'conv1', b.input('x', [1, 2, 4, 6, 6]), 4);
  conv3(b, 'conv2', b.relu('r1', y), 3);
  return b.build();
}

const macs = (ops: readonly MacOp[], phase?: string) => ops.filter((o) => !phase || o.phase === phase).reduce((a, o) => a + o.macs, 0);

describe('training a padded window einsum (conv3d with padding)', () => {
  const step = trainingStep(net());
  const ops = step.ops.filter((o): o is MacOp => o.kind === 'mac');
  // Hand-worked: Cout · Cin · D·H·W · 27 taps.
  const conv1 = 4 * 2 * (4 * 6 * 6) * 27;
  const conv2 = 3 * 4 * (4 * 6 * 6) * 27;

  it('MACs: forward 31,104 + 46,656; the step is 3 × forward less conv1’s input gradient (the network input needs none)', () => {
    expect([conv1, conv2]).toEqual([31_104, 46_656]);
    expect(macs(ops, 'forward')).toBe(conv1 + conv2);
    expect(macs(ops, 'backward-data')).toBe(conv2);
    expect(macs(ops, 'backward-weight')).toBe(conv1 + conv2);
    expect(macs(ops)).toBe(3 * (conv1 + conv2) - conv1);
    expect(ops.some((o) => o.layer === 'conv1' && o.phase === 'backward-data')).toBe(false);
  });

  it('backward-data writes the gradient of the padded input (4·6·8·8 = 1,536); its readers take the interior, 4·4·6·6 = 576 (a view)', () => {
    const bwd = ops.find((o) => o.name === 'conv2:bwd-data')!;
    expect(operandSize(bwd, 2)).toBe(4 * 6 * 8 * 8);
    expect(edgesOf(bwd)!.writes).toEqual([{ tensor: 'grad:r1', role: 'grad-inputs', elements: 1536, bytes: 2 }]);
    const relu = step.ops.find((o) => o.name === 'r1:bwd-data')!;
    expect(edgesOf(relu)!.reads.find((r) => r.tensor === 'grad:r1')!.elements).toBe(576);
  });

  it('backward-weight reads the stashed input through the padded window (2·6·8·8 = 768 elements priced; 2·4·6·6 = 288 stored)', () => {
    const bwd = ops.find((o) => o.name === 'conv1:bwd-weight')!;
    expect(operandSize(bwd, 1)).toBe(2 * 6 * 8 * 8);
    expect(edgesOf(bwd)!.reads.find((r) => r.role === 'inputs')!.elements).toBe(288);
  });
});

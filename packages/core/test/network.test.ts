import { describe, expect, it } from 'vitest';
import { filterLayers, inferenceOps, layerMatchesKind, NetworkBuilder, operandSize, TrimUserError, windowRows, type MacOp } from '../src/index.js';

describe('network IR and shape inference', () => {
  it('infers conv, pool and linear shapes (AlexNet CONV1: 227 → 55)', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [1, 3, 227, 227]);
    const c1 = b.conv('c1', x, { outChannels: 96, kernel: 11, stride: 4 });
    expect(b.shapeOf(c1)).toEqual([1, 96, 55, 55]);
    const p1 = b.pool('p1', c1, { mode: 'max', kernel: 3, stride: 2 });
    expect(b.shapeOf(p1)).toEqual([1, 96, 27, 27]);
    const f = b.flatten('f', p1);
    const fc = b.linear('fc', f, 10);
    expect(b.shapeOf(fc)).toEqual([1, 10, 1, 1]);
  });

  it('lowers a grouped conv: G groups, K and C per group, MACs = N·K·C/G·P·Q·R·S', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [2, 96, 27, 27]);
    b.conv('conv2', x, { outChannels: 256, kernel: 5, padding: 2, groups: 2 });
    const [op] = inferenceOps(b.build()) as MacOp[];
    expect(op.bounds).toEqual([2, 2, 128, 48, 27, 27, 5, 5]);
    expect(op.macs).toBe(2 * 256 * 48 * 27 * 27 * 25);
    // The padded input the op reads: 31×31 per channel.
    expect(operandSize(op, 1)).toBe(2 * 96 * 31 * 31);
  });

  it('depthwise is groups = channels', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [1, 32, 14, 14]);
    b.conv('dw', x, { outChannels: 32, kernel: 3, padding: 1, groups: 32 });
    const net = b.build();
    expect(layerMatchesKind(net.layers[0], 'depthwise')).toBe(true);
    const [op] = inferenceOps(net) as MacOp[];
    expect(op.macs).toBe(32 * 14 * 14 * 9);
  });

  it('attention matmuls: Q·Kᵀ and A·V per head', () => {
    const b = new NetworkBuilder('t');
    const q = b.input('q', [1, 768, 128, 1]);
    const k = b.input('k', [1, 768, 128, 1]);
    const v = b.input('v', [1, 768, 128, 1]);
    const s = b.matmul('qk', q, k, { heads: 12, transB: true });
    expect(b.shapeOf(s)).toEqual([1, 12 * 128, 128, 1]);
    const a = b.softmax('sm', s);
    const o = b.matmul('av', a, v, { heads: 12, transB: false });
    expect(b.shapeOf(o)).toEqual([1, 768, 128, 1]);
    const ops = inferenceOps(b.build()).filter((x): x is MacOp => x.kind === 'mac');
    expect(ops.map((x) => x.macs)).toEqual([12 * 128 * 128 * 64, 12 * 128 * 64 * 128]);
  });

  it('a residual branch joins with an element-wise add; mismatched shapes name the layer', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [1, 8, 8, 8]);
    const c = b.conv('c', x, { outChannels: 8, kernel: 3, padding: 1 });
    b.add2('add', c, x);
    const d = b.conv('d', x, { outChannels: 16, kernel: 1 });
    expect(() => b.add2('bad-add', c, d)).toThrow(/layer bad-add/);
    expect(() => b.conv('too-big', x, { outChannels: 4, kernel: 11 })).toThrow(TrimUserError);
  });

  it('filters layers by kind', () => {
    const b = new NetworkBuilder('t');
    const x = b.input('x', [1, 3, 8, 8]);
    const c = b.conv('c', x, { outChannels: 4, kernel: 3 });
    b.relu('r', c);
    const only = filterLayers(b.build(), (l) => layerMatchesKind(l, 'conv'));
    expect(only.layers.map((l) => l.name)).toEqual(['c']);
  });

  it('windowRows counts distinct input rows', () => {
    expect(windowRows(4, 3, 1, 1)).toBe(6);
    expect(windowRows(3, 2, 3, 1)).toBe(6); // gaps: stride 3 > kernel 2
    expect(windowRows(2, 3, 1, 2)).toBe(6); // dilation 2, two outputs fill the gaps: rows 0..5
    expect(windowRows(3, 3, 2, 2)).toBe(5); // 2p + 2r: only the even rows 0..8
  });
});

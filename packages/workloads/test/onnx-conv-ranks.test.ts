import { TrimUserError } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../src/onnx/index.js';
import { OnnxModelBuilder } from './onnx-fixtures.js';
import { totalMacs } from './helpers.js';

// 1-D and 3-D Conv as PyTorch exports them (Conv1d, Conv3d): onto the network format's conv1d and conv3d.
describe('ONNX Conv of 1 and 3 spatial axes', () => {
  it('Conv1d [2, 4, 10] → 6 channels, kernel 3, stride 2, pads 1: 5 out, 2·6·4·5·3 = 720 MACs', () => {
    const m = new OnnxModelBuilder('c1');
    const x = m.input('x', [2, 4, 10]);
    m.output(m.node('Conv', [x, m.weight('w', [6, 4, 3])], { kernel_shape: [3], strides: [2], pads: [1, 1] }, 'conv'));
    const net = loadOnnx(m.encode(), { batch: 2, precision: 'int8' });
    expect(totalMacs(net)).toBe(720);
    expect(net.tensors.get(net.layers[net.layers.length - 1].output)?.shape).toEqual([2, 6, 5]);
  });

  it('Conv3d, C3D conv1a: [1, 3, 16, 112, 112] → 64, 3×3×3, pads 1: 1·64·16·112·112·3·27 = 1,040,449,536 MACs', () => {
    const m = new OnnxModelBuilder('c3');
    const x = m.input('x', [1, 3, 16, 112, 112]);
    m.output(m.node('Conv', [x, m.weight('w', [64, 3, 3, 3, 3])], { kernel_shape: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] }, 'conv1a'));
    const net = loadOnnx(m.encode(), { batch: 1, precision: 'int8' });
    expect(totalMacs(net)).toBe(1_040_449_536);
    expect(net.tensors.get(net.layers[net.layers.length - 1].output)?.shape).toEqual([1, 64, 16, 112, 112]);
  });

  it('asymmetric 3-D pads are refused in one line naming the node', () => {
    const m = new OnnxModelBuilder('c3a');
    const x = m.input('x', [1, 3, 4, 4, 4]);
    m.output(m.node('Conv', [x, m.weight('w', [2, 3, 3, 3, 3])], { kernel_shape: [3, 3, 3], pads: [1, 1, 1, 0, 1, 1] }, 'odd'));
    expect(() => loadOnnx(m.encode(), { batch: 1, precision: 'int8' })).toThrow(TrimUserError);
    expect(() => loadOnnx(m.encode(), { batch: 1, precision: 'int8' })).toThrow(/odd.*symmetric padding/);
  });
});

import { filterLayers, inferenceOps, layerMatchesKind, NetworkBuilder, operandSize, type MacOp, type Op } from '@trim-dse/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tapClasses, trainingOps } from '../src/index.js';
import { resnet18, vgg16 } from './nets.js';
import { sum } from './helpers.js';

const macsOf = (ops: readonly Op[], phase?: string) => sum(ops.filter((o) => o.kind === 'mac' && (!phase || o.phase === phase)).map((o) => (o as MacOp).macs));

/** Conv MACs by hand: K·C·R·S·P·Q per image (square kernels and maps). */
const conv = (c: number, k: number, r: number, hw: number) => k * c * r * r * hw * hw;

// ResNet-18 (He et al. 2016, Table 1): [C, K, R, output H=W] of every conv, then the fc layer.
const RESNET18: Array<[number, number, number, number]> = [
  [3, 64, 7, 112],
  ...Array.from({ length: 4 }, (): [number, number, number, number] => [64, 64, 3, 56]),
  [64, 128, 3, 28], [128, 128, 3, 28], [64, 128, 1, 28], [128, 128, 3, 28], [128, 128, 3, 28],
  [128, 256, 3, 14], [256, 256, 3, 14], [128, 256, 1, 14], [256, 256, 3, 14], [256, 256, 3, 14],
  [256, 512, 3, 7], [512, 512, 3, 7], [256, 512, 1, 7], [512, 512, 3, 7], [512, 512, 3, 7],
];
const RESNET18_FWD = sum(RESNET18.map(([c, k, r, hw]) => conv(c, k, r, hw))) + 512 * 1000;

// VGG-16 configuration D: 13 convs (3×3, padding 1) and three fc layers.
const VGG16_CONVS: Array<[number, number, number]> = [
  [3, 64, 224], [64, 64, 224], [64, 128, 112], [128, 128, 112], [128, 256, 56], [256, 256, 56], [256, 256, 56],
  [256, 512, 28], [512, 512, 28], [512, 512, 28], [512, 512, 14], [512, 512, 14], [512, 512, 14],
];
const VGG16_FWD = sum(VGG16_CONVS.map(([c, k, hw]) => conv(c, k, 3, hw))) + 25088 * 4096 + 4096 * 4096 + 4096 * 1000;

describe('training-step MACs = forward + backward-data (all but the first layer) + backward-weight', () => {
  it('ResNet-18: hand count 1.814 GMAC forward; conv1 has no backward-data', () => {
    expect(RESNET18_FWD).toBe(1_814_073_344);
    const net = resnet18(1);
    const ops = trainingOps(net, { optimizer: 'sgd' });
    const conv1 = conv(3, 64, 7, 112);
    expect(macsOf(inferenceOps(net))).toBe(RESNET18_FWD);
    expect(macsOf(ops, 'forward')).toBe(RESNET18_FWD);
    expect(macsOf(ops, 'backward-data')).toBe(RESNET18_FWD - conv1);
    expect(macsOf(ops, 'backward-weight')).toBe(RESNET18_FWD);
    expect(macsOf(ops)).toBe(3 * RESNET18_FWD - conv1);
    expect(ops.some((o) => o.layer === 'conv1' && o.phase === 'backward-data')).toBe(false);
  });

  it('VGG-16: hand count 15.47 GMAC forward, batch 2 doubles every phase', () => {
    expect(VGG16_FWD).toBe(15_470_264_320);
    const ops = trainingOps(vgg16(2));
    const conv1 = 2 * conv(3, 64, 3, 224);
    expect(macsOf(ops, 'forward')).toBe(2 * VGG16_FWD);
    expect(macsOf(ops, 'backward-data')).toBe(2 * VGG16_FWD - conv1);
    expect(macsOf(ops, 'backward-weight')).toBe(2 * VGG16_FWD);
  });

  it('a strided conv splits backward-data into stride² sub-convolutions with the forward MACs (3×3/2 → 2×2, 2×1, 1×2, 1×1 taps)', () => {
    const b = new NetworkBuilder('s2');
    const x = b.input('x', [1, 8, 16, 16]);
    const y = b.conv('c0', x, { outChannels: 8, kernel: 1 });
    b.conv('c1', y, { outChannels: 4, kernel: 3, stride: 2, padding: 1 });
    const ops = trainingOps(b.build()).filter((o): o is MacOp => o.kind === 'mac' && o.layer === 'c1' && o.phase === 'backward-data');
    expect(ops.map((o) => [o.bounds[6], o.bounds[7]])).toEqual([[2, 2], [2, 1], [1, 2], [1, 1]]);
    // K and C exchanged: the sub-convolutions produce the 8 input channels from the 4 output-gradient channels.
    for (const o of ops) expect([o.bounds[2], o.bounds[3], o.bounds[4], o.bounds[5], o.strideH]).toEqual([8, 4, 8, 8, 1]);
    expect(sum(ops.map((o) => o.macs))).toBe(4 * 8 * 9 * 8 * 8);
    // The 1×1 stride-2 case has one class; rows of odd phase get a zero gradient without MACs.
    expect(tapClasses(1, 2, 1)).toEqual([{ taps: 1, dilation: 1, phase: 0 }]);
  });

  it('operand slots follow the contract: bwd-data [weights, grad-outputs, grad-inputs], bwd-weight [grad-outputs/output, inputs/window, grad-weights/filter]', () => {
    const ops = trainingOps(resnet18(1)).filter((o): o is MacOp => o.kind === 'mac' && o.layer === 'layer1.0.conv1');
    const bd = ops.find((o) => o.phase === 'backward-data')!;
    const bw = ops.find((o) => o.phase === 'backward-weight')!;
    expect(bd.operands.map((o) => `${o.tensor}/${o.projection}`)).toEqual(['weights/filter', 'grad-outputs/window', 'grad-inputs/output']);
    expect(bw.operands.map((o) => `${o.tensor}/${o.projection}`)).toEqual(['grad-outputs/output', 'inputs/window', 'grad-weights/filter']);
  });

  it('matmul: two backward-data products of the forward MACs and no weight update', () => {
    const b = new NetworkBuilder('attn', 'fp16');
    const x = b.input('x', [2, 64, 16, 1]);
    const q = b.linear('q', x, 64);
    const k = b.linear('k', x, 64);
    const s = b.matmul('qk', q, k, { heads: 4, transB: true });
    b.softmax('sm', s);
    const ops = trainingOps(b.build(), { optimizer: 'adam' });
    const mm = ops.filter((o): o is MacOp => o.kind === 'mac' && o.layer === 'qk');
    const fwd = mm.find((o) => o.phase === 'forward')!;
    expect(fwd.macs).toBe(2 * 4 * 16 * 16 * 16);
    expect(mm.filter((o) => o.phase === 'backward-data').map((o) => o.macs)).toEqual([fwd.macs, fwd.macs]);
    expect(mm.some((o) => o.phase === 'backward-weight')).toBe(false);
    expect(ops.filter((o) => o.phase === 'update').map((o) => o.layer)).toEqual(['q', 'k']);
  });

  it('property: Σ taps over the phase classes = kernel; conv backward-data MACs = forward MACs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (r, s, d) => {
        expect(sum(tapClasses(r, s, d).map((c) => c.taps))).toBe(r);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ c: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }), r: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 2 }), g: fc.constantFrom(1, 2) }),
        ({ c, k, r, s, d, g }) => {
          const b = new NetworkBuilder('p');
          const x = b.input('x', [1, 2 * c, 12, 12]);
          const y = b.conv('a', x, { outChannels: 2 * c, kernel: 1 });
          b.conv('b', y, { outChannels: 2 * k, kernel: r, stride: s, dilation: d, padding: Math.floor(((r - 1) * d) / 2), groups: g });
          const ops = trainingOps(b.build()).filter((o): o is MacOp => o.kind === 'mac' && o.layer === 'b');
          const fwd = ops.find((o) => o.phase === 'forward')!.macs;
          expect(sum(ops.filter((o) => o.phase === 'backward-data').map((o) => o.macs))).toBe(fwd);
          expect(ops.find((o) => o.phase === 'backward-weight')!.macs).toBe(fwd);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a network filtered with --only conv', () => {
  it('keeps backward-data of every conv but the first, no loss, no vector ops but the updates', () => {
    const full = resnet18(1);
    const net = filterLayers(full, (l) => layerMatchesKind(l, 'conv'));
    const ops = trainingOps(net);
    const fwd = macsOf(inferenceOps(net));
    expect(macsOf(ops)).toBe(3 * fwd - conv(3, 64, 7, 112));
    expect(ops.filter((o) => o.kind === 'vector').every((o) => o.phase === 'update')).toBe(true);
    expect(ops.filter((o) => o.phase === 'update')).toHaveLength(20);
  });
});

describe("weightGradient: 'convolution'", () => {
  it('the same MACs as a convolution whose filter is dY; operand sizes are dY, padded X and dW', () => {
    const b = new NetworkBuilder('s2');
    const x = b.input('x', [2, 8, 16, 16]);
    const y = b.conv('c0', x, { outChannels: 8, kernel: 1 });
    b.conv('c1', y, { outChannels: 4, kernel: 3, stride: 2, padding: 1 });
    const net = b.build();
    const red = trainingOps(net).find((o): o is MacOp => o.kind === 'mac' && o.name === 'c1:bwd-weight')!;
    const cnv = trainingOps(net, { weightGradient: 'convolution' }).find((o): o is MacOp => o.kind === 'mac' && o.name === 'c1:bwd-weight')!;
    expect(cnv.macs).toBe(red.macs);
    expect(cnv.operands.map((o) => `${o.tensor}/${o.projection}`)).toEqual(['grad-outputs/filter', 'inputs/window', 'grad-weights/output']);
    // N' = C = 8, K = 4, C' = N = 2, P'×Q' = 3×3 taps, R'×S' = 8×8 output positions, stride 1 (dilation), dilation 2 (stride).
    expect([...cnv.bounds, cnv.strideH, cnv.dilationH]).toEqual([8, 1, 4, 2, 3, 3, 8, 8, 1, 2]);
    expect(operandSize(cnv, 0)).toBe(2 * 4 * 8 * 8); // dY
    expect(operandSize(cnv, 1)).toBe(operandSize(red, 1)); // the padded input window: 2 × 8 × 17 × 17
    expect(operandSize(cnv, 2)).toBe(4 * 8 * 3 * 3); // dW
  });

  it('all of VGG-16 keeps its MAC count', () => {
    const net = vgg16(1);
    expect(macsOf(trainingOps(net, { weightGradient: 'convolution' }))).toBe(macsOf(trainingOps(net)));
  });
});

describe('clipped padding (SCALE-Sim edge convention): the stashed input holds only the rows in memory', () => {
  it('forward, backward-weight and its convolution form read the same clipped window (hand case)', () => {
    // 10×10 input, 3×3 stride 2, one row/column of bottom/right padding not in memory: P = Q = ⌊(10 + 1 − 3)/2⌋ + 1 = 5,
    // whose windows span (5 − 1)·2 + 3 = 11 rows; 10 are present, so X is 2 images × 2 channels × 10 × 10 = 400.
    const b = new NetworkBuilder('clipped');
    const x = b.input('x', [2, 4, 10, 10]);
    const y = b.conv('c0', x, { outChannels: 2, kernel: 1 });
    b.conv('c1', y, { outChannels: 4, kernel: 3, stride: 2, padding: [0, 0, 1, 1], clipPadding: true });
    const ops = trainingOps(b.build()).filter((o): o is MacOp => o.kind === 'mac' && o.layer === 'c1');
    const fwd = ops.find((o) => o.phase === 'forward')!;
    const red = ops.find((o) => o.phase === 'backward-weight')!;
    const cnv = red.equivalents![0];
    expect(fwd.bounds.slice(4, 6)).toEqual([5, 5]);
    for (const op of [fwd, red, cnv]) {
      expect([op.inputRows, op.inputCols], op.name).toEqual([10, 10]);
      expect(operandSize(op, 1), op.name).toBe(2 * 2 * 10 * 10);
      expect(op.macs).toBe(fwd.macs);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { alexnet, bertBase, bertEncoder, mobilenetv2, resnet18, resnet50, vgg16 } from '../src/index.js';
import { macsByLayer, totalMacs } from './helpers.js';

const INT16 = { precision: 'int16' } as const;

// Hand-written MAC formulas from the layer shapes: conv = K·(C/groups)·R·S·P·Q, fc = in·out.
const conv = (cin: number, cout: number, k: number, hw: number, groups = 1) => (cin / groups) * cout * k * k * hw * hw;

describe('AlexNet (two-group, 227×227, as in Eyeriss)', () => {
  const net = alexnet(1, INT16);
  it('has the per-layer MACs of the Eyeriss paper', () => {
    const m = macsByLayer(net);
    expect(m.get('CONV1')).toBe(96 * 3 * 11 * 11 * 55 * 55); // 105,415,200
    expect(m.get('CONV2')).toBe(256 * 48 * 5 * 5 * 27 * 27); // 223,948,800
    expect(m.get('CONV3')).toBe(384 * 256 * 3 * 3 * 13 * 13); // 149,520,384
    expect(m.get('CONV4')).toBe(384 * 192 * 3 * 3 * 13 * 13); // 112,140,288
    expect(m.get('CONV5')).toBe(256 * 192 * 3 * 3 * 13 * 13); // 74,760,192
    expect(m.get('FC6')).toBe(256 * 6 * 6 * 4096);
    expect(m.get('FC7')).toBe(4096 * 4096);
    expect(m.get('FC8')).toBe(4096 * 1000);
  });
  it('CONV1–5 = 665,784,864 MACs and the whole net 724,406,816', () => {
    expect(totalMacs(net, 'conv2d')).toBe(665_784_864);
    expect(totalMacs(net)).toBe(724_406_816);
  });
  it('has the Eyeriss output sizes, LRNs and ReLUs', () => {
    const out = (n: string) => net.tensors.get(n)!.shape;
    expect(out('CONV1')).toEqual([1, 96, 55, 55]);
    expect(out('CONV2')).toEqual([1, 256, 27, 27]);
    expect(out('CONV5')).toEqual([1, 256, 13, 13]);
    expect(out('POOL5')).toEqual([1, 256, 6, 6]);
    expect(net.layers.filter((l) => l.kind === 'norm').map((l) => l.name)).toEqual(['LRN1', 'LRN2']);
    expect(net.layers.filter((l) => l.kind === 'eltwise' && l.params.op === 'relu')).toHaveLength(7);
  });
});

describe('VGG-16 (torchvision)', () => {
  it('= 15,470,264,320 MACs', () => {
    const convs =
      conv(3, 64, 3, 224) + conv(64, 64, 3, 224) +
      conv(64, 128, 3, 112) + conv(128, 128, 3, 112) +
      conv(128, 256, 3, 56) + 2 * conv(256, 256, 3, 56) +
      conv(256, 512, 3, 28) + 2 * conv(512, 512, 3, 28) +
      3 * conv(512, 512, 3, 14);
    const fcs = 512 * 7 * 7 * 4096 + 4096 * 4096 + 4096 * 1000;
    const net = vgg16(1, INT16);
    expect(totalMacs(net, 'conv2d')).toBe(convs);
    expect(totalMacs(net)).toBe(convs + fcs);
    expect(convs + fcs).toBe(15_470_264_320);
  });
});

describe('ResNet-18 (torchvision)', () => {
  it('= 1,814,073,344 MACs', () => {
    const expected =
      conv(3, 64, 7, 112) +
      4 * conv(64, 64, 3, 56) +
      conv(64, 128, 3, 28) + 3 * conv(128, 128, 3, 28) + conv(64, 128, 1, 28) +
      conv(128, 256, 3, 14) + 3 * conv(256, 256, 3, 14) + conv(128, 256, 1, 14) +
      conv(256, 512, 3, 7) + 3 * conv(512, 512, 3, 7) + conv(256, 512, 1, 7) +
      512 * 1000;
    expect(totalMacs(resnet18(1, INT16))).toBe(expected);
    expect(expected).toBe(1_814_073_344);
  });
  it('has residual adds with two inputs, batch norms and 1×1 downsample convs', () => {
    const net = resnet18(1, INT16);
    const adds = net.layers.filter((l) => l.kind === 'eltwise' && l.params.op === 'add');
    expect(adds).toHaveLength(8);
    for (const a of adds) expect(a.inputs).toHaveLength(2);
    expect(net.layers.filter((l) => l.kind === 'norm' && l.params.mode === 'batch')).toHaveLength(20);
    expect(net.layers.filter((l) => l.name.endsWith('downsample.0')).map((l) => l.name)).toEqual(['layer2.0.downsample.0', 'layer3.0.downsample.0', 'layer4.0.downsample.0']);
    expect(net.tensors.get('avgpool')!.shape).toEqual([1, 512, 1, 1]);
  });
});

describe('ResNet-50 (torchvision, v1.5)', () => {
  it('= 4,089,184,256 MACs', () => {
    let expected = conv(3, 64, 7, 112) + 2048 * 1000;
    // [planes, blocks, input size, output size, input channels]
    const stages = [
      [64, 3, 56, 56, 64],
      [128, 4, 56, 28, 256],
      [256, 6, 28, 14, 512],
      [512, 3, 14, 7, 1024],
    ];
    for (const [p, n, hin, hout, cin] of stages) {
      expected += conv(cin, p, 1, hin) + conv(p, p, 3, hout) + conv(p, 4 * p, 1, hout) + conv(cin, 4 * p, 1, hout);
      expected += (n - 1) * (conv(4 * p, p, 1, hout) + conv(p, p, 3, hout) + conv(p, 4 * p, 1, hout));
    }
    expect(totalMacs(resnet50(1, INT16))).toBe(expected);
    expect(expected).toBe(4_089_184_256);
  });
});

describe('MobileNetV2 (torchvision)', () => {
  it('= 300,774,272 MACs', () => {
    let expected = conv(3, 32, 3, 112);
    let cin = 32;
    let hw = 112;
    for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]) {
      for (let i = 0; i < n; i++) {
        const hidden = cin * t;
        const hout = i === 0 ? hw / s : hw;
        if (t !== 1) expected += conv(cin, hidden, 1, hw);
        expected += conv(hidden, hidden, 3, hout, hidden);
        expected += conv(hidden, c, 1, hout);
        cin = c;
        hw = hout;
      }
    }
    expected += conv(320, 1280, 1, 7) + 1280 * 1000;
    expect(totalMacs(mobilenetv2(1, INT16))).toBe(expected);
    expect(expected).toBe(300_774_272);
  });
  it('has depthwise convs and residual adds only where shapes match', () => {
    const net = mobilenetv2(1, INT16);
    const dw = net.layers.filter((l) => l.kind === 'conv2d' && l.params.groups > 1);
    expect(dw).toHaveLength(17);
    expect(net.layers.filter((l) => l.kind === 'eltwise' && l.params.op === 'add')).toHaveLength(10);
    expect(net.tensors.get('features.18.2')!.shape).toEqual([1, 1280, 7, 7]);
  });
});

describe('BERT-base encoder block', () => {
  const bertMacs = (l: number) => 4 * l * 768 * 768 + 2 * l * l * 768 + 2 * l * 768 * 3072;
  it('= 931,135,488 MACs at 128 tokens and 4,026,531,840 at 512', () => {
    expect(totalMacs(bertBase(1, INT16))).toBe(bertMacs(128));
    expect(bertMacs(128)).toBe(931_135_488);
    expect(totalMacs(bertBase(1, { ...INT16, seqLen: 512 }))).toBe(4_026_531_840);
  });
  it('the full encoder (bert-base) is 12 blocks: 11,173,625,856 MACs at 128 tokens', () => {
    expect(totalMacs(bertEncoder(1, INT16))).toBe(12 * bertMacs(128));
    expect(totalMacs(bertEncoder(1, INT16))).toBe(11_173_625_856);
    expect(macsByLayer(bertEncoder(1, INT16)).get('encoder.11.ffn.output')).toBe(128 * 3072 * 768);
  });
  it('splits the attention matmuls into 12 heads of 64', () => {
    const net = bertBase(2, { ...INT16, seqLen: 64 });
    expect(net.tensors.get('attention.scores')!.shape).toEqual([2, 12 * 64, 64, 1]);
    expect(net.tensors.get('attention.context')!.shape).toEqual([2, 768, 64, 1]);
    const m = macsByLayer(net);
    expect(m.get('attention.scores')).toBe(2 * 12 * 64 * 64 * 64);
    expect(m.get('attention.context')).toBe(2 * 12 * 64 * 64 * 64);
    expect(net.layers.filter((l) => l.kind === 'norm' && l.params.mode === 'layer')).toHaveLength(2);
    expect(net.layers.filter((l) => l.kind === 'softmax')).toHaveLength(1);
  });
});

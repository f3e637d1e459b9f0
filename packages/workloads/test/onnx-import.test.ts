import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferenceOps, NetworkBuilder, TrimUserError, type Network } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../src/onnx/index.js';
import { OnnxModelBuilder } from './onnx-fixtures.js';

/** [layer kind, MACs] of every lowered op, in order. */
function profile(net: Network): [string, number][] {
  return inferenceOps(net).map((op) => [op.layerKind, op.kind === 'mac' ? op.macs : 0]);
}
const macs = (net: Network) => profile(net).reduce((a, [, m]) => a + m, 0);

// ---- ResNet: stem + one down-sampling basic block + classifier ---------------------------------------------------

function resnetOnnx(): Uint8Array {
  const m = new OnnxModelBuilder('resnet-block');
  const x = m.input('image', ['N', 3, 224, 224]);
  const bn = (t: string, c: number, name: string) =>
    m.node('BatchNormalization', [t, m.weight(`${name}.s`, [c]), m.weight(`${name}.b`, [c]), m.weight(`${name}.m`, [c]), m.weight(`${name}.v`, [c])], {}, name);
  let t = m.node('Conv', [x, m.weight('conv1.w', [64, 3, 7, 7])], { kernel_shape: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] }, 'conv1');
  t = m.node('Relu', [bn(t, 64, 'bn1')], {}, 'relu1');
  const stem = m.node('MaxPool', [t], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, 'maxpool');
  let y = m.node('Conv', [stem, m.weight('b.conv1.w', [128, 64, 3, 3]), m.weight('b.conv1.b', [128])], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, 'block.conv1');
  y = m.node('Relu', [bn(y, 128, 'block.bn1')], {}, 'block.relu1');
  y = m.node('Conv', [y, m.weight('b.conv2.w', [128, 128, 3, 3])], { kernel_shape: [3, 3], auto_pad: 'SAME_UPPER' }, 'block.conv2');
  y = bn(y, 128, 'block.bn2');
  let s = m.node('Conv', [stem, m.weight('b.down.w', [128, 64, 1, 1])], { strides: [2, 2] }, 'block.downsample');
  s = bn(s, 128, 'block.downsample.bn');
  let o = m.node('Add', [y, s], {}, 'block.add');
  o = m.node('Relu', [o], {}, 'block.relu2');
  o = m.node('Conv', [o, m.weight('dw.w', [128, 1, 3, 3])], { group: 128, kernel_shape: [3, 3], pads: [2, 2, 2, 2], dilations: [2, 2] }, 'depthwise');
  o = m.node('GlobalAveragePool', [o], {}, 'avgpool');
  o = m.node('Flatten', [o], { axis: 1 }, 'flatten');
  o = m.node('Gemm', [o, m.weight('fc.w', [1000, 128]), m.weight('fc.b', [1000])], { transB: 1 }, 'fc');
  m.output(o);
  return m.encode();
}

function resnetBuilt(batch: number): Network {
  const b = new NetworkBuilder('resnet-block');
  const x = b.input('image', [batch, 3, 224, 224]);
  let t = b.conv('conv1', x, { outChannels: 64, kernel: 7, stride: 2, padding: 3 });
  t = b.relu('relu1', b.norm('bn1', t, 'batch'));
  const stem = b.pool('maxpool', t, { mode: 'max', kernel: 3, stride: 2, padding: 1 });
  let y = b.conv('block.conv1', stem, { outChannels: 128, kernel: 3, stride: 2, padding: 1 });
  y = b.relu('block.relu1', b.norm('block.bn1', y, 'batch'));
  y = b.norm('block.bn2', b.conv('block.conv2', y, { outChannels: 128, kernel: 3, padding: 1 }), 'batch');
  const s = b.norm('block.downsample.bn', b.conv('block.downsample', stem, { outChannels: 128, kernel: 1, stride: 2 }), 'batch');
  let o = b.relu('block.relu2', b.add2('block.add', y, s));
  o = b.conv('depthwise', o, { outChannels: 128, kernel: 3, padding: 2, dilation: 2, groups: 128 });
  o = b.flatten('flatten', b.pool('avgpool', o, { mode: 'avg', global: true }));
  b.linear('fc', o, 1000);
  return b.build();
}

// ---- Transformer encoder block (BERT-style, post-LN) -------------------------------------------------------------

const D = 64;
const HEADS = 4;
const DH = D / HEADS;
const FFN = 256;
const L = 16;

/** GELU as one Gelu node, a bare Erf, or the exact GELU around Erf as torch (opset < 20) or HF's BERT write it. */
type GeluForm = 'Gelu' | 'Erf' | 'erf-torch' | 'erf-hf';

function gelu(m: OnnxModelBuilder, x: string, form: GeluForm): string {
  if (form === 'Gelu' || form === 'Erf') return m.node(form, [x], {}, form === 'Erf' ? 'gelu_erf' : 'gelu');
  const onePlusErf = m.node('Add', [m.node('Erf', [m.node('Div', [x, m.weight('sqrt2', [])], {}, 'gelu/div')], {}, 'gelu/erf'), m.weight('one', [])], {}, 'gelu/add');
  if (form === 'erf-torch') return m.node('Mul', [m.node('Mul', [x, onePlusErf], {}, 'gelu/mul'), m.weight('half', [])], {}, 'gelu');
  return m.node('Mul', [m.node('Mul', [x, m.weight('half', [])], {}, 'gelu/half'), onePlusErf], {}, 'gelu');
}

function encoderOnnx(opts: { gelu?: GeluForm } = {}): Uint8Array {
  const m = new OnnxModelBuilder('encoder');
  const x = m.input('tokens', ['batch', L, D]);
  const split = m.ints('split', [0, 0, HEADS, DH]);
  const merged = m.ints('merged', [0, 0, D]);
  const proj = (name: string, from: string, out: number, inF = D) => m.node('Add', [m.node('MatMul', [from, m.weight(`${name}.w`, [inF, out])], {}, name), m.weight(`${name}.b`, [out])], {}, `${name}.bias`);
  const q = m.node('Transpose', [m.node('Reshape', [proj('query', x, D), split])], { perm: [0, 2, 1, 3] });
  const k = m.node('Transpose', [m.node('Reshape', [proj('key', x, D), split])], { perm: [0, 2, 3, 1] });
  const v = m.node('Transpose', [m.node('Reshape', [proj('value', x, D), split])], { perm: [0, 2, 1, 3] });
  let s = m.node('MatMul', [q, k], {}, 'scores');
  s = m.node('Div', [s, m.weight('sqrt_d', [])], {}, 'scale');
  const p = m.node('Softmax', [s], { axis: -1 }, 'softmax');
  let c = m.node('MatMul', [p, v], {}, 'context');
  c = m.node('Reshape', [m.node('Transpose', [c], { perm: [0, 2, 1, 3] }), merged]);
  let o = proj('attn_out', c, D);
  o = m.node('Add', [o, x], {}, 'attn_residual');
  const h = m.node('LayerNormalization', [o, m.weight('ln1.s', [D]), m.weight('ln1.b', [D])], { axis: -1 }, 'ln1');
  let f = proj('ffn1', h, FFN);
  f = gelu(m, f, opts.gelu ?? 'Gelu');
  f = proj('ffn2', f, D, FFN);
  f = m.node('Add', [f, h], {}, 'ffn_residual');
  m.output(m.node('LayerNormalization', [f, m.weight('ln2.s', [D]), m.weight('ln2.b', [D])], { axis: -1 }, 'ln2'));
  return m.encode();
}

/** [name, MACs] of the encoder's MAC layers by hand, per sequence: Q/K/V/out L·D², scores and context h·L²·dh, FFN L·D·F. */
function encoderMacs(batch: number): [string, number][] {
  const proj = batch * L * D * D;
  const perHead = batch * HEADS * L * L * DH;
  return [
    ['query', proj],
    ['key', proj],
    ['value', proj],
    ['scores', perHead],
    ['context', perHead],
    ['attn_out', proj],
    ['ffn1', batch * L * D * FFN],
    ['ffn2', batch * L * FFN * D],
  ];
}

// ---- MobileNet-style block: ReLU6 (Clip), depthwise, squeeze-excitation, ceil-mode pooling, view ops ---------------

function mobileOnnx(): Uint8Array {
  const m = new OnnxModelBuilder('mobile-block', 13);
  const x = m.input('x', ['N', 16, 32, 32]);
  const lo = m.node('Constant', [], { value_float: { float: 0 } }, 'clip.min');
  const hi = m.node('Constant', [], { value_float: { float: 6 } }, 'clip.max');
  let t = m.node('Conv', [x, m.weight('expand.w', [64, 16, 1, 1])], {}, 'expand');
  t = m.node('BatchNormalization', [t, m.weight('bn.s', [64]), m.weight('bn.b', [64]), m.weight('bn.m', [64]), m.weight('bn.v', [64])], {}, 'bn');
  t = m.node('Clip', [t, lo, hi], {}, 'relu6a');
  t = m.node('Conv', [t, m.weight('dw.w', [64, 1, 3, 3])], { group: 64, strides: [2, 2], auto_pad: 'SAME_UPPER' }, 'dw');
  t = m.node('Clip', [t, lo, hi], {}, 'relu6b');
  let se = m.node('GlobalAveragePool', [t], {}, 'se.pool');
  se = m.node('Relu', [m.node('Conv', [se, m.weight('se1.w', [16, 64, 1, 1])], {}, 'se.reduce')], {}, 'se.relu');
  se = m.node('Sigmoid', [m.node('Conv', [se, m.weight('se2.w', [64, 16, 1, 1])], {}, 'se.expand')], {}, 'se.gate');
  t = m.node('Mul', [t, se], {}, 'se.scale');
  t = m.node('Conv', [t, m.weight('project.w', [24, 64, 1, 1])], {}, 'project');
  t = m.node('AveragePool', [t], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, 'avgpool');
  t = m.node('Dropout', [t], {}, 'dropout');
  t = m.node('Reshape', [t, m.node('Constant', [], { value_ints: [0, -1] }, 'shape')], {}, 'flatten');
  t = m.node('Unsqueeze', [t, m.ints('axes', [2, 3])], {}, 'unsqueeze');
  t = m.node('Squeeze', [t, m.ints('axes2', [2, 3])], {}, 'squeeze');
  t = m.node('Identity', [m.node('Tanh', [t], {}, 'tanh')], {}, 'identity');
  m.output(m.node('Gemm', [t, m.weight('fc.w', [24 * 8 * 8, 10])], {}, 'fc'));
  return m.encode();
}

function mobileBuilt(batch: number): Network {
  const b = new NetworkBuilder('mobile-block');
  const x = b.input('x', [batch, 16, 32, 32]);
  let t = b.eltwise('relu6a', [b.norm('bn', b.conv('expand', x, { outChannels: 64, kernel: 1 }), 'batch')], 'relu6');
  t = b.eltwise('relu6b', [b.conv('dw', t, { outChannels: 64, kernel: 3, stride: 2, padding: [0, 0, 1, 1], groups: 64 })], 'relu6');
  let se = b.pool('se.pool', t, { mode: 'avg', global: true });
  se = b.relu('se.relu', b.conv('se.reduce', se, { outChannels: 16, kernel: 1 }));
  b.eltwise('se.gate', [b.conv('se.expand', se, { outChannels: 64, kernel: 1 })], 'sigmoid');
  t = b.eltwise('se.scale', [t], 'mul');
  t = b.pool('avgpool', b.conv('project', t, { outChannels: 24, kernel: 1 }), { mode: 'avg', kernel: 3, stride: 2, ceil: true });
  t = b.eltwise('tanh', [b.flatten('flatten', t)], 'tanh');
  b.linear('fc', t, 10);
  return b.build();
}

describe('loadOnnx', () => {
  it('imports a ResNet stem + basic block with the MACs of the same network built by hand', () => {
    const net = loadOnnx(resnetOnnx(), { batch: 2, precision: 'int16' });
    expect(profile(net)).toEqual(profile(resnetBuilt(2)));
    expect(net.tensors.get('fc')?.shape).toEqual([2, 1000, 1, 1]);
    expect(net.layers.find((l) => l.name === 'block.conv2')?.kind).toBe('conv2d');
    // conv1 by hand: 64·3·7·7 MACs at each of 112·112 outputs, per image.
    expect(profile(net)[0][1]).toBe(2 * 64 * 3 * 49 * 112 * 112);
  });

  it('imports a transformer encoder block: per-head Q·Kᵀ and A·V, biases and scaling folded', () => {
    const net = loadOnnx(encoderOnnx(), { batch: 3, precision: 'int16' });
    expect(inferenceOps(net).filter((op) => op.kind === 'mac').map((op) => [op.layer, op.kind === 'mac' ? op.macs : 0])).toEqual(encoderMacs(3));
    // Q·Kᵀ is an einsum over batch, heads, query rows, key columns and the head width (the transposed K is a view).
    const scores = net.layers.find((l) => l.name === 'scores');
    expect(scores?.kind === 'einsum' && scores.params.dims).toEqual([['x0', 3], ['x1', HEADS], ['m', L], ['n', L], ['k', DH]]);
    // Biases and the 1/√d scale are folded into their MAC layers; the LayerNorms have γ and β.
    expect(net.layers.filter((l) => l.kind === 'eltwise').map((l) => l.name)).toEqual(['attn_residual', 'gelu', 'ffn_residual']);
    expect(net.layers.find((l) => l.name === 'ln1')).toMatchObject({ kind: 'norm', params: { mode: 'layer', affineFeatures: D } });
    // BERT's per-sequence count: 4·L·D² + 2·L²·D + 2·L·D·F.
    expect(macs(net)).toBe(3 * (4 * L * D * D + 2 * L * L * D + 2 * L * D * FFN));
  });

  it('imports a MobileNet-style block: Clip as ReLU6, SAME padding, squeeze-excitation, ceil pooling, view ops', () => {
    const net = loadOnnx(mobileOnnx(), { batch: 2, precision: 'int16' });
    expect(profile(net)).toEqual(profile(mobileBuilt(2)));
    expect(net.layers.map((l) => l.kind)).toEqual(mobileBuilt(2).layers.map((l) => l.kind));
    expect(net.tensors.get('avgpool')?.shape).toEqual([2, 24, 8, 8]);
    expect(net.tensors.get('dw')?.shape).toEqual([2, 64, 16, 16]);
  });

  it('builds every tensor at options.precision: the float32 initializers are how the file stores weights, not the datapath format', () => {
    for (const precision of ['int8', 'fp16', 'fp32'] as const) {
      const net = loadOnnx(encoderOnnx(), { batch: 1, precision });
      for (const t of net.tensors.values()) expect(t.precision, t.name).toBe(precision);
      const bytes = { int8: 1, fp16: 2, fp32: 4 }[precision];
      for (const op of inferenceOps(net)) if (op.kind === 'mac') expect(op.operands.map((o) => o.bytes)).toEqual([bytes, bytes, bytes]);
    }
  });

  it('reads a .onnx file from disk; a symbolic batch takes options.batch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-onnx-'));
    const file = join(dir, 'block.onnx');
    writeFileSync(file, encoderOnnx());
    expect(macs(loadOnnx(file, { batch: 4, precision: 'int16' }))).toBe(4 * macs(loadOnnx(file, { batch: 1, precision: 'int16' })));
    expect(() => loadOnnx(join(dir, 'missing.onnx'), { batch: 1, precision: 'int16' })).toThrow(/missing\.onnx: cannot read it: no such file or folder \(ENOENT\)$/);
  });

  it('refuses every unsupported operator in one error naming op types and nodes', () => {
    const m = new OnnxModelBuilder('bad');
    const x = m.input('x', [1, 8, 4, 4]);
    let t = m.node('Erf', [x], {}, 'gelu/erf');
    t = m.node('Shape', [t], {}, 'shape_a');
    t = m.node('Shape', [t], {}, 'shape_b');
    t = m.node('Relu', [t], {}, 'fine');
    m.node('FusedGemm', [t], {}, 'fused', 'com.microsoft');
    let err: unknown;
    try {
      loadOnnx(m.encode(), { batch: 1, precision: 'int16' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrimUserError);
    const msg = (err as Error).message;
    expect(msg).toContain('Erf (gelu/erf)');
    expect(msg).toContain('Shape (shape_a, shape_b)');
    expect(msg).toContain('com.microsoft.FusedGemm (fused)');
    expect(msg).not.toContain('Relu');
    expect(msg).toMatch(/opset ≥ 20/);
  });

  it('reads the exact GELU written around Erf (torch and HF forms) as one gelu layer; refuses a bare Erf', () => {
    const withGelu = loadOnnx(encoderOnnx(), { batch: 1, precision: 'int16' });
    for (const form of ['erf-torch', 'erf-hf'] as const) {
      const net = loadOnnx(encoderOnnx({ gelu: form }), { batch: 1, precision: 'int16' });
      expect(net.layers.map((l) => [l.name, l.kind])).toEqual(withGelu.layers.map((l) => [l.name, l.kind]));
      expect(macs(net)).toBe(macs(withGelu));
    }
    expect(() => loadOnnx(encoderOnnx({ gelu: 'Erf' }), { batch: 1, precision: 'int16' })).toThrow(/unsupported operators: Erf \(gelu_erf\)/);
  });

  it('reads a reshape that mixes dimensions as a view layer; refuses symbolic token dims without seqLen and non-ONNX bytes', () => {
    const m = new OnnxModelBuilder('mix');
    const x = m.input('x', [1, 16, 64]);
    m.node('Relu', [m.node('Reshape', [x, m.ints('s', [1, 64, 16])], {}, 'swap')], {}, 'r');
    const mixed = loadOnnx(m.encode(), { batch: 1, precision: 'int16' });
    expect(mixed.layers.map((l) => [l.name, l.kind])).toEqual([['swap', 'view'], ['r', 'eltwise']]);
    expect(mixed.tensors.get('swap')?.shape).toEqual([1, 64, 16]);

    const s = new OnnxModelBuilder('sym');
    s.node('Relu', [s.input('x', ['batch', 'seq', 64])], {}, 'r');
    expect(() => loadOnnx(s.encode(), { batch: 1, precision: 'int16' })).toThrow(/symbolic dimension 1 \("seq"\)/);
    expect(loadOnnx(s.encode(), { batch: 2, precision: 'int16', seqLen: 8 }).tensors.get('x')?.shape).toEqual([2, 8, 64]);

    expect(() => loadOnnx(new Uint8Array([0xff, 0xff, 0xff, 0x0f]), { batch: 1, precision: 'int16' })).toThrow(TrimUserError);
  });

  it('refuses activation products whose inner sizes differ, naming the node', () => {
    const m = new OnnxModelBuilder('bad-mm');
    const a = m.input('a', [1, 16, 64]);
    const b = m.input('b', [1, 16, 64]);
    m.node('MatMul', [a, b], {}, 'aa');
    expect(() => loadOnnx(m.encode(), { batch: 1, precision: 'int16' })).toThrow(/ONNX node aa \(MatMul\): 1×16×64 · 1×16×64: inner sizes differ \(64 and 16\)/);
  });
});

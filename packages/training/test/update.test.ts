import { evaluateVector, TrimUserError, type MacOp, type Op, type VectorOp } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { paramCount, trainingOps, trainingStep, type TrainingConfigInput } from '../src/index.js';
import { generic16, sum } from './helpers.js';
import { resnet18, vgg16 } from './nets.js';

const hw = generic16();
const updates = (ops: readonly Op[]) => ops.filter((o): o is VectorOp => o.kind === 'vector' && o.phase === 'update');
const updateDramBytes = (ops: readonly Op[]) => sum(updates(ops).map((o) => evaluateVector(o, hw).dramBytes));

describe('optimizer update', () => {
  const net = vgg16(1, 'fp16');
  const weights = sum(trainingStep(net).graph.layers.map((l) => paramCount(trainingStep(net).graph, l)));

  it('VGG-16 has 138.3 M weights (biases not modelled): 13 convs + 3 fc', () => {
    expect(weights).toBe(138_344_128);
  });

  it('SGD reads w and g and writes w: 3 weight-sized transfers of 2 bytes', () => {
    expect(updateDramBytes(trainingOps(net, { optimizer: 'sgd' }))).toBe(weights * 3 * 2);
  });

  it('SGD → momentum → Adam: one and two state tensors read and written (×5/3, ×7/3)', () => {
    const sgd = updateDramBytes(trainingOps(net, { optimizer: 'sgd' }));
    const mom = updateDramBytes(trainingOps(net, { optimizer: 'momentum' }));
    const adam = updateDramBytes(trainingOps(net, { optimizer: 'adam' }));
    expect(mom / sgd).toBe(5 / 3);
    expect(adam / sgd).toBe(7 / 3);
  });

  it('mixed precision: fp32 master read and written, bf16 working copy written, bf16 gradient, fp32 state', () => {
    const cfg = (optimizer: 'sgd' | 'adam'): TrainingConfigInput => ({
      optimizer,
      precision: { activations: 'bf16', weights: 'bf16', gradients: 'bf16', masterWeights: 'fp32', optimizerState: 'fp32' },
    });
    // SGD: 4 (master r) + 2 (grad r) + 4 (master w) + 2 (copy w) = 12 bytes per weight; Adam adds 2 × (4 r + 4 w).
    expect(updateDramBytes(trainingOps(net, cfg('sgd')))).toBe(weights * 12);
    expect(updateDramBytes(trainingOps(net, cfg('adam')))).toBe(weights * 28);
    const op = updates(trainingOps(net, cfg('adam'))).find((o) => o.layer === 'fc6')!;
    expect(op.reads.map((r) => `${r.tensor}:${r.bytes}`)).toEqual(['weights:4', 'grad-weights:2', 'optimizer-state:4', 'optimizer-state:4']);
    expect(op.writes.map((r) => `${r.tensor}:${r.bytes}`)).toEqual(['weights:4', 'optimizer-state:4', 'optimizer-state:4', 'weights:2']);
  });

  it('batch-norm γ and β are updated too (2 per channel)', () => {
    const ops = updates(trainingOps(resnet18(1), { optimizer: 'adam' }));
    expect(ops.find((o) => o.layer === 'bn1')!.reads[0].elements).toBe(128);
  });
});

describe('precision per tensor per phase', () => {
  const fp32 = resnet18(2, 'fp32');
  const mixed: TrainingConfigInput = { precision: { activations: 'bf16', weights: 'bf16', gradients: 'bf16', masterWeights: 'fp32', optimizerState: 'fp32' } };
  const a = trainingOps(fp32, {});
  const b = trainingOps(fp32, mixed);

  it('mixed precision changes bytes, not MACs', () => {
    expect(b.map((o) => o.name)).toEqual(a.map((o) => o.name));
    const macs = (ops: Op[]) => ops.map((o) => (o.kind === 'mac' ? o.macs : 0));
    expect(macs(b)).toEqual(macs(a));
    const bytes = (ops: Op[]) => sum(ops.map((o) => (o.kind === 'mac' ? sum(o.operands.map((x) => x.bytes)) : sum([...o.reads, ...o.writes].map((x) => x.bytes)))));
    expect(bytes(b)).toBeLessThan(bytes(a));
    const conv = b.find((o): o is MacOp => o.kind === 'mac' && o.name === 'layer1.0.conv1:bwd-weight')!;
    expect(conv.operands.map((o) => o.bytes)).toEqual([2, 2, 2]);
  });

  it('defaults to the network precision everywhere', () => {
    for (const o of a) {
      if (o.kind === 'mac') expect(o.operands.every((x) => x.bytes === 4)).toBe(true);
      else expect([...o.reads, ...o.writes].every((x) => x.bytes === 4)).toBe(true);
    }
  });

  it('a phase override applies to that phase only', () => {
    const ops = trainingOps(fp32, { phasePrecision: { 'backward-weight': { gradients: 'fp16' } } });
    const bw = ops.find((o): o is MacOp => o.kind === 'mac' && o.name === 'fc:bwd-weight')!;
    const bd = ops.find((o): o is MacOp => o.kind === 'mac' && o.name === 'fc:bwd-data')!;
    expect(bw.operands.map((o) => o.bytes)).toEqual([2, 4, 2]);
    expect(bd.operands.map((o) => o.bytes)).toEqual([4, 4, 4]);
  });

  it('rejects unknown options with the field named', () => {
    expect(() => trainingOps(fp32, { optimizer: 'rmsprop' } as never)).toThrow(TrimUserError);
    expect(() => trainingOps(fp32, { optimizer: 'rmsprop' } as never)).toThrow(/phase training: field optimizer/);
    expect(() => trainingOps(fp32, { precision: { activation: 'bf16' } } as never)).toThrow(/field precision/);
  });
});

describe('mixed-precision shorthand', () => {
  it('mixed: bf16 equals the explicit bf16/fp32 split; explicit fields still win', () => {
    const net = resnet18(1, 'fp32');
    const explicit = trainingOps(net, { optimizer: 'adam', precision: { activations: 'bf16', weights: 'bf16', gradients: 'bf16', masterWeights: 'fp32', optimizerState: 'fp32' } });
    expect(trainingOps(net, { optimizer: 'adam', mixed: 'bf16' })).toEqual(explicit);
    const ops = trainingOps(net, { mixed: 'bf16', precision: { gradients: 'fp32' } });
    const bw = ops.find((o): o is MacOp => o.kind === 'mac' && o.name === 'fc:bwd-weight')!;
    expect(bw.operands.map((o) => o.bytes)).toEqual([4, 2, 4]);
  });
});

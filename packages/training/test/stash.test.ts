import { NetworkBuilder, type MacOp, type Op } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { stepFootprint, trainingFootprint, trainingStep } from '../src/index.js';
import { sum } from './helpers.js';
import { resnet18, vgg16 } from './nets.js';

const macs = (ops: readonly Op[]) => sum(ops.map((o) => (o.kind === 'mac' ? o.macs : 0)));

/** x → conv a (4→4, 3×3, pad 1) → relu r → conv b; 16-bit: every activation 512 B, every weight gradient 288 B. */
function tiny() {
  const b = new NetworkBuilder('tiny', 'int16');
  const x = b.input('x', [1, 4, 8, 8]);
  const a = b.conv('a', x, { outChannels: 4, kernel: 3, padding: 1 });
  const r = b.relu('r', a);
  b.conv('b', r, { outChannels: 4, kernel: 3, padding: 1 });
  return b.build();
}

describe('activation stash', () => {
  it('keeps what backward reads: relu output (for relu and for b’s dW) and b’s output (for the loss)', () => {
    const s = trainingStep(tiny());
    expect([...s.stash.entries()].sort()).toEqual([['b', 512], ['r', 512]]);
    expect(s.ops.map((o) => o.name)).toEqual(['a', 'r', 'b', 'loss', 'b:bwd-data', 'b:bwd-weight', 'r:bwd-data', 'a:bwd-weight', 'a:update', 'b:update']);
  });

  it('footprint, hand-worked: all in DRAM, then a 1 KiB buffer keeping the short hand-offs', () => {
    // Live at b:bwd-weight: x, r, grad:b, grad:r (512 B each) + dW of b (288 B) = 2336; weights 2 × 288 B.
    expect(trainingFootprint(tiny(), {}, 0)).toEqual({ peakOnChipBytes: 0, peakOffChipBytes: 576 + 2336, stashBytes: 1024, parameterBytes: 576 });
    // On chip: a, b, grad:a, dW of a, grad:b, grad:r; r (live from forward to backward) and dW of b spill.
    expect(trainingFootprint(tiny(), {}, 1024)).toEqual({ peakOnChipBytes: 1024, peakOffChipBytes: 576 + 512 + 512 + 288, stashBytes: 1024, parameterBytes: 576 });
    // Adam adds two state tensors per weight to the DRAM-resident parameters.
    expect(trainingFootprint(tiny(), { optimizer: 'adam' }, 0).parameterBytes).toBe(3 * 576);
  });
});

describe('recompute: checkpoint-blocks', () => {
  it('VGG-16: stages end at the pools; every conv runs twice; the stash shrinks to the checkpoints and the last block', () => {
    const net = vgg16(1);
    const none = trainingStep(net);
    const ckpt = trainingStep(net, { recompute: 'checkpoint-blocks' });
    expect(ckpt.blocks.map((b) => b.checkpoint)).toEqual(['pool1', 'pool2', 'pool3', 'pool4', 'pool5', 'softmax']);
    const convMacs = sum(none.ops.filter((o): o is MacOp => o.kind === 'mac' && o.phase === 'forward' && o.layerKind === 'conv2d').map((o) => o.macs));
    expect(macs(ckpt.ops) - macs(none.ops)).toBe(convMacs);
    expect(ckpt.ops.filter((o) => o.name.endsWith(':recompute')).every((o) => o.phase === 'forward')).toBe(true);
    const bytes = (m: ReadonlyMap<string, number>) => sum([...m.values()]);
    expect(bytes(ckpt.stash)).toBeLessThan(bytes(none.stash) / 5);
    expect([...ckpt.stash.keys()]).toContain('pool4');
    expect([...ckpt.stash.keys()]).not.toContain('relu13');
  });

  it('ResNet-18: blocks end at residual-block inputs; batch 16 peak DRAM footprint falls', () => {
    const net = resnet18(16);
    const ckpt = trainingStep(net, { recompute: 'checkpoint-blocks' });
    expect(ckpt.blocks.map((b) => b.checkpoint).slice(0, 3)).toEqual(['maxpool', 'layer1.0.relu2', 'layer1.1.relu2']);
    const a = trainingFootprint(net, {}, 0);
    const b = trainingFootprint(net, { recompute: 'checkpoint-blocks' }, 0);
    expect(b.stashBytes).toBeLessThan(a.stashBytes);
    expect(b.peakOffChipBytes).toBeLessThan(a.peakOffChipBytes);
  });
});

describe('stepFootprint: what a step keeps in memory, read off its ops', () => {
  it('tiny, hand-worked: 2 × 288 B weights and gradients, stash 1 KiB, live peak 2,336 B at b:bwd-weight', () => {
    const f = stepFootprint(trainingStep(tiny()).ops);
    // Live at b:bwd-weight: x, r, grad:b, grad:r (512 B each) + dW of b (288 B) = 2336 B; SGD keeps no state.
    expect(f).toEqual({
      weightsBytes: 576,
      masterWeightsBytes: 0,
      weightGradientBytes: 576,
      optimizerStateBytes: 0,
      stashBytes: 1024,
      peakLiveBytes: 2336,
      peakAt: 'b:bwd-weight',
      peakBytes: 576 + 2336,
    });
  });

  it('Adam keeps two moments per weight; mixed precision adds an fp32 master copy and fp32 state', () => {
    const adam = stepFootprint(trainingStep(tiny(), { optimizer: 'adam' }).ops);
    expect(adam.optimizerStateBytes).toBe(2 * 576);
    expect(adam.peakBytes).toBe(576 + 2 * 576 + 2336);
    // 288 weights at fp16 (2 B) to work with, at fp32 (4 B) as the master copy and for both of Adam's moments.
    const mixed = stepFootprint(trainingStep(tiny(), { optimizer: 'adam', mixed: 'fp16' }).ops);
    expect([mixed.weightsBytes, mixed.masterWeightsBytes, mixed.optimizerStateBytes]).toEqual([576, 2 * 4 * 144, 2 * 2 * 4 * 144]);
  });
});

import { corePlugin, inferenceOps, loadNetwork, Registry, type MacOp, type Op } from '@trim-dse/core';
import training, { trainingOps } from '@trim-dse/training';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/** The training phase model on the real zoo (moved here from packages/training: plug-ins never import each other). */
const registry = new Registry().use(corePlugin).use(workloads).use(training);
const macs = (ops: readonly Op[], phase?: string) => ops.reduce((a, o) => a + (o.kind === 'mac' && (!phase || o.phase === phase) ? o.macs : 0), 0);

describe.each([
  // Forward MACs per image: the torchvision figures (packages/workloads README, recomputed in its tests).
  ['resnet18', 1_814_073_344],
  ['vgg16', 15_470_264_320],
])('built-in %s', (name, handForward) => {
  it('training MACs = forward + backward-data (all but the first layer) + backward-weight', async () => {
    const net = await loadNetwork(registry, name, 1, 'int16');
    const fwd = macs(inferenceOps(net));
    expect(fwd).toBe(handForward);
    const first = (inferenceOps(net).find((o) => o.kind === 'mac') as MacOp).macs;
    const ops = trainingOps(net);
    expect(macs(ops, 'backward-data')).toBe(fwd - first);
    expect(macs(ops, 'backward-weight')).toBe(fwd);
    expect(macs(ops)).toBe(3 * fwd - first);
  });
});

describe('precision: the network is built at the requested precision, the phase model decides mixed precision', () => {
  it('bf16 network, mixed bf16: working tensors 2 bytes, the Adam update reads and writes fp32 master weights and state', async () => {
    const net = await loadNetwork(registry, 'resnet18', 1, 'bf16');
    for (const t of net.tensors.values()) expect(t.precision).toBe('bf16');
    const ops = trainingOps(net, { optimizer: 'adam', mixed: 'bf16' });
    for (const o of ops) if (o.kind === 'mac') for (const x of o.operands) expect(x.bytes).toBe(2);
    const update = ops.find((o) => o.name === 'conv1:update');
    if (update?.kind !== 'vector') throw new Error('conv1:update missing');
    // Reads: master w (4 B), grad (2 B), m and v (4 B each); writes: master w, m, v (4 B) and the bf16 copy (2 B).
    expect(update.reads.map((r) => r.bytes)).toEqual([4, 2, 4, 4]);
    expect(update.writes.map((w) => w.bytes)).toEqual([4, 4, 4, 2]);
  });

  it('int8 network without mixed precision: every tensor of the step is 1 byte', async () => {
    const ops = trainingOps(await loadNetwork(registry, 'alexnet', 1, 'int8'), { optimizer: 'momentum' });
    for (const o of ops) {
      if (o.kind === 'mac') for (const x of o.operands) expect(x.bytes).toBe(1);
      else for (const a of [...o.reads, ...o.writes]) expect(a.bytes).toBe(1);
    }
  });
});

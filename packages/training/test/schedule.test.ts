import { inferenceOps, scheduleNetwork, totalsOf } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';
import { phaseSummary, trainingOps } from '../src/index.js';
import { genericWithGlb, priceAll, reportAll } from './helpers.js';
import { resnet18 } from './nets.js';

describe('inter-layer hand-off on ResNet-18', () => {
  const net = resnet18(1);
  const ops = inferenceOps(net);

  it('inference: a 32 MB global buffer keeps every hand-off on chip and cuts DRAM traffic', () => {
    const hw = genericWithGlb(16 * 1024 * 1024);
    const costs = priceAll(ops, hw);
    const results = reportAll(costs, hw);
    const base = scheduleNetwork(net, ops, costs, hw, { policy: 'layer-by-layer' });
    const on = scheduleNetwork(net, ops, costs, hw, { policy: 'on-chip-handoff' });
    const scheduled = reportAll(on.results, hw);
    expect(base.savedDramBytes).toBe(0);
    expect(base.dramBytes).toBe(totalsOf(results, hw, 256).dramBytes);
    // Every activation with a consumer stays on chip (the largest, conv1's 112×112×64 output, is 1.6 MB).
    expect(on.tensors.every((t) => t.onChip)).toBe(true);
    expect(on.savedDramBytes).toBeGreaterThan(0.3 * on.baselineDramBytes);
    expect(on.dramBytes).toBeCloseTo(totalsOf(scheduled, hw, 256).dramBytes, 3);
    expect(totalsOf(scheduled, hw, 256).energyPj).toBeLessThan(totalsOf(results, hw, 256).energyPj);
    console.log(`ResNet-18 inference DRAM: layer-by-layer ${(on.baselineDramBytes / 1e6).toFixed(2)} MB, on-chip hand-off ${(on.dramBytes / 1e6).toFixed(2)} MB`);
  });

  it('inference: a buffer smaller than every activation (960 B) changes nothing', () => {
    const hw = genericWithGlb(480, 4);
    const costs = priceAll(ops, hw);
    const on = scheduleNetwork(net, ops, costs, hw, { policy: 'on-chip-handoff' });
    expect(on.savedDramBytes).toBe(0);
    expect(reportAll(on.results, hw)).toEqual(reportAll(costs, hw));
  });

  it('training: the hand-off also keeps gradients and part of the stash on chip; per-phase summary', () => {
    const hw = genericWithGlb(16 * 1024 * 1024);
    const tops = trainingOps(net, { optimizer: 'adam' });
    const costs = priceAll(tops, hw);
    const results = reportAll(costs, hw);
    const on = scheduleNetwork(net, tops, costs, hw, { policy: 'on-chip-handoff' });
    const scheduled = reportAll(on.results, hw);
    expect(on.savedDramBytes).toBeGreaterThan(0);
    expect(on.peakOnChipBytes).toBeLessThanOrEqual(32 * 1024 * 1024);
    scheduled.forEach((r, i) => {
      expect(r.dramBytes).toBeGreaterThanOrEqual(0);
      expect(r.dramBytes).toBeLessThanOrEqual(results[i].dramBytes);
      expect(r.cycles).toBeGreaterThanOrEqual(r.computeCycles);
      expect(r.energyPj.total).toBeLessThanOrEqual(results[i].energyPj.total);
      expect(r.macs).toBe(results[i].macs);
    });
    // Every weight gradient handed off on chip is one the update no longer reads from DRAM.
    const keptGrads = on.tensors.filter((t) => t.onChip && t.tensor.startsWith('grad-weights:'));
    expect(keptGrads.length).toBeGreaterThan(0);
    const s = phaseSummary(scheduled);
    expect(Object.keys(s).sort()).toEqual(['backward-data', 'backward-weight', 'forward', 'update']);
    expect(s.update!.macs).toBe(0);
    console.log(`ResNet-18 training (Adam) DRAM: layer-by-layer ${(on.baselineDramBytes / 1e6).toFixed(2)} MB, on-chip hand-off ${(on.dramBytes / 1e6).toFixed(2)} MB`);
    console.log(JSON.stringify(s));
  });
});

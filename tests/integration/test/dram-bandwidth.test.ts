import { evaluateRequest, Port, type MemoryLevel, type Registry } from '@trim-dse/core';
import { createRegistry } from '@trim-dse/cli';
import { beforeAll, describe, expect, it } from 'vitest';

let registry: Registry;
beforeAll(async () => {
  registry = await createRegistry();
});

/** A float-sum slack (bytes and cycles are exact; the spec in bytes per cycle may not be). */
const SLACK = 1 + 1e-9;

/**
 * The DRAM spec as bytes per second, per port: what the level's port model lets it move. `shared`: reads + writes
 * on one port; `split`: reads and writes each on their own; `per-operand`: each operand's reads + writes on its own.
 */
function fits(dram: MemoryLevel, clockMHz: number, readBytes: readonly number[], writeBytes: readonly number[], seconds: number): { need: number; spec: number } {
  const perSecond = (bytesPerCycle: number) => bytesPerCycle * clockMHz * 1e6;
  const r = readBytes.reduce((a, b) => a + b, 0);
  const w = writeBytes.reduce((a, b) => a + b, 0);
  switch (dram.port) {
    case Port.Shared:
      return { need: (r + w) / seconds, spec: perSecond(dram.readBytesPerCycle) };
    case Port.Split:
      return r / perSecond(dram.readBytesPerCycle) >= w / perSecond(dram.writeBytesPerCycle)
        ? { need: r / seconds, spec: perSecond(dram.readBytesPerCycle) }
        : { need: w / seconds, spec: perSecond(dram.writeBytesPerCycle) };
    case Port.PerOperand: {
      const busiest = Math.max(readBytes[0] + writeBytes[0], readBytes[1] + writeBytes[1], readBytes[2] + writeBytes[2]);
      return { need: busiest / seconds, spec: perSecond(dram.readBytesPerCycle) };
    }
  }
}

// Every layer shape class of the zoo (large and strided convs, 3×3 and 1×1 stacks, depthwise, residual adds, GEMMs and
// attention: one BERT-base encoder block). VGG-16 and ResNet-50 repeat these shapes at 3–4× the time; core's invariants (invariants.ts: each
// level's port time at the op's cycles) still check them on every result they give.
const WORKLOADS = ['alexnet', 'resnet18', 'mobilenetv2', 'bert-base-block'];

describe('on every built-in architecture and zoo workload, no layer moves DRAM bytes faster than the DRAM spec', () => {
  it('lists the built-ins it covers', () => {
    expect(registry.architectures.entries().length).toBeGreaterThanOrEqual(7);
    for (const w of WORKLOADS) expect(registry.workloadSources.values().some((s) => s.builtins?.includes(w))).toBe(true);
  });
  for (const arch of ['generic-16x16', 'tpu-v1', 'systolic-8x8', 'systolic-32x32', 'systolic-128x128', 'eyeriss', 'zhang-fpga15-vc707']) {
    it(arch, async () => {
      let checked = 0;
      let peakShare = 0;
      let bounded = false;
      // As trim eval runs (fused: a group's row carries its epilogues' traffic in the head's time), and the first
      // workload also layer by layer.
      for (const [workload, fusion] of [[WORKLOADS[0], 'none'] as const, ...WORKLOADS.map((w) => [w, 'full'] as const)]) {
        const r = await evaluateRequest(registry, { arch, workload, fusion });
        const dram = r.hardware.levels[r.hardware.levels.length - 1];
        const top = (r.hardware.levels.length - 1) * 3;
        r.costs.forEach((c, i) => {
          const seconds = c.cost.cycles / (r.clockMHz * 1e6);
          if (seconds === 0) return;
          const reads = [c.cost.readBytes[top], c.cost.readBytes[top + 1], c.cost.readBytes[top + 2]];
          const writes = [c.cost.writeBytes[top], c.cost.writeBytes[top + 1], c.cost.writeBytes[top + 2]];
          const { need, spec } = fits(dram, r.clockMHz, reads, writes, seconds);
          expect(need, `${arch} ${workload} ${r.layers[i].name}`).toBeLessThanOrEqual(spec * SLACK);
          if (Number.isFinite(spec)) {
            bounded = true;
            peakShare = Math.max(peakShare, need / spec);
          }
          checked++;
        });
      }
      expect(checked).toBeGreaterThan(100);
      // With a finite DRAM link some layers run at it: the check is not vacuous.
      if (bounded) expect(peakShare).toBeGreaterThan(0.5);
    });
  }
});

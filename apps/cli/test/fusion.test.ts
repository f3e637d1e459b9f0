import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trim } from './run-cli.js';

interface Doc {
  totals: { cycles: number; energyPj: number; dramBytes: number };
  interlayer: { fusion?: { mode: string; savedDramBytes: number; groups: Array<{ head: string; members: string[]; kinds: string[]; onPath: unknown[]; stored: unknown[] }> } };
  layers: Array<{ name: string; layerKind: string; macs: number; dramBytes: number; fusedInto?: string; fused?: string[]; accesses: Record<string, Record<string, { reads: number; writes: number }>> }>;
}

const seen = new Map<string, Doc>();
/** `trim eval … --format json` (each distinct command run once per file). */
const run = (args: string[]): Doc => {
  const key = args.join(' ');
  const known = seen.get(key);
  if (known) return known;
  const r = trim(['eval', ...args, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as Doc;
  seen.set(key, doc);
  return doc;
};

describe('--fusion: epilogues on the producer\'s output path', () => {
  // ResNet-18 at 16 bits: 11,689,512 parameters (convs, BatchNorm γ/β, fc) + the 3×224×224 input + 1,000 logits.
  const compulsory = (11_689_512 + 3 * 224 * 224 + 1000) * 2;

  it('ResNet-18 on generic-16x16: full ≤ epilogue ≤ none in DRAM bytes, never below the compulsory traffic', () => {
    const none = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'none']);
    const epi = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'epilogue']);
    const full = run(['--arch', 'generic-16x16', '--workload', 'resnet18']);
    expect(none.interlayer.fusion).toBeUndefined();
    expect(epi.totals.dramBytes).toBeLessThan(none.totals.dramBytes);
    expect(full.totals.dramBytes).toBeLessThanOrEqual(epi.totals.dramBytes);
    expect(full.totals.dramBytes).toBeGreaterThanOrEqual(compulsory);
    expect(full.interlayer.fusion?.mode).toBe('full');
    expect(full.interlayer.fusion?.savedDramBytes).toBe(none.totals.dramBytes - full.totals.dramBytes);
    // The stem: conv1 → bn1 → relu → maxpool is one group; the three fused rows are empty and point at conv1.
    const g = full.interlayer.fusion!.groups[0];
    expect(g).toMatchObject({ head: 'conv1', members: ['bn1', 'relu', 'maxpool'], kinds: ['bias', 'activation', 'pool'] });
    expect(g.onPath).toHaveLength(3);
    for (const name of g.members) expect(full.layers.find((l) => l.name === name)).toMatchObject({ fusedInto: 'conv1', dramBytes: 0 });
    expect(full.layers.find((l) => l.name === 'conv1')?.fused).toEqual(g.members);
    // MACs are unchanged by fusion.
    const macs = (d: Doc) => d.layers.reduce((a, l) => a + l.macs, 0);
    expect(macs(full)).toBe(macs(none));
  });

  it('an architecture can switch its output path off (epilogue.kinds: []), which is --fusion none', () => {
    const off = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--set', 'epilogue.kinds=[]']);
    const none = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'none']);
    expect(off.totals).toEqual(none.totals);
    expect(off.interlayer.fusion?.groups).toEqual([]);
  });

  it('TPU v1 has no residual add on its output path: the adds run alone, their ReLUs fuse into them', () => {
    const d = run(['--arch', 'tpu-v1', '--workload', 'resnet18']);
    const add = d.layers.find((l) => l.name === 'layer1.0.add')!;
    expect(add.fusedInto).toBeUndefined();
    expect(add.fused).toEqual(['layer1.0.relu2']);
  });

  it('training: a BatchNorm needs its batch statistics and is not fused; what fusion must store for the backward pass is listed', () => {
    const t = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--phase', 'training']);
    const groups = t.interlayer.fusion!.groups;
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.kinds).not.toContain('bias');
    // The forward ReLUs fuse into their BatchNorm; their inputs (the BatchNorm outputs) are stored for the backward.
    expect(groups.some((g) => g.stored.length > 0)).toBe(true);
  });

  it('explore: fusion is a search dimension; each point keeps its best mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-fusion-'));
    writeFileSync(
      join(dir, 'space.yaml'),
      ['template: generic', 'base: generic-16x16', 'parameters:', '  clockMHz: [500]', 'fusion: [none, epilogue]', 'workloads:', '  - { workload: resnet18 }', 'goal: energy'].join('\n'),
    );
    const ex = trim(['explore', '--space', join(dir, 'space.yaml'), '--quiet', '--format', 'json', '--out', join(dir, 'r.jsonl')]);
    expect(ex.stderr).toBe('');
    expect(ex.code).toBe(0);
    const best = (JSON.parse(ex.stdout) as { best: { totals: Doc['totals'] } }).best;
    const epi = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'epilogue', '--goal', 'energy']);
    const none = run(['--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'none', '--goal', 'energy']);
    expect(epi.totals.energyPj).toBeLessThan(none.totals.energyPj);
    expect(best.totals.energyPj).toBe(epi.totals.energyPj);
  });

  it('fused attention (full): a LLaMA-3-8B prefill of 2048 tokens on tpu-v1 moves no score or probability through DRAM', () => {
    const args = ['--arch', 'tpu-v1', '--workload', 'llama3-8b', '--phase', 'prefill', '--seq', '2048'];
    const full = run(args);
    const epi = run([...args, '--fusion', 'epilogue']);
    const groups = full.interlayer.fusion!.groups as Array<{ head: string; members: string[]; attention?: { context: string; kvPasses: number } }>;
    const attention = groups.filter((g) => g.attention);
    expect(attention).toHaveLength(32);
    for (const g of attention) {
      const scores = full.layers.find((l) => l.name === g.head)!;
      const context = full.layers.find((l) => l.name === g.attention!.context)!;
      // The scores op writes nothing to DRAM (S stays in the buffer), the softmax row is empty (fused into it), and
      // the context op reads only V from DRAM (P is read from the buffer).
      expect(Object.keys(scores.accesses.dram)).not.toContain('outputs');
      expect(full.layers.find((l) => l.name === g.members[0])).toMatchObject({ fusedInto: g.head, dramBytes: 0 });
      expect(Object.keys(context.accesses.dram)).not.toContain('inputs');
    }
    expect(full.totals.dramBytes).toBeLessThan(epi.totals.dramBytes);
    // Unfused, every layer's S (32 heads × 2048²) is written and read back: at least 2 × 32 × 2048² bytes (int8) more.
    expect(epi.totals.dramBytes - full.totals.dramBytes).toBeGreaterThan(32 * 2 * 32 * 2048 * 2048);
  });

  it('training with selective recompute: FlashAttention forward and backward — P, its dropout and mask, dP and dS never reach DRAM', () => {
    const args = ['--arch', 'generic-16x16', '--workload', 'gpt2-small', '--phase', 'training', '--seq', '64', '--recompute', 'selective'];
    const full = run(args);
    const epi = run([...args, '--fusion', 'epilogue']);
    type Group = { head: string; attention?: unknown; flashBackward?: { ops: string[]; onChip: string[] } };
    const groups = full.interlayer.fusion!.groups as Group[];
    expect(groups.filter((g) => g.attention)).toHaveLength(12); // the forward cores, dropout included
    const flash = groups.filter((g) => g.flashBackward);
    expect(flash).toHaveLength(12);
    expect(flash[0].flashBackward!.onChip).toEqual(expect.arrayContaining(['grad:h11.attn.softmax', 'grad:h11.attn.scores']));
    const phaseDram = (d: Doc, phase: string) => d.layers.filter((l) => (l as unknown as { phase: string }).phase === phase).reduce((a, l) => a + l.dramBytes, 0);
    expect(phaseDram(full, 'forward')).toBeLessThan(phaseDram(epi, 'forward'));
    expect(phaseDram(full, 'backward-data')).toBeLessThan(phaseDram(epi, 'backward-data'));
    expect(full.totals.dramBytes).toBeLessThan(epi.totals.dramBytes);
  });

  it('a wrong mode is one line naming the flag', () => {
    const r = trim(['eval', '--arch', 'generic-16x16', '--workload', 'resnet18', '--fusion', 'some']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--fusion/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

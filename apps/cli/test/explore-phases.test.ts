import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../src/capture.js';

interface Totals {
  cycles: number;
  energyPj: number;
  dramBytes: number;
  macs: number;
}

const ok = async (argv: string[]) => {
  const r = await runCaptured([...argv, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};
const evalTotals = async (argv: string[]) => (await ok(['eval', ...argv])).totals as Totals;
const bestTotals = async (argv: string[]) => ((await ok(['explore', ...argv])).best as { totals: Totals }).totals;

/** A one-point generic space (the base itself), with these workload entries. */
function space(workloads: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'trim-explore-phases-'));
  const file = join(dir, 'one.yaml');
  writeFileSync(file, ['name: one-point', 'template: generic', 'base: generic-16x16', 'parameters:', "  'levels.glb.fanout.x': [16]", ...(workloads.length ? ['workloads:', ...workloads.map((w) => `  - ${w}`)] : [])].join('\n'));
  return file;
}

const same = (a: Totals, b: Totals) => {
  expect(a.cycles).toBe(b.cycles);
  expect(a.energyPj).toBe(b.energyPj);
  expect(a.dramBytes).toBe(b.dramBytes);
};

describe('trim explore with prefill and decode: each point is trim eval of it', () => {
  it('a space file workload { phase: prefill, seq: 32 } equals trim eval --phase prefill --seq 32 to the last digit', async () => {
    const ex = await bestTotals(['--space', space(['{ workload: gpt2-small, phase: prefill, seq: 32 }'])]);
    const ev = await evalTotals(['--workload', 'gpt2-small', '--phase', 'prefill', '--seq', '32']);
    same(ex, ev);
    // The prompt is 32 tokens, not the model's 1024.
    expect(ev.macs).toBe((await evalTotals(['--workload', 'gpt2-small', '--seq', '32'])).macs);
  });

  it('--workload --phase decode --context 64 equals trim eval with the same flags; the space file form too', async () => {
    const flags = ['--workload', 'gpt2-small', '--phase', 'decode', '--context', '64'];
    const ev = await evalTotals(flags);
    same(await bestTotals(['--space', space([]), ...flags]), ev);
    same(await bestTotals(['--space', space(['{ workload: gpt2-small, phase: decode, context: 64 }'])]), ev);
    // 64 keys, not 8: the context reached the workload.
    expect(ev.macs).toBeGreaterThan((await evalTotals(['--workload', 'gpt2-small', '--phase', 'decode', '--context', '8'])).macs);
  });

  it('bad input: one line naming the field and the fix, exit 1', async () => {
    for (const [argv, msg] of [
      [['--space', space([]), '--workload', 'gpt2-small', '--phase', 'decode', '--seq', '8'], /^trim: --seq sets the prompt length; a decode step has one new token: use --context/],
      [['--space', space([]), '--workload', 'gpt2-small', '--context', '8'], /^trim: --context applies only with --phase decode/],
      [['--space', space(['{ workload: gpt2-small }']), '--seq', '8'], /^trim: --seq applies to the --workload: give --workload, or set seq in the space file's workloads/],
      [['--space', space(['{ workload: gpt2-small, context: 8 }'])], /workloads\[0\]\.context applies only to the decode phase/],
      [['--space', space(['{ workload: gpt2-small, phase: decode, seq: 8 }'])], /workloads\[0\]\.seq sets the prompt length; a decode step has one new token/],
    ] as const) {
      const r = await runCaptured(['explore', ...argv, '--quiet']);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('network-file layer kinds conv1d/2d/3d, convtranspose and moe train (through trim eval)', () => {
  it('every new kind has its backward: --phase training = 3 × forward − the first layers’ input gradients', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-kinds-'));
    const file = join(dir, 'kinds.yaml');
    writeFileSync(
      file,
      [
        'network: kinds',
        'inputs:',
        '  - { name: sig, shape: [batch, 4, 16] }',
        '  - { name: img, shape: [batch, 2, 6, 6] }',
        '  - { name: vol, shape: [batch, 2, 5, 6, 6] }',
        '  - { name: tok, shape: [batch, 8, 16] }',
        'layers:',
        '  - { kind: conv1d, name: c1a, input: sig, out: 4, kernel: 1 }',
        '  - { kind: conv1d, name: c1, out: 8, kernel: 3, padding: 1 }',
        '  - { kind: convtranspose, name: t1, out: 4, kernel: 4, stride: 2, padding: 1 }',
        '  - { kind: conv2d, name: c2a, input: img, out: 2, kernel: 1 }',
        '  - { kind: conv2d, name: c2, out: 4, kernel: 3, stride: 2, padding: 1 }',
        '  - { kind: convtranspose, name: t2, out: 2, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }',
        '  - { kind: conv3d, name: c3a, input: vol, out: 2, kernel: 1 }',
        '  - { kind: conv3d, name: c3, out: 4, kernel: 3, stride: [1, 2, 2] }',
        '  - { kind: convtranspose, name: t3, out: 2, kernel: 2, stride: 2 }',
        '  - { kind: linear, name: lin, input: tok, out: 16 }',
        '  - { kind: moe, name: m, experts: 4, topK: 2, hidden: 32 }',
      ].join('\n'),
    );
    const fwd = await evalTotals(['--workload', file]);
    // c1 8·4·16·3, c2 4·2·3·3·9, c3 4·2·(3·2·2)·27; convtranspose t1 8·4·16·4, t2 4·2·9·9, t3 4·2·12·8; moe (8 tokens, k 2, E 4: 4 rows each): router 8·16·4,
    // gate/up/down 3 × 4·4·16·32, combine 8·2·16; the 1-tap layers 256 + 144 + 720 and lin 2048.
    const first = 256 + 144 + 720 + 2048;
    expect(fwd.macs).toBe(1536 + 648 + 2592 + 2048 + 648 + 768 + 512 + 3 * 8192 + 256 + first);
    // The first layer of each branch reads a network input: no input gradient there.
    expect((await evalTotals(['--workload', file, '--phase', 'training'])).macs).toBe(3 * fwd.macs - first);
  });
});

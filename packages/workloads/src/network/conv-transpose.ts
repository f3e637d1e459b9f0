import { TrimUserError, type NetworkBuilder } from '@trim-dse/core';
import type { ConvFields } from './conv.js';

export interface ConvTransposeFields extends ConvFields {
  readonly outputPadding: number | readonly number[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The kernel taps of one axis grouped by the output phase they write (the training package's `tapClasses` for a
 * conv's backward-data, which is this same product): a transposed conv writes out[i·stride + r·dilation]; taps r with
 * the same r·dilation mod stride land on one stride-phase of the output, a stride-1 correlation over the input with
 * dilation dilation/g (g = gcd(stride, dilation)). Σ taps = kernel: every MAC falls in exactly one class.
 */
export function tapClasses(kernel: number, stride: number, dilation: number): Array<{ taps: number; dilation: number }> {
  const step = stride / gcd(stride, dilation);
  const out: Array<{ taps: number; dilation: number }> = [];
  for (let r0 = 0; r0 < Math.min(kernel, step); r0++) out.push({ taps: Math.ceil((kernel - r0) / step), dilation: dilation / gcd(stride, dilation) });
  return out;
}

/**
 * A transposed convolution (PyTorch `ConvTranspose1d/2d/3d`) on `[N, C, …spatial]` (1–3 spatial axes): output size
 * (I − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1 per axis.
 *
 * MACs, the direct (scatter) convention of PyTorch's FLOP counters: N · Cin · Cout/groups · ∏ input · ∏ kernel (every
 * input element times every tap, those landing in the cropped padding included; no multiplication by an inserted
 * zero). Lowered as the stride-phase decomposition (the one the training package uses for a conv's backward-data):
 * per combination of tap classes (`tapClasses`) one stride-1 convolution over the input with that class's taps, its
 * output loop over the input positions (the useful MACs only: the sub-convolutions' MACs add up exactly to the
 * direct count), windows reading (taps − 1)·dilation stored zeros before the input. 1-D and 2-D sub-convolutions are
 * core conv2d layers; 3-D ones einsums, which take no padding, so a 3-D transposed conv needs kernel ≤ stride per
 * axis (one tap per class: 3-D U-Net's 2×2×2 / stride 2). The phases' outputs are interleaved into the output
 * (a concatenation: one copy of the output) and the cropping is a view; so the phases must hold at least the
 * output's elements: kernel + outputPadding ≤ stride + 2·padding per axis (e.g. DCGAN's kernel 4, stride 2,
 * padding 1), else the layer is refused.
 */
export function convTranspose(b: NetworkBuilder, name: string, x: string, f: ConvTransposeFields): string {
  const s = b.shapeOf(x);
  const rank = s.length - 2;
  const fail = (field: string, why: string): never => {
    throw new TrimUserError(`layer ${name}: ${why}`, { field: `${name}.${field}` });
  };
  if (rank < 1 || rank > 3) fail('input', `input "${x}" has shape [${s.join(', ')}]; convtranspose reads [N, C, L], [N, C, H, W] or [N, C, D, H, W]`);
  const axis = (field: keyof ConvTransposeFields): number[] => {
    const v = f[field] as number | readonly number[];
    if (typeof v === 'number') return Array.from({ length: rank }, () => v);
    if (v.length !== rank) fail(field, `${field} has ${v.length} values for ${rank} spatial axes`);
    return [...v];
  };
  const [kernel, stride, padding, outputPadding, dilation] = (['kernel', 'stride', 'padding', 'outputPadding', 'dilation'] as const).map(axis);
  const [n, c] = s;
  const inPos = s.slice(2);
  const g = f.groups;
  if (c % g !== 0 || f.out % g !== 0) fail('groups', `channels ${c} in and ${f.out} out must divide into ${g} groups`);
  outputPadding.forEach((op, i) => {
    if (op >= Math.max(stride[i], dilation[i])) fail('outputPadding', `outputPadding ${op} must be smaller than stride or dilation (${Math.max(stride[i], dilation[i])})`);
  });
  const outPos = inPos.map((len, i) => (len - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1);
  if (outPos.some((o) => o < 1)) fail('padding', `padding ${padding.join(',')} crops the whole ${outPos.join('×')} output`);
  const classes = kernel.map((k, i) => tapClasses(k, stride[i], dilation[i]));
  const phases = classes.reduce((a, cl) => a * cl.length, 1);
  const prod = (v: readonly number[]) => v.reduce((a, d) => a * d, 1);
  if (phases * prod(inPos) < prod(outPos)) {
    fail('kernel', `its ${outPos.join('×')} output is more than the ${phases} stride phases of ${inPos.join('×')} (kernel + outputPadding > stride + 2·padding): core has no form for it`);
  }

  const input = rank === 1 ? b.view(`${name}.2d`, x, 'reshape', [n, c, 1, inPos[0]]) : x;
  const outs: string[] = [];
  // Every combination of one tap class per axis (the last axis fastest).
  const combos: number[][] = classes.reduce<number[][]>((acc, cl) => acc.flatMap((p) => cl.map((_, j) => [...p, j])), [[]]);
  for (const combo of combos) {
    const sub = phases === 1 ? name : `${name}[${combo.join(',')}]`;
    const cls = combo.map((j, i) => classes[i][j]);
    if (rank === 3) {
      // Per phase a stride-1 correlation over the input, its window reading (taps − 1)·dilation stored zeros before
      // the input (an einsum input read through a padded window): y[n,g,k,d,p,q] = Σ x[n,g,c,d+t·δ,…] · W[g,k,c,t,…].
      const gc = g > 1 ? 'g ' : '';
      const pos = ['d', 'p', 'q'];
      const tap = ['t', 'r', 's'];
      const dims: Array<[string, number]> = [['n', n], ...(g > 1 ? [['g', g] as [string, number]] : []), ['k', f.out / g], ['c', c / g], ...pos.map((d, i) => [d, inPos[i]] as [string, number])];
      cls.forEach((t, i) => {
        if (t.taps > 1) dims.push([tap[i], t.taps]);
      });
      const padded = cls.some((t) => t.taps > 1);
      const axis = (i: number) => (cls[i].taps > 1 ? `${pos[i]}+${tap[i]}*${cls[i].dilation}` : pos[i]);
      const read = padded && g > 1 ? b.view(`${sub}.groups`, x, 'reshape', [n, g, c / g, ...inPos]) : x;
      const pad: Array<readonly [number, number]> = [[0, 0], ...(g > 1 ? [[0, 0] as const] : []), [0, 0], ...cls.map((t) => [(t.taps - 1) * t.dilation, 0] as const)];
      const y = b.einsum(sub, [read], {
        dims,
        axes: [`n ${gc}c ${[0, 1, 2].map(axis).join(' ')}`],
        weightAxes: `${gc}k c ${tap.filter((_, i) => cls[i].taps > 1).join(' ')}`.trim(),
        out: `n ${gc}k d p q`,
        ...(padded ? { pad: [pad] } : {}),
      });
      outs.push(g > 1 ? b.view(`${sub}.channels`, y, 'reshape', [n, f.out, ...inPos]) : y);
      continue;
    }
    const [th, tw] = rank === 1 ? [{ taps: 1, dilation: 1 }, cls[0]] : [cls[0], cls[1]];
    outs.push(
      b.conv(sub, input, {
        outChannels: f.out,
        kernel: [th.taps, tw.taps],
        dilation: [th.dilation, tw.dilation],
        padding: [(th.taps - 1) * th.dilation, (tw.taps - 1) * tw.dilation, 0, 0],
        groups: g,
      }),
    );
  }
  const joined = outs.length === 1 ? outs[0] : b.concat(`${name}.interleave`, outs, 1);
  return b.view(`${name}.crop`, joined, 'slice', [n, f.out, ...outPos]);
}

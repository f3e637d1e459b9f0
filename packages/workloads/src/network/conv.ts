import { TrimUserError, type NetworkBuilder } from '@trim-dse/core';

/** A network file's convolution options, each a number (every spatial axis) or one value per spatial axis. */
export interface ConvFields {
  readonly out: number;
  readonly kernel: number | readonly number[];
  readonly stride: number | readonly number[];
  readonly padding: number | readonly number[];
  readonly dilation: number | readonly number[];
  readonly groups: number;
}

/** One value per spatial axis (`rank` of them) from a number or a list of exactly that length. */
function perAxis(v: number | readonly number[], rank: number, field: string, layer: string): number[] {
  if (typeof v === 'number') return Array.from({ length: rank }, () => v);
  if (v.length !== rank) throw new TrimUserError(`layer ${layer}: ${field} has ${v.length} values for ${rank} spatial axes`, { field: `${layer}.${field}`, fix: `give one number or ${rank}` });
  return [...v];
}

/**
 * conv1d `[N, C, L]` and conv2d `[N, C, H, W]`: core's conv2d layer (the classic conv nest every template prices,
 * with its validated training backward); a 1-D convolution is the 2-D one over a `[N, C, 1, L]` view. Padding is
 * symmetric and stored zeros (conv2d's default), as PyTorch's `Conv1d`/`Conv2d` `padding=p`.
 */
export function convNd(b: NetworkBuilder, name: string, x: string, rank: 1 | 2, f: ConvFields): string {
  const s = b.shapeOf(x);
  if (s.length !== rank + 2) throw new TrimUserError(`layer ${name}: input "${x}" has shape [${s.join(', ')}]; conv${rank}d reads [N, C, ${rank === 1 ? 'L' : 'H, W'}]`, { field: `${name}.input` });
  const [kernel, stride, padding, dilation] = (['kernel', 'stride', 'padding', 'dilation'] as const).map((k) => perAxis(f[k], rank, k, name));
  const two = (v: number[], one: number): [number, number] => (rank === 1 ? [one, v[0]] : [v[0], v[1]]);
  const input = rank === 1 ? b.view(`${name}.2d`, x, 'reshape', [s[0], s[1], 1, s[2]]) : x;
  const [ph, pw] = two(padding, 0);
  const y = b.conv(name, input, { outChannels: f.out, kernel: two(kernel, 1), stride: two(stride, 1), padding: [ph, pw, ph, pw], dilation: two(dilation, 1), groups: f.groups });
  if (rank === 2) return y;
  const o = b.shapeOf(y);
  return b.view(`${name}.1d`, y, 'reshape', [o[0], o[1], o[3]]);
}

/**
 * conv3d `[N, C, D, H, W]` as an einsum: dims n, g (groups), k (out channels per group), c (in channels per group),
 * d p q (output positions), t r s (kernel taps); each input axis a window `d*stride+t*dilation`. MACs =
 * N · Cout · Cin/groups · ∏ out · ∏ kernel. Padding is symmetric per axis and stored zeros (conv2d's default, PyTorch's
 * `Conv3d` `padding=p`): the einsum reads its input through a padded window (core's `EinsumParams.pad`), the window
 * covering the padded extent. Rows no window reaches (the stride's remainder) are not read: stored rows are left out
 * by a view, trailing padding is not declared.
 */
export function conv3d(b: NetworkBuilder, name: string, x: string, f: ConvFields): string {
  const s = b.shapeOf(x);
  if (s.length !== 5) throw new TrimUserError(`layer ${name}: input "${x}" has shape [${s.join(', ')}]; conv3d reads [N, C, D, H, W]`, { field: `${name}.input` });
  const [kernel, stride, padding, dilation] = (['kernel', 'stride', 'padding', 'dilation'] as const).map((k) => perAxis(f[k], 3, k, name));
  const bad = (field: string, why: string): never => {
    throw new TrimUserError(`layer ${name}: ${why}`, { field: `${name}.${field}` });
  };
  const [n, c] = s;
  const g = f.groups;
  if (c % g !== 0 || f.out % g !== 0) bad('groups', `channels ${c} in and ${f.out} out must divide into ${g} groups`);
  const size = [0, 1, 2].map((i) => s[2 + i]);
  const outPos = [0, 1, 2].map((i) => Math.floor((size[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
  if (outPos.some((o) => o < 1)) bad('kernel', `a ${kernel.join('×')} kernel does not fit the ${size.join('×')} input${padding.some((p) => p > 0) ? ` (with padding ${padding.join(',')})` : ''}`);
  // Per axis, in padded coordinates: the windows reach [0, reach); the stored rows are [pad, pad + size).
  const reach = [0, 1, 2].map((i) => (outPos[i] - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1);
  const rows = [0, 1, 2].map((i) => Math.min(size[i], reach[i] - padding[i]));
  if (rows.some((r) => r < 1)) bad('padding', `padding ${padding.join(',')} is so wide that the windows of some axis read only zeros`);
  const pos = ['d', 'p', 'q'];
  const tap = ['t', 'r', 's'];
  const dims: Array<[string, number]> = [['n', n], ...(g > 1 ? [['g', g] as [string, number]] : []), ['k', f.out / g], ['c', c / g]];
  outPos.forEach((o, i) => dims.push([pos[i], o]));
  kernel.forEach((k, i) => {
    if (k > 1) dims.push([tap[i], k]);
  });
  // An input axis: the window `p*stride + r*dilation` (a 1-tap kernel leaves the strided plain axis `p*stride`).
  const axis = (i: number) => `${pos[i]}*${stride[i]}${kernel[i] > 1 ? `+${tap[i]}*${dilation[i]}` : ''}`;
  const gc = g > 1 ? 'g ' : '';
  const input = rows.every((r, i) => r === size[i]) ? x : b.view(`${name}.window`, x, 'slice', [n, c, ...rows]);
  const padded = padding.some((p) => p > 0);
  // Grouped, the input is read as [n, g, c, …]: its stored shape splits channels (a view), so each axis has its size.
  const read = padded && g > 1 ? b.view(`${name}.groups`, input, 'reshape', [n, g, c / g, ...rows]) : input;
  const pad: Array<readonly [number, number]> = [[0, 0], ...(g > 1 ? [[0, 0] as const] : []), [0, 0], ...[0, 1, 2].map((i) => [padding[i], reach[i] - padding[i] - rows[i]] as const)];
  const y = b.einsum(name, [read], {
    dims,
    axes: [`n ${gc}c ${[0, 1, 2].map(axis).join(' ')}`],
    weightAxes: `${gc}k c ${tap.filter((_, i) => kernel[i] > 1).join(' ')}`.trim(),
    out: `n ${gc}k d p q`,
    ...(padded ? { pad: [pad] } : {}),
  });
  return g > 1 ? b.view(`${name}.channels`, y, 'reshape', [n, f.out, ...outPos]) : y;
}

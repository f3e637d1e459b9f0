import { TrimUserError, type Layer, type Network } from '@trim-dse/core';
import { CONV_COLUMNS, type ScaleSimConvRow } from './topology.js';

function shape(net: Network, tensor: string): readonly number[] {
  const t = net.tensors.get(tensor);
  if (!t) throw new TrimUserError(`network ${net.name}: tensor "${tensor}" is missing`, { field: tensor });
  return t.shape;
}

/** The SCALE-Sim conv rows of one MAC layer (per image; several rows for a multi-head matmul), or none. */
export function scaleSimRowsOf(net: Network, layer: Layer): ScaleSimConvRow[] {
  const [, c, h, w] = shape(net, layer.inputs[0]);
  const [, k, p, q] = shape(net, layer.output);
  const row = (name: string, r: Omit<ScaleSimConvRow, 'kind' | 'name'>): ScaleSimConvRow => ({ kind: 'conv', name, ...r });
  switch (layer.kind) {
    case 'conv2d': {
      const { kernel, stride, dilation, groups } = layer.params;
      if (dilation[0] !== 1 || dilation[1] !== 1) {
        throw new TrimUserError(`layer ${layer.name}: SCALE-Sim topologies cannot express dilation ${dilation.join('×')}`, {
          field: layer.name,
          fix: 'export a network without dilated convolutions',
        });
      }
      // The IFMAP is the padded extent the outputs use, so SCALE-Sim's ⌈(H − R)/s⌉ + 1 gives back exactly P and Q;
      // with `clipPadding` only the top/left padding and the input are in memory (SCALE-Sim's own edge convention).
      // A grouped conv becomes one row whose filters each see C/groups channels: the same MACs and weights.
      const { padding, clipPadding } = layer.params;
      return [
        row(layer.name, {
          ifmapH: clipPadding ? padding[0] + h : (p - 1) * stride[0] + kernel[0],
          ifmapW: clipPadding ? padding[1] + w : (q - 1) * stride[1] + kernel[1],
          filterH: kernel[0],
          filterW: kernel[1],
          channels: c / groups,
          filters: k,
          strideH: stride[0],
          strideW: stride[1],
        }),
      ];
    }
    case 'linear':
      return [row(layer.name, { ifmapH: h, ifmapW: w, filterH: 1, filterW: 1, channels: c, filters: k, strideH: 1, strideW: 1 })];
    case 'matmul': {
      // SCALE-Sim layers are independent GEMMs: one row per head, M = rows, K = per-head reduction, N = columns.
      const { heads } = layer.params;
      const rows: ScaleSimConvRow[] = [];
      for (let i = 0; i < heads; i++) {
        rows.push(row(`${layer.name}.head${i}`, { ifmapH: h, ifmapW: 1, filterH: 1, filterW: 1, channels: c / heads, filters: k / heads, strideH: 1, strideW: 1 }));
      }
      return rows;
    }
    default:
      return [];
  }
}

/**
 * A SCALE-Sim topology CSV (conv form) of the network's MAC layers, per image. Padding is folded into the IFMAP size;
 * a stride-width column is added only to rows whose strides differ.
 */
export function toScaleSimCsv(net: Network): string {
  const lines = [`${CONV_COLUMNS.join(', ')},`];
  for (const layer of net.layers) {
    for (const r of scaleSimRowsOf(net, layer)) {
      if (r.name.includes(',')) throw new TrimUserError(`layer "${r.name}": a SCALE-Sim layer name cannot contain a comma`, { field: r.name });
      const fields = [r.name, r.ifmapH, r.ifmapW, r.filterH, r.filterW, r.channels, r.filters, r.strideH];
      if (r.strideW !== r.strideH) fields.push(r.strideW);
      lines.push(`${fields.join(', ')},`);
    }
  }
  return `${lines.join('\n')}\n`;
}

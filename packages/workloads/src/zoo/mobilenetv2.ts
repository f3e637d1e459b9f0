import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/** Inverted-residual settings [expansion t, channels c, repeats n, first stride s] (Sandler et al., CVPR 2018, Table 2). */
const SETTINGS: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Conv + batch norm + ReLU6, named like torchvision's Conv2dNormActivation (`.0`, `.1`, `.2`). */
function convBnRelu6(b: NetworkBuilder, p: string, x: string, outChannels: number, kernel: number, stride: number, groups = 1): string {
  let y = b.conv(`${p}.0`, x, { outChannels, kernel, stride, padding: (kernel - 1) / 2, groups });
  y = b.norm(`${p}.1`, y, 'batch');
  return b.eltwise(`${p}.2`, [y], 'relu6');
}

function invertedResidual(b: NetworkBuilder, p: string, x: string, outChannels: number, stride: number, expand: number): string {
  const inChannels = b.shapeOf(x)[1];
  const hidden = inChannels * expand;
  let y = x;
  let i = 0;
  if (expand !== 1) y = convBnRelu6(b, `${p}.conv.${i++}`, y, hidden, 1, 1);
  y = convBnRelu6(b, `${p}.conv.${i++}`, y, hidden, 3, stride, hidden);
  y = b.conv(`${p}.conv.${i++}`, y, { outChannels, kernel: 1 });
  y = b.norm(`${p}.conv.${i}`, y, 'batch');
  return stride === 1 && inChannels === outChannels ? b.add2(`${p}.add`, x, y) : y;
}

/**
 * torchvision `mobilenet_v2` (width 1.0), 224×224×3 input; layer names follow torchvision's module paths. Depthwise
 * convs are groups = channels; residual adds are two-input eltwise layers.
 */
export function mobilenetv2(batch: number, options: ZooOptions): Network {
  const b = new NetworkBuilder('mobilenetv2', options.precision);
  let x = b.input('image', [batch, 3, 224, 224]);
  x = convBnRelu6(b, 'features.0', x, 32, 3, 2);
  let f = 1;
  for (const [t, c, n, s] of SETTINGS) {
    for (let i = 0; i < n; i++) x = invertedResidual(b, `features.${f++}`, x, c, i === 0 ? s : 1, t);
  }
  x = convBnRelu6(b, `features.${f}`, x, 1280, 1, 1);
  x = b.pool('avgpool', x, { mode: 'avg', global: true });
  x = b.flatten('flatten', x);
  b.linear('classifier.1', x, 1000);
  return b.build();
}

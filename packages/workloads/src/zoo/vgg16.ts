import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/** torchvision `vgg16` configuration "D": channels per 3×3 conv, 'M' = 2×2 max pool (Simonyan & Zisserman 2015). */
const CONFIG_D: ReadonlyArray<number | 'M'> = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * VGG-16 as torchvision defines it (no batch norm), 224×224×3 input. Layer names follow torchvision's module paths
 * (`features.0`, `classifier.0`, …). The adaptive 7×7 average pool is the identity at 224×224 and is left out; so are
 * the dropouts (inference).
 */
export function vgg16(batch: number, options: ZooOptions): Network {
  const b = new NetworkBuilder('vgg16', options.precision);
  let x = b.input('image', [batch, 3, 224, 224]);
  let i = 0;
  for (const v of CONFIG_D) {
    if (v === 'M') {
      x = b.pool(`features.${i}`, x, { mode: 'max', kernel: 2, stride: 2 });
      i += 1;
    } else {
      x = b.conv(`features.${i}`, x, { outChannels: v, kernel: 3, padding: 1 });
      x = b.relu(`features.${i + 1}`, x);
      i += 2;
    }
  }
  x = b.flatten('flatten', x);
  x = b.linear('classifier.0', x, 4096);
  x = b.relu('classifier.1', x);
  x = b.linear('classifier.3', x, 4096);
  x = b.relu('classifier.4', x);
  b.linear('classifier.6', x, 1000);
  return b.build();
}

import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/**
 * The original two-group AlexNet (Krizhevsky et al., NIPS 2012) with the 227×227×3 input the Eyeriss paper uses
 * (Chen et al., ISSCC 2016 / JSSC 2017): CONV2, CONV4 and CONV5 split their channels into two groups (the two GPUs).
 * CONV1–5 = 665,784,864 MACs per image; with FC6–8, 724,406,816.
 */
export function alexnet(batch: number, options: ZooOptions): Network {
  const b = new NetworkBuilder('alexnet', options.precision);
  let x = b.input('image', [batch, 3, 227, 227]);
  x = b.conv('CONV1', x, { outChannels: 96, kernel: 11, stride: 4 });
  x = b.relu('RELU1', x);
  x = b.norm('LRN1', x, 'lrn');
  x = b.pool('POOL1', x, { mode: 'max', kernel: 3, stride: 2 });
  x = b.conv('CONV2', x, { outChannels: 256, kernel: 5, padding: 2, groups: 2 });
  x = b.relu('RELU2', x);
  x = b.norm('LRN2', x, 'lrn');
  x = b.pool('POOL2', x, { mode: 'max', kernel: 3, stride: 2 });
  x = b.conv('CONV3', x, { outChannels: 384, kernel: 3, padding: 1 });
  x = b.relu('RELU3', x);
  x = b.conv('CONV4', x, { outChannels: 384, kernel: 3, padding: 1, groups: 2 });
  x = b.relu('RELU4', x);
  x = b.conv('CONV5', x, { outChannels: 256, kernel: 3, padding: 1, groups: 2 });
  x = b.relu('RELU5', x);
  x = b.pool('POOL5', x, { mode: 'max', kernel: 3, stride: 2 });
  x = b.flatten('FLATTEN', x);
  x = b.linear('FC6', x, 4096);
  x = b.relu('RELU6', x);
  x = b.linear('FC7', x, 4096);
  x = b.relu('RELU7', x);
  b.linear('FC8', x, 1000);
  return b.build();
}

import { NetworkBuilder, type Network } from '@trim-dse/core';

/**
 * CONV1–CONV5 of the original two-group AlexNet (Krizhevsky et al., NIPS 2012) on a 227×227×3 input, with the
 * pooling between them (pooling runs off the array in Eyeriss's measurements; only the CONV layers are compared).
 */
export function alexnetConv(batch: number): Network {
  const b = new NetworkBuilder('alexnet-conv', 'int16');
  let x = b.input('image', [batch, 3, 227, 227]);
  x = b.conv('CONV1', x, { outChannels: 96, kernel: 11, stride: 4 });
  x = b.pool('POOL1', b.relu('RELU1', x), { mode: 'max', kernel: 3, stride: 2 });
  x = b.conv('CONV2', x, { outChannels: 256, kernel: 5, padding: 2, groups: 2 });
  x = b.pool('POOL2', b.relu('RELU2', x), { mode: 'max', kernel: 3, stride: 2 });
  x = b.conv('CONV3', x, { outChannels: 384, kernel: 3, padding: 1 });
  x = b.conv('CONV4', b.relu('RELU3', x), { outChannels: 384, kernel: 3, padding: 1, groups: 2 });
  b.conv('CONV5', b.relu('RELU4', x), { outChannels: 256, kernel: 3, padding: 1, groups: 2 });
  return b.build();
}

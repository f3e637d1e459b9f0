import { filterLayers, layerMatchesKind, NetworkBuilder, type Network } from '@trim-dse/core';

/**
 * The CONV1–CONV5 of the original two-group AlexNet (Krizhevsky et al. NIPS 2012; 227 × 227 input), the network
 * Zhang et al. FPGA'15 ran: CONV2, CONV4 and CONV5 have two groups. The pooling layers that set the shapes are
 * filtered out (the paper's figures cover the convolutions only).
 */
export function alexnetConvs(): Network {
  const b = new NetworkBuilder('alexnet-2group-conv', 'fp32');
  const x = b.input('image', [1, 3, 227, 227]);
  const c1 = b.conv('conv1', x, { outChannels: 96, kernel: 11, stride: 4 });
  const p1 = b.pool('pool1', c1, { mode: 'max', kernel: 3, stride: 2 });
  const c2 = b.conv('conv2', p1, { outChannels: 256, kernel: 5, padding: 2, groups: 2 });
  const p2 = b.pool('pool2', c2, { mode: 'max', kernel: 3, stride: 2 });
  const c3 = b.conv('conv3', p2, { outChannels: 384, kernel: 3, padding: 1 });
  const c4 = b.conv('conv4', c3, { outChannels: 384, kernel: 3, padding: 1, groups: 2 });
  b.conv('conv5', c4, { outChannels: 256, kernel: 3, padding: 1, groups: 2 });
  return filterLayers(b.build(), (l) => layerMatchesKind(l, 'conv'));
}

import { NetworkBuilder, type Network } from '@trim-dse/core';
import type { ZooOptions } from './options.js';

/** Stem shared by torchvision's ResNets: 7×7/2 conv, batch norm, ReLU, 3×3/2 max pool (He et al., CVPR 2016). */
function stem(b: NetworkBuilder, batch: number): string {
  let x = b.input('image', [batch, 3, 224, 224]);
  x = b.conv('conv1', x, { outChannels: 64, kernel: 7, stride: 2, padding: 3 });
  x = b.norm('bn1', x, 'batch');
  x = b.relu('relu', x);
  return b.pool('maxpool', x, { mode: 'max', kernel: 3, stride: 2, padding: 1 });
}

/** Global average pool, flatten, 1000-way fully connected layer. */
function head(b: NetworkBuilder, x: string): void {
  x = b.pool('avgpool', x, { mode: 'avg', global: true });
  x = b.flatten('flatten', x);
  b.linear('fc', x, 1000);
}

/** 1×1 conv + batch norm on the shortcut when the block changes shape (torchvision `downsample`). */
function shortcut(b: NetworkBuilder, p: string, x: string, outChannels: number, stride: number): string {
  const inChannels = b.shapeOf(x)[1];
  if (stride === 1 && inChannels === outChannels) return x;
  const y = b.conv(`${p}.downsample.0`, x, { outChannels, kernel: 1, stride });
  return b.norm(`${p}.downsample.1`, y, 'batch');
}

function basicBlock(b: NetworkBuilder, p: string, x: string, planes: number, stride: number): string {
  const identity = shortcut(b, p, x, planes, stride);
  let y = b.conv(`${p}.conv1`, x, { outChannels: planes, kernel: 3, stride, padding: 1 });
  y = b.norm(`${p}.bn1`, y, 'batch');
  y = b.relu(`${p}.relu1`, y);
  y = b.conv(`${p}.conv2`, y, { outChannels: planes, kernel: 3, padding: 1 });
  y = b.norm(`${p}.bn2`, y, 'batch');
  y = b.add2(`${p}.add`, y, identity);
  return b.relu(`${p}.relu2`, y);
}

/** torchvision's Bottleneck (ResNet v1.5: the stride sits on the 3×3 conv), expansion 4. */
function bottleneck(b: NetworkBuilder, p: string, x: string, planes: number, stride: number): string {
  const identity = shortcut(b, p, x, planes * 4, stride);
  let y = b.conv(`${p}.conv1`, x, { outChannels: planes, kernel: 1 });
  y = b.norm(`${p}.bn1`, y, 'batch');
  y = b.relu(`${p}.relu1`, y);
  y = b.conv(`${p}.conv2`, y, { outChannels: planes, kernel: 3, stride, padding: 1 });
  y = b.norm(`${p}.bn2`, y, 'batch');
  y = b.relu(`${p}.relu2`, y);
  y = b.conv(`${p}.conv3`, y, { outChannels: planes * 4, kernel: 1 });
  y = b.norm(`${p}.bn3`, y, 'batch');
  y = b.add2(`${p}.add`, y, identity);
  return b.relu(`${p}.relu3`, y);
}

type Block = typeof basicBlock;

function resnet(name: string, block: Block, blocks: readonly number[], batch: number, options: ZooOptions): Network {
  const b = new NetworkBuilder(name, options.precision);
  let x = stem(b, batch);
  blocks.forEach((count, stage) => {
    const planes = 64 << stage;
    for (let i = 0; i < count; i++) {
      x = block(b, `layer${stage + 1}.${i}`, x, planes, i === 0 && stage > 0 ? 2 : 1);
    }
  });
  head(b, x);
  return b.build();
}

/** torchvision `resnet18`: BasicBlocks [2, 2, 2, 2], 224×224×3 input. */
export function resnet18(batch: number, options: ZooOptions): Network {
  return resnet('resnet18', basicBlock, [2, 2, 2, 2], batch, options);
}

/** torchvision `resnet50`: Bottlenecks [3, 4, 6, 3], 224×224×3 input. */
export function resnet50(batch: number, options: ZooOptions): Network {
  return resnet('resnet50', bottleneck, [3, 4, 6, 3], batch, options);
}

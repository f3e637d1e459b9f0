import { NetworkBuilder, type Network, type Precision } from '@trim-dse/core';

/** ResNet-18 (He et al. 2016, Table 1) at 224×224, built here so the tests do not depend on the workloads package. */
export function resnet18(batch = 1, precision: Precision = 'int16', softmax = true): Network {
  const b = new NetworkBuilder('resnet18', precision);
  let x = b.input('image', [batch, 3, 224, 224]);
  x = b.conv('conv1', x, { outChannels: 64, kernel: 7, stride: 2, padding: 3 });
  x = b.norm('bn1', x, 'batch');
  x = b.relu('relu1', x);
  x = b.pool('maxpool', x, { mode: 'max', kernel: 3, stride: 2, padding: 1 });
  let c = 64;
  const stages: Array<[number, number]> = [[64, 1], [128, 2], [256, 2], [512, 2]];
  stages.forEach(([k, stride], si) => {
    for (let bi = 0; bi < 2; bi++) {
      const s = bi === 0 ? stride : 1;
      const p = `layer${si + 1}.${bi}`;
      const inp = x;
      let y = b.conv(`${p}.conv1`, inp, { outChannels: k, kernel: 3, stride: s, padding: 1 });
      y = b.norm(`${p}.bn1`, y, 'batch');
      y = b.relu(`${p}.relu1`, y);
      y = b.conv(`${p}.conv2`, y, { outChannels: k, kernel: 3, stride: 1, padding: 1 });
      y = b.norm(`${p}.bn2`, y, 'batch');
      let sc = inp;
      if (s !== 1 || c !== k) {
        sc = b.conv(`${p}.downsample`, inp, { outChannels: k, kernel: 1, stride: s });
        sc = b.norm(`${p}.downsample.bn`, sc, 'batch');
      }
      y = b.add2(`${p}.add`, y, sc);
      x = b.relu(`${p}.relu2`, y);
      c = k;
    }
  });
  x = b.pool('avgpool', x, { mode: 'avg', global: true });
  x = b.flatten('flatten', x);
  x = b.linear('fc', x, 1000);
  if (softmax) b.softmax('softmax', x);
  return b.build();
}

/** VGG-16 (Simonyan & Zisserman 2015, configuration D) at 224×224. */
export function vgg16(batch = 1, precision: Precision = 'int16'): Network {
  const b = new NetworkBuilder('vgg16', precision);
  let x = b.input('image', [batch, 3, 224, 224]);
  const cfg: Array<number | 'M'> = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];
  let i = 0;
  let pool = 0;
  for (const v of cfg) {
    if (v === 'M') x = b.pool(`pool${++pool}`, x, { mode: 'max', kernel: 2, stride: 2 });
    else {
      i++;
      x = b.conv(`conv${i}`, x, { outChannels: v, kernel: 3, padding: 1 });
      x = b.relu(`relu${i}`, x);
    }
  }
  x = b.flatten('flatten', x);
  x = b.linear('fc6', x, 4096);
  x = b.relu('fc6.relu', x);
  x = b.linear('fc7', x, 4096);
  x = b.relu('fc7.relu', x);
  x = b.linear('fc8', x, 1000);
  b.softmax('softmax', x);
  return b.build();
}

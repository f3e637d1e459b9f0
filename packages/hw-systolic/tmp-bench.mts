import { Cost, evaluateSystolic, inferenceOps, resolveWorkload, resolveArchitecture, Registry, corePlugin, WS, OS, IS } from '@trim-dse/core';
import hw from './src/index.js';
import wl from '../workloads/src/index.js';
const r = new Registry().use(corePlugin).use(hw).use(wl);
for (const w of ['resnet18', 'vgg16']) {
const net = await resolveWorkload(r, w, { batch: 1 });
const ops = inferenceOps(net).filter((o) => o.kind === 'mac');
for (const arch of ['systolic-32x32']) {
  const model = resolveArchitecture(r, arch).model;
  for (const df of [WS, OS, IS]) {
    const t0 = performance.now();
    const c = new Cost(3);
    for (const op of ops) if (op.kind === 'mac') evaluateSystolic(op, model, df as 0, c);
    console.log(w, arch, df, ops.length, (performance.now() - t0).toFixed(0), 'ms');
  }
}}

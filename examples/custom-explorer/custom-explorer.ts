// Sweeps the PE array shape of the generic template for one layer and prints the fastest shape.
// Run: pnpm --filter trim-example-custom-explorer start
import { corePlugin, evaluateNetwork, inferenceOps, NetworkBuilder, pickDataflows, Registry, resolveArchitecture } from '@trim-dse/core';
import nvdla from 'trim-dataflow-nvdla';

const registry = new Registry().use(corePlugin).use(nvdla);
const net = new NetworkBuilder('resnet18-conv3', 'int16');
net.conv('conv3_1', net.input('x', [1, 128, 28, 28]), { outChannels: 128, kernel: 3, padding: 1 });
const network = net.build();
const ops = inferenceOps(network);

let best = { shape: '', cycles: Infinity };
for (const [rows, cols] of [[8, 8], [16, 16], [8, 32], [32, 8], [32, 32]]) {
  const { model, template } = resolveArchitecture(registry, 'generic-16x16', [`levels.glb.fanout.y=${rows}`, `levels.glb.fanout.x=${cols}`]);
  // The same path as `trim eval` and every `trim explore` point: map → cost (the template's) → schedule → check.
  const { totals, layers } = evaluateNetwork(model, network, ops, pickDataflows(registry, template, 'auto'), { goal: 'latency', interlayer: true });
  console.log(`${rows}×${cols}: ${totals.cycles} cycles, utilisation ${(totals.utilization * 100).toFixed(1)} %, ${(totals.energyPj / 1e6).toFixed(2)} µJ (${layers[0].dataflow})`);
  if (totals.cycles < best.cycles) best = { shape: `${rows}×${cols}`, cycles: totals.cycles };
}
console.log(`best: ${best.shape} (${best.cycles} cycles)`);

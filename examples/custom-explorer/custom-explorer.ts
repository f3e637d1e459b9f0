// Sweeps the PE array shape of the generic template for one layer and prints the fastest shape.
// Run: pnpm --filter trim-example-custom-explorer start
import { corePlugin, Evaluator, inferenceOps, NetworkBuilder, Registry, resolveArchitecture } from '@trim-dse/core';
import nvdla from 'trim-dataflow-nvdla';

const registry = new Registry().use(corePlugin).use(nvdla);
const net = new NetworkBuilder('resnet18-conv3');
net.conv('conv3_1', net.input('x', [1, 128, 28, 28]), { outChannels: 128, kernel: 3, padding: 1 });
const [op] = inferenceOps(net.build());
const dataflows = registry.dataflowsFor('generic').map((plugin) => ({ plugin, config: plugin.configSchema?.parse({}) ?? {} }));

let best = { shape: '', cycles: Infinity };
for (const [rows, cols] of [[8, 8], [16, 16], [8, 32], [32, 8], [32, 32]]) {
  const { model } = resolveArchitecture(registry, 'generic-16x16', [`levels.glb.fanout.y=${rows}`, `levels.glb.fanout.x=${cols}`]);
  const r = new Evaluator(model, dataflows, 'latency').evaluateOp(op);
  console.log(`${rows}×${cols}: ${r.cycles} cycles, utilisation ${(r.utilization * 100).toFixed(1)} %, ${(r.energyPj.total / 1e6).toFixed(2)} µJ (${r.dataflow})`);
  if (r.cycles < best.cycles) best = { shape: `${rows}×${cols}`, cycles: r.cycles };
}
console.log(`best: ${best.shape} (${best.cycles} cycles)`);

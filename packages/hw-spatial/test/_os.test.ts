import { inferenceOps, type MacOp } from '@trim-dse/core';
import osPlugin from '@trim-dse/dataflow-os';
import wsPlugin from '@trim-dse/dataflow-ws';
import rsPlugin from '@trim-dse/dataflow-rs';
import { it } from 'vitest';
import { alexnetConv, buildSpatial, chipFigures, eyerissSpec, spatialSchema } from '../src/index.js';
it('os', () => {
  const ops = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
  const hw = buildSpatial(spatialSchema.parse(eyerissSpec), 'e');
  for (const p of [rsPlugin, osPlugin, wsPlugin]) {
    const d = p.dataflows!.find((x) => x.templates === '*' || x.templates.includes('spatial'))!;
    const t0 = Date.now();
    const f = chipFigures(hw, [{ plugin: d, config: d.configSchema?.parse({}) }], ops, 4, 'energy');
    console.log(d.name, Date.now() - t0, 'ms', (f.energyPj / 1e9).toFixed(2), 'mJ', f.framesPerSecond.toFixed(1), 'fps', f.dramTrafficMB.toFixed(1), 'MB');
    const sum: Record<string, number> = {};
    for (const l of f.layers) for (const [k, v] of Object.entries(l.energyPj)) sum[k] = (sum[k] ?? 0) + v / 1e9;
    console.log(JSON.stringify(sum, (k, v) => (typeof v === 'number' ? +v.toFixed(2) : v)));
    console.log(JSON.stringify(f.layers[2].mapping));
  }
});

import { inferenceOps, type MacOp } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import { it } from 'vitest';
import { alexnetConv, buildSpatial, chipFigures, eyerissSpec, spatialSchema, withEyerissDensities } from '../src/index.js';

it('sens', () => {
  const zeros = { CONV1: 0.0001, CONV2: 0.387, CONV3: 0.725, CONV4: 0.793, CONV5: 0.776 };
  const dense = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
  const sparse = withEyerissDensities(dense, zeros);
  const rs = [{ plugin: rsPlugin.dataflows![0], config: rsPlugin.dataflows![0].configSchema?.parse({}) }];
  const run = (label: string, spec: object, ops: MacOp[], goal: 'edp' | 'energy' | 'latency' = 'edp') => {
    const f = chipFigures(buildSpatial(spatialSchema.parse(spec), 'x'), rs, ops, 4, goal);
    console.log(label.padEnd(28), f.framesPerSecond.toFixed(1), f.dramTrafficMB.toFixed(2), f.activePEFraction.toFixed(3), f.chipPowerMilliwatt.toFixed(0), (f.energyPj / 1e6).toFixed(0));
    return f;
  };
  const base = run('baseline', eyerissSpec, sparse);
  for (const l of base.layers) console.log(' ', l.layer, (l.cycles / 200e3).toFixed(1), 'ms', (l.dramBytes / 1e6).toFixed(2), 'MB', JSON.stringify(l.energyPj, (k, v) => (typeof v === 'number' ? +(v / 1e6).toFixed(0) : v)));
  run('goal energy', eyerissSpec, sparse, 'energy');
  run('goal latency', eyerissSpec, sparse, 'latency');
  run('dram overlapped', { ...eyerissSpec, dram: { ...eyerissSpec.dram, overlapCompute: true } }, sparse);
  run('dense (no RLC/gating)', eyerissSpec, dense);
  run('no rlc', { ...eyerissSpec, dramRlc: undefined }, sparse);
  run('no gating', { ...eyerissSpec, zeroGating: false }, sparse);
});

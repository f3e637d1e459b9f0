import { inferenceOps, type MacOp } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import nlrPlugin from '@trim-dse/dataflow-nlr';
import { it } from 'vitest';
import { alexnetConv, buildSpatial, chipFigures, eyerissSpec, spatialSchema } from '../src/index.js';

it('probe2', () => {
  const ops = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
  const eyeriss = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');
  const nlrHw = buildSpatial(spatialSchema.parse({ ...eyerissSpec, rf: { weightsWords: 0, inputsWords: 0, outputsWords: 0 }, glb: { ...eyerissSpec.glb, banks: 46 } }), 'eyeriss-nlr');
  for (const [hw, df] of [[eyeriss, rsPlugin.dataflows![0]], [nlrHw, nlrPlugin.dataflows![0]]] as const) {
    const t0 = Date.now();
    const f = chipFigures(hw, [{ plugin: df, config: df.configSchema?.parse({}) }], ops, 4, 'energy');
    console.log(df.name, Date.now() - t0, 'ms', (f.energyPj / 1e6).toFixed(1), 'uJ', f.framesPerSecond.toFixed(1), f.dramTrafficMB.toFixed(2));
    for (const l of f.layers) console.log(l.layer, JSON.stringify(l.energyPj, (k, v) => typeof v === 'number' ? Math.round(v / 1e6) : v));
  }
});

import { readFileSync } from 'node:fs';
import { Registry, corePlugin } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import { it } from 'vitest';
import spatial, { eyerissAlexnetFigures, eyerissReferenceSchema } from '../src/index.js';

it('probe', async () => {
  const reg = new Registry().use(corePlugin).use(spatial).use(rsPlugin);
  const ref = eyerissReferenceSchema.parse(JSON.parse(readFileSync('/work/shared/validation/eyeriss/alexnet-conv-batch4.json', 'utf8')));
  const t0 = Date.now();
  const f = await eyerissAlexnetFigures(reg, ref);
  console.log('ms', Date.now() - t0);
  console.log(JSON.stringify({ fps: f.framesPerSecond, mb: f.dramTrafficMB, pe: f.activePEFraction, mw: f.chipPowerMilliwatt }));
  for (const l of f.layers) console.log(l.layer, (l.cycles / 200e3).toFixed(2), 'ms', (l.dramBytes / 1e6).toFixed(2), 'MB', l.utilization.toFixed(3), 'stall', (l.stallCycles/200e3).toFixed(2), JSON.stringify(l.energyPj, (k, v) => typeof v === 'number' ? Math.round(v / 1e6) : v), JSON.stringify(l.mapping?.levels.map(x=>[x.level,x.temporal,x.spatialX,x.spatialY,x.order,x.bypass])));
});

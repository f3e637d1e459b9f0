import { inferenceOps, type DataflowChoice, type DataflowPlugin, type MacOp, type Plugin } from '@trim-dse/core';
import nlrPlugin from '@trim-dse/dataflow-nlr';
import rsPlugin from '@trim-dse/dataflow-rs';
import { describe, expect, it } from 'vitest';
import { alexnetConv, buildSpatial, chipFigures, equalAreaNoLocalReuse, eyerissSpec, spatialSchema } from '../src/index.js';

/** The spatial-template dataflows of a package, if it has landed. */
async function spatialDataflows(pkg: string): Promise<DataflowPlugin<unknown>[]> {
  try {
    const mod = (await import(pkg)) as { default: Plugin };
    return (mod.default.dataflows ?? []).filter((d) => d.templates === '*' || d.templates.includes('spatial'));
  } catch {
    return [];
  }
}

/** A coarser tile search (4 candidates per loop) for every dataflow that takes the option: keeps the test short. */
function choice(d: DataflowPlugin<unknown>): DataflowChoice {
  const quick = d.configSchema?.safeParse({ maxCandidates: 4 });
  return { plugin: d, config: quick?.success ? quick.data : d.configSchema?.parse({}) };
}

describe('RS against the other dataflows at equal storage (AlexNet CONV1–5, dense, batch 4)', () => {
  const ops = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
  const eyeriss = buildSpatial(spatialSchema.parse(eyerissSpec), 'eyeriss');
  const nlrHw = buildSpatial(spatialSchema.parse(equalAreaNoLocalReuse(eyerissSpec)), 'eyeriss-nlr');

  it('moves the 85 KB of scratchpads into 21 more buffer banks for NLR', () => {
    expect(nlrHw.levels[1].slotCapacityWords?.[1]).toBe((25 + 21) * 2048);
    expect(nlrHw.levels[0].holds).toEqual([false, false, false]);
  });

  it('RS needs the least energy', async () => {
    const rs = chipFigures(eyeriss, [choice(rsPlugin.dataflows![0])], ops, 4, 'energy');
    const nlr = chipFigures(nlrHw, [choice(nlrPlugin.dataflows![0])], ops, 4, 'energy');
    expect(rs.energyPj).toBeLessThan(nlr.energyPj);
    // WS and OS run on eyeriss itself (their register-file use is part of the same storage), when they have landed.
    const others = [...(await spatialDataflows('@trim-dse/dataflow-ws')), ...(await spatialDataflows('@trim-dse/dataflow-os'))];
    const energies: Record<string, number> = { rs: rs.energyPj, nlr: nlr.energyPj };
    for (const d of others) {
      const f = chipFigures(eyeriss, [choice(d)], ops, 4, 'energy');
      energies[d.name] = f.energyPj;
      expect(rs.energyPj, `rs vs ${d.name}`).toBeLessThan(f.energyPj);
    }
    console.log(Object.entries(energies).map(([k, v]) => `${k} ${(v / 1e9).toFixed(1)} mJ`).join(', '));
  });
});

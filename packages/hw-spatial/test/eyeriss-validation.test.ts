import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { corePlugin, inferenceOps, Registry, resolveWorkload, type MacOp } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import { describe, expect, it } from 'vitest';
import spatial, { alexnetConv, EYERISS_TOLERANCE, eyerissReferenceSchema, eyerissSuite, withEyerissDensities } from '../src/index.js';

// The reference data sits beside the repository (../shared/validation), wherever it is cloned.
const SHARED_VALIDATION = fileURLToPath(new URL('../../../../shared/validation', import.meta.url));

const DIR = `${SHARED_VALIDATION}/eyeriss`;
const have = existsSync(DIR);

describe.skipIf(!have)('Eyeriss silicon: AlexNet CONV1–5, batch 4, row stationary', () => {
  const registry = new Registry().use(corePlugin).use(spatial).use(rsPlugin);

  it('detects the reference folder and not others', () => {
    expect(eyerissSuite.detect(DIR)).toBe(true);
    expect(eyerissSuite.detect(`${SHARED_VALIDATION}/scalesim`)).toBe(false);
    expect(eyerissSuite.detect('/nonexistent')).toBe(false);
  });

  it('matches frames/s, DRAM traffic, PE use and (loosely) power', async () => {
    const rows = await eyerissSuite.run(DIR, { registry });
    expect(rows.map((r) => r.metric)).toEqual(['framesPerSecond', 'dramTrafficMB', 'activePEFraction', 'chipPowerMilliwatt']);
    for (const r of rows) {
      const err = Math.abs(r.ours - r.reference) / r.reference;
      expect(err, `${r.metric}: ours ${r.ours} vs ${r.reference}`).toBeLessThanOrEqual(r.tolerance);
    }
    console.log(rows.map((r) => `${r.metric}: ours ${r.ours.toFixed(3)} ref ${r.reference} (${(((r.ours - r.reference) / r.reference) * 100).toFixed(1)} %)`).join('\n'));
    const fps = rows[0];
    expect(fps.tolerance).toBe(EYERISS_TOLERANCE.framesPerSecond);
  });

  it('builds the measured network: CONV1–5 with the reference MAC count', () => {
    const ref = eyerissReferenceSchema.parse(JSON.parse(readFileSync(`${DIR}/alexnet-conv-batch4.json`, 'utf8')));
    const ops = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
    expect(ops.map((o) => o.layer)).toEqual(['CONV1', 'CONV2', 'CONV3', 'CONV4', 'CONV5']);
    expect(ops.reduce((a, o) => a + o.macs, 0)).toBe(ref.workload.macsPerFrame * 4);
  });

  it('takes the published zero fractions as densities (first input dense, filters dense)', () => {
    const ops = inferenceOps(alexnetConv(1)).filter((o): o is MacOp => o.kind === 'mac');
    const d = withEyerissDensities(ops, { CONV2: 0.4, CONV3: 0.7, CONV4: 0.8, CONV5: 0.75 });
    expect(d.map((o) => o.operands[1].density)).toEqual([1, 0.6, 1 - 0.7, 1 - 0.8, 0.25]);
    expect(d.map((o) => o.operands[2].density)).toEqual([0.6, 1 - 0.7, 1 - 0.8, 0.25, 0.25]);
    expect(d.every((o) => o.operands[0].density === 1)).toBe(true);
  });
});

describe('the registry AlexNet (packages/workloads) is the network the suite would build itself', () => {
  it('has the same CONV1–5 loop nests', async () => {
    const workloads = (await import('@trim-dse/workloads')).default;
    const registry = new Registry().use(corePlugin).use(workloads);
    const net = await resolveWorkload(registry, 'alexnet', { batch: 4 });
    const theirs = inferenceOps(net).filter((o): o is MacOp => o.kind === 'mac' && o.layerKind === 'conv2d');
    const ours = inferenceOps(alexnetConv(4)).filter((o): o is MacOp => o.kind === 'mac');
    expect(theirs.map((o) => `${o.layer}:${o.key}`)).toEqual(ours.map((o) => `${o.layer}:${o.key}`));
  });
});

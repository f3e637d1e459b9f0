import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corePlugin, evaluateRequest, Registry } from '@trim-dse/core';
import rsPlugin from '@trim-dse/dataflow-rs';
import spatial, { chipFigures, EYERISS_GOAL, EYERISS_TOLERANCE, eyerissReferenceSchema, eyerissRequest, eyerissSuite } from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

// The reference data lives in the repository (validation/, with its provenance).
const DIR = fileURLToPath(new URL('../../../validation/eyeriss', import.meta.url));

describe('Eyeriss silicon: AlexNet CONV1–5, batch 4, row stationary, through the one pipeline', () => {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(rsPlugin);

  it('has its reference data beside the checkout', () => {
    expect(existsSync(`${DIR}/alexnet-conv-batch4.json`)).toBe(true);
  });

  it('detects the reference folder and not others', () => {
    expect(eyerissSuite.detect(DIR)).toBe(true);
    expect(eyerissSuite.detect(fileURLToPath(new URL('../../../validation/scalesim', import.meta.url)))).toBe(false);
    expect(eyerissSuite.detect('/nonexistent')).toBe(false);
  });

  it('asks exactly what `trim eval --arch eyeriss --workload alexnet --only conv --batch 4 --dataflow rs` runs', () => {
    const ref = eyerissReferenceSchema.parse(JSON.parse(readFileSync(`${DIR}/alexnet-conv-batch4.json`, 'utf8')));
    expect(eyerissRequest(ref)).toEqual({
      arch: 'eyeriss',
      workload: 'alexnet',
      only: 'conv',
      batch: 4,
      dataflow: 'rs',
      goal: EYERISS_GOAL,
      zeroFractions: { CONV1: 0.0001, CONV2: 0.387, CONV3: 0.725, CONV4: 0.793, CONV5: 0.776 },
      includeMapping: true,
    });
  });

  it('matches frames/s, DRAM traffic, PE use and (loosely) power, and its rows are the pipeline’s figures', async () => {
    const rows = await eyerissSuite.run(DIR, { registry });
    expect(rows.map((r) => r.metric)).toEqual(['framesPerSecond', 'dramTrafficMB', 'activePEFraction', 'chipPowerMilliwatt']);
    for (const r of rows) {
      const err = Math.abs(r.ours - r.reference) / r.reference;
      expect(err, `${r.metric}: ours ${r.ours} vs ${r.reference}`).toBeLessThanOrEqual(r.tolerance);
      expect(r.tolerance).toBe(EYERISS_TOLERANCE[r.metric as keyof typeof EYERISS_TOLERANCE]);
    }
    const ref = eyerissReferenceSchema.parse(JSON.parse(readFileSync(`${DIR}/alexnet-conv-batch4.json`, 'utf8')));
    const result = await evaluateRequest(registry, eyerissRequest(ref));
    const f = chipFigures(result);
    expect(rows.map((r) => r.ours)).toEqual([f.framesPerSecond, f.dramTrafficMB, f.activePEFraction, f.chipPowerMilliwatt]);
    // The figures before the template owned its cost (issue 12): unchanged, to the digits the README quotes.
    expect(f.framesPerSecond).toBeCloseTo(32.398, 2);
    expect(f.dramTrafficMB).toBeCloseTo(15.944, 2);
    expect(f.activePEFraction).toBeCloseTo(0.8938, 3);
    expect(f.chipPowerMilliwatt).toBeCloseTo(169.8, 0);
    expect(result.layers.map((l) => l.layer)).toEqual(['CONV1', 'CONV2', 'CONV3', 'CONV4', 'CONV5']);
    expect(result.totals.macs).toBe(ref.workload.macsPerFrame * 4);
  });

  it('needs a workload source with the measured AlexNet', async () => {
    const bare = new Registry().use(corePlugin).use(spatial).use(rsPlugin);
    await expect(eyerissSuite.run(DIR, { registry: bare })).rejects.toThrow(/alexnet/);
  });
});

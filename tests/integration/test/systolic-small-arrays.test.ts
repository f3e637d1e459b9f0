import { fileURLToPath } from 'node:url';
import { evaluateRequest, type Registry } from '@trim-dse/core';
import { createRegistry } from '@trim-dse/cli';
import { beforeAll, describe, expect, it } from 'vitest';

const REFS = fileURLToPath(new URL('../../../validation/scalesim', import.meta.url));

let registry: Registry;
beforeAll(async () => {
  registry = await createRegistry();
});

describe('1×1 and N×1 systolic arrays evaluate on ws, os and is with the real plug-ins', () => {
  const arrays = [
    [1, 1],
    [8, 1],
    [1, 8],
  ] as const;
  for (const [rows, cols] of arrays) {
    for (const dataflow of ['ws', 'os', 'is'] as const) {
      it(`${rows}×${cols} ${dataflow}: SCALE-Sim's transformer GEMMs and ResNet-18 (every conv shape, FC, vector ops)`, async () => {
        for (const workload of [`${REFS}/a_32x32_ws_gemm_transformer_partial/topology.csv`, 'resnet18']) {
          const r = await evaluateRequest(registry, { arch: 'systolic-32x32', sets: [`rows=${rows}`, `cols=${cols}`], workload, dataflow });
          expect(r.dataflows).toEqual([dataflow]);
          // Every layer (invariants checked by the pipeline) runs at most one MAC per PE per cycle.
          for (const l of r.layers) expect(l.cycles * rows * cols).toBeGreaterThanOrEqual(l.macs);
        }
      });
    }
  }
  it('a 1×1 os array takes exactly one cycle per MAC (SCALE-Sim’s count would be one less per layer)', async () => {
    const r = await evaluateRequest(registry, { arch: 'systolic-32x32', sets: ['rows=1', 'cols=1'], workload: `${REFS}/a_32x32_os_gemm_transformer_partial/topology.csv`, dataflow: 'os' });
    expect(r.layers).toHaveLength(6);
    for (const l of r.layers) expect(l.cycles).toBe(l.macs);
  });
});

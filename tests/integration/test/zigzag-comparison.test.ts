import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@trim-dse/cli';
import { evaluateRequest, TrimUserError } from '@trim-dse/core';
import { describe, expect, it } from 'vitest';

// The shared ZigZag inputs (validation/zigzag/inputs, ZigZag 3.8.5): accelerators and workloads only — the data
// holds no ZigZag outputs, so TRIM's figures are compared with what the inputs fix: MACs and compulsory traffic.
const IN = fileURLToPath(new URL('../../../validation/zigzag/inputs', import.meta.url));
const hw = (name: string) => join(IN, 'hardware', `${name}.yaml`);
// The CLI's registry: the dataflows `trim eval` tries on a ZigZag accelerator. ZigZag's memories have no bypass, so
// only mappings that pass every operand through each of its memories are legal there (`free` proposes them).
const registry = () => createRegistry();

/** ZigZag's gemm_layer.yaml (O[d0][d1] += I[d0][d2]·W[d2][d1], 128³) as a Timeloop problem: d0 → P, d1 → M, d2 → C. */
function gemmLayer(): string {
  const f = join(mkdtempSync(join(tmpdir(), 'trim-zz-')), 'gemm_layer.prob.yaml');
  writeFileSync(f, 'problem:\n  shape:\n    name: gemm_layer\n    dimensions: [C, M, P]\n  instance:\n    C: 128\n    M: 128\n    P: 128\n');
  return f;
}

describe('ZigZag inputs through trim eval', () => {
  it('the GEMM layer on the accelerators TRIM can express: MACs and DRAM traffic against the compulsory bound', async () => {
    const r = await registry();
    const gemm = gemmLayer();
    // W, I and O of 128×128 at 8 bits: 3 × 16,384 bytes, the least any schedule moves from the backing store.
    const compulsory = 3 * 128 * 128;
    const rows: Record<string, { cycles: number; energyUj: number; utilization: number; dramBytes: number }> = {};
    for (const name of ['eyeriss_like', 'gemm_l1', 'gemm_l1_l3']) {
      const res = await evaluateRequest(r, { arch: hw(name), workload: gemm });
      expect(res.totals.macs).toBe(128 ** 3);
      expect(res.totals.dramBytes).toBeGreaterThanOrEqual(compulsory);
      rows[name] = { cycles: res.totals.cycles, energyUj: res.totals.energyPj / 1e6, utilization: res.totals.utilization, dramBytes: res.totals.dramBytes };
    }
    // ZigZag's memories have no bypass: the PE registers now take their operands' traffic (before, ws/os/is skipped
    // them: 43,283 cycles and 10.71 µJ on eyeriss_like).
    // With ZigZag's 16-bit partial sums (twice the 8-bit operands, the importer's psumBits): 62,866 cycles and
    // 17.76 µJ (8-bit partial sums: 58,173 and 15.30).
    expect(rows.eyeriss_like).toMatchObject({ cycles: 62866, dramBytes: 50696 });
    expect(rows.eyeriss_like.energyUj).toBeCloseTo(17.7587, 3);
    // gemm_l1_l3 keeps every tile in its 118 KB l1: DRAM (l3) traffic is exactly the compulsory bound.
    expect(rows.gemm_l1_l3.dramBytes).toBe(compulsory);
  });

  it('ResNet-18 (ZigZag’s ONNX) on gemm_l1_l3; gemm_l1 has no DRAM and cannot hold conv1', async () => {
    const r = await registry();
    // A mapper budget keeps this import check short: the exhaustive walk of `free` on this 3-level hierarchy takes
    // 30 s for 1 % less energy (10.95 vs 11.01 mJ); only the MACs are asserted.
    const res = await evaluateRequest(r, { arch: hw('gemm_l1_l3'), workload: join(IN, 'workload', 'resnet18.onnx'), mapperBudget: 2000 });
    expect(res.totals.macs).toBe(1_814_073_344);
    await expect(evaluateRequest(r, { arch: hw('gemm_l1'), workload: join(IN, 'workload', 'resnet18.onnx') })).rejects.toThrow(/cannot be mapped on gemm_l1/);
  });

  it('what TRIM cannot read is a user error naming why', async () => {
    const r = await registry();
    for (const name of ['edge_tpu_like', 'ascend_like', 'meta_prototype']) {
      await expect(evaluateRequest(r, { arch: hw(name), workload: gemmLayer() })).rejects.toThrow(/served_dimensions: rf_2B serves D2 and rf_1B serves D3, D4/);
    }
    // tpu_like.yaml repeats the key `ports:` in sram_2MB (PyYAML keeps the last; TRIM's YAML reader refuses it).
    await expect(evaluateRequest(r, { arch: hw('tpu_like'), workload: gemmLayer() })).rejects.toBeInstanceOf(TrimUserError);
    await expect(evaluateRequest(r, { arch: hw('tpu_like'), workload: gemmLayer() })).rejects.toThrow(/Map keys must be unique/);
    // AlexNet's ONNX has local response normalisation, which TRIM's ONNX reader does not lower.
    await expect(evaluateRequest(r, { arch: hw('gemm_l1_l3'), workload: join(IN, 'workload', 'alexnet.onnx') })).rejects.toThrow(/unsupported operators: LRN/);
  });
});

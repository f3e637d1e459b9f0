import { describe, expect, it } from 'vitest';
import { defineDataflow, Evaluator, exactMacs, exactSplit, inferenceOps, NetworkBuilder, opResultOf, perSlot, tiledMapspace, totalMacUnits, totalsOf, type MacOp } from '../src/index.js';
import { hardware, level } from './helpers.js';

const ws = defineDataflow({
  name: 'ws',
  description: 't',
  templates: '*',
  mapspace: (op, hw, emit) => tiledMapspace(op, hw, { spatialX: ['C'], spatialY: ['K'], peOrder: ['N', 'P', 'Q'], outerOrders: [['K', 'C', 'N', 'P', 'Q']], maxCandidates: 4 }, emit),
});
const hw = hardware([
  level('rf', { capacityBytes: 32, doubleBuffered: false }),
  level('glb', { capacityBytes: 2 << 20, fanoutX: 16, fanoutY: 16, readBytesPerCycle: 128, writeBytesPerCycle: 128 }),
  level('dram', { readBytesPerCycle: 64, writeBytesPerCycle: 64, readPjPerByte: perSlot(100) }),
]);

/** An LLM-size GEMM whose counts are not representable in doubles: batch 999 × 65,535 tokens × 65,537 → 65,539. */
function llmGemm(): MacOp {
  const b = new NetworkBuilder('llm');
  const x = b.input('x', [999, 65537, 65535, 1]);
  b.linear('proj', x, 65539);
  return inferenceOps(b.build())[0] as MacOp;
}

describe('exact counts beyond 2⁵³', () => {
  it('small ops are not split', () => {
    const b = new NetworkBuilder('s');
    b.linear('fc', b.input('x', [8, 64, 1, 1]), 64);
    expect(exactSplit(inferenceOps(b.build())[0] as MacOp)).toBeNull();
  });

  it('an LLM-size GEMM keeps exact MACs and access counts', () => {
    const op = llmGemm();
    const macs = 999n * 65535n * 65537n * 65539n;
    expect(exactMacs(op)).toBe(macs);
    expect(BigInt(op.macs)).not.toBe(macs); // the double has lost the low digits: why BigInt is needed
    const split = exactSplit(op)!;
    expect(split.sub.macs).toBeLessThanOrEqual(2 ** 50);
    expect(exactMacs(split.sub) * BigInt(split.chunks)).toBe(macs);

    const ev = new Evaluator(hw, [{ plugin: ws, config: {} }], 'latency');
    const r = opResultOf(ev.evaluateOp(op), hw);
    expect(r.exact).toBeDefined();
    const exact = r.exact!;
    expect(BigInt(exact.macs)).toBe(macs);
    // Compulsory traffic, exactly: every weight read from DRAM at least once, every output written at least once.
    expect(BigInt(exact.accesses.dram.weights.reads)).toBeGreaterThanOrEqual(65537n * 65539n);
    expect(BigInt(exact.accesses.dram.outputs.writes)).toBeGreaterThanOrEqual(999n * 65535n * 65539n);
    // Each exact count is the chunk count times an integer, and the doubles agree with it to double precision.
    const reads = BigInt(exact.accesses.dram.inputs.reads);
    expect(reads % BigInt(exact.chunks)).toBe(0n);
    expect(Number(reads) / r.accesses.dram.inputs.reads).toBeCloseTo(1, 12);
    expect(Number.isFinite(r.cycles) && Number.isFinite(r.energyPj.total)).toBe(true);
    expect(r.cycles * totalMacUnits(hw)).toBeGreaterThanOrEqual(op.macs);
    const totals = totalsOf([r, r], hw, totalMacUnits(hw));
    expect(BigInt(totals.exact!.macs)).toBe(2n * macs);
  });
});

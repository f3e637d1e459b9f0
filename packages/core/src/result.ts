import type { Cost } from './cost.js';
import type { Alternative, OpCost } from './evaluate.js';
import { exactMacs } from './exact.js';
import type { HardwareModel } from './hardware.js';
import { describeMapping, type MappingDescription } from './mapping.js';
import type { MacOp, Op, Phase } from './op.js';

export interface AccessCounts {
  reads: number;
  writes: number;
}

/** The cost of one op, as reported (plain data: JSON-ready). */
export interface OpResult {
  name: string;
  layer: string;
  layerKind: string;
  phase: Phase;
  dataflow: string;
  macs: number;
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  utilization: number;
  /** accesses[level][tensor] in elements of the tensor's precision. */
  accesses: Record<string, Record<string, AccessCounts>>;
  /** Energy by component (`mac`, `alu`, each level, `noc`, `leakage`) and `total`, pJ. */
  energyPj: Record<string, number>;
  /** Each level's energy split by the tensor it moved, pJ: energyPjByOperand[level][tensor]. */
  energyPjByOperand: Record<string, Record<string, number>>;
  dramBytes: number;
  mapping?: MappingDescription;
  /**
   * Exact integer counts (decimal strings) when they may exceed 2⁵³: the op was evaluated as `chunks` identical
   * sub-ops (see `exactSplit`), and every count is `chunks` × the sub-op's, multiplied in BigInt.
   */
  exact?: { chunks: number; macs: string; dramBytes: string; accesses: Record<string, Record<string, { reads: string; writes: string }>> };
  /** The best result of every dataflow tried (for `--dataflow auto` comparisons). */
  alternatives?: Alternative[];
  /** Fused into that op (`--fusion`): this op's accesses, time and energy are part of that op's row. */
  fusedInto?: string;
  /** The ops fused into this one, in order (their work is in this row). */
  fused?: string[];
}

/** The names the op's accesses are reported under, by slot: a MAC form's operand tensors, or a vector op's roles. */
export function slotNames(op: Op): [string, string, string] {
  if (op.kind === 'vector') return ['weights', 'inputs', 'outputs'];
  return [op.operands[0].tensor, op.operands[1].tensor, op.operands[2].tensor];
}

const big = (x: number) => BigInt(Math.round(x));

/**
 * Plain-data view of a priced op: names and phase from the op asked, tensor roles from the form that was mapped,
 * counts from the (possibly scheduled) cost.
 */
export function opResultOf(r: OpCost, hw: HardwareModel, includeMapping = false): OpResult {
  const { op, form, cost } = r;
  const names = slotNames(form);
  const accesses: OpResult['accesses'] = {};
  const energyPj: Record<string, number> = {};
  const energyPjByOperand: OpResult['energyPjByOperand'] = {};
  if (op.kind === 'mac') energyPj.mac = cost.macEnergyPj;
  else energyPj.alu = cost.aluEnergyPj;
  hw.levels.forEach((lv, l) => {
    const perTensor: Record<string, AccessCounts> = {};
    for (let t = 0; t < 3; t++) {
      const rd = cost.reads[l * 3 + t];
      const wr = cost.writes[l * 3 + t];
      if (rd > 0 || wr > 0) perTensor[names[t]] = { reads: rd, writes: wr };
    }
    accesses[lv.name] = perTensor;
    energyPj[lv.name] = cost.levelEnergyPj[l];
    const byOperand: Record<string, number> = {};
    for (let t = 0; t < 3; t++) {
      const e = cost.slotEnergyPj[l * 3 + t];
      if (e > 0) byOperand[names[t]] = (byOperand[names[t]] ?? 0) + e;
    }
    energyPjByOperand[lv.name] = byOperand;
  });
  if (cost.networkEnergyPj > 0) energyPj.noc = cost.networkEnergyPj;
  if (cost.leakageEnergyPj > 0) energyPj.leakage = cost.leakageEnergyPj;
  energyPj.total = cost.energyPj;
  const out: OpResult = {
    name: op.name,
    layer: op.layer,
    layerKind: op.layerKind,
    phase: op.phase,
    dataflow: r.dataflow,
    macs: op.kind === 'mac' ? op.macs : 0,
    cycles: cost.cycles,
    computeCycles: cost.computeCycles,
    stallCycles: cost.stallCycles,
    utilization: cost.utilization,
    accesses,
    energyPj,
    energyPjByOperand,
    dramBytes: cost.dramBytes,
  };
  if (includeMapping && r.mapping && form.kind === 'mac') out.mapping = describeMapping(r.mapping, hw, names, form.dims);
  if (r.exact && op.kind === 'mac') out.exact = exactCounts(op, hw, names, r.exact);
  if (r.alternatives) out.alternatives = r.alternatives.map((a) => ({ ...a }));
  if (r.fusedInto !== undefined) out.fusedInto = r.fusedInto;
  if (r.fused) out.fused = [...r.fused];
  return out;
}

/** `chunks` × the sub-op's counts, less what the scheduler cut from the whole op, in BigInt. */
function exactCounts(op: MacOp, hw: HardwareModel, names: readonly string[], e: NonNullable<OpCost['exact']>): NonNullable<OpResult['exact']> {
  const k = BigInt(e.chunks);
  const scaled = (sub: Cost, cut: Cost, read: boolean, i: number): bigint => (read ? big(sub.reads[i]) * k - big(cut.reads[i]) : big(sub.writes[i]) * k - big(cut.writes[i]));
  const accesses: NonNullable<OpResult['exact']>['accesses'] = {};
  hw.levels.forEach((lv, l) => {
    accesses[lv.name] = {};
    for (let t = 0; t < 3; t++) {
      const i = l * 3 + t;
      const rd = scaled(e.sub, e.cut, true, i);
      const wr = scaled(e.sub, e.cut, false, i);
      if (rd > 0n || wr > 0n) accesses[lv.name][names[t]] = { reads: rd.toString(), writes: wr.toString() };
    }
  });
  const dram = big(e.sub.dramBytes) * k - big(e.cut.dramBytes);
  return { chunks: e.chunks, macs: exactMacs(op).toString(), dramBytes: dram.toString(), accesses };
}

export interface Totals {
  /** Exact MACs and DRAM bytes (decimal strings) when some op needed exact counts beyond 2⁵³. */
  exact?: { macs: string; dramBytes: string };
  cycles: number;
  seconds: number;
  energyPj: number;
  edp: number;
  macs: number;
  utilization: number;
  dramBytes: number;
}

export function totalsOf(results: readonly OpResult[], hw: HardwareModel, macUnits: number): Totals {
  let cycles = 0;
  let energyPj = 0;
  let macs = 0;
  let dramBytes = 0;
  for (const r of results) {
    cycles += r.cycles;
    energyPj += r.energyPj.total;
    macs += r.macs;
    dramBytes += r.dramBytes;
  }
  const seconds = cycles / (hw.clockMHz * 1e6);
  const exact = results.some((r) => r.exact)
    ? {
        macs: results.reduce((a, r) => a + (r.exact ? BigInt(r.exact.macs) : BigInt(r.macs)), 0n).toString(),
        dramBytes: results.reduce((a, r) => a + (r.exact ? BigInt(r.exact.dramBytes) : BigInt(Math.round(r.dramBytes))), 0n).toString(),
      }
    : undefined;
  return {
    ...(exact ? { exact } : {}),
    cycles,
    seconds,
    energyPj,
    edp: energyPj * 1e-12 * seconds,
    macs,
    utilization: cycles > 0 ? macs / (cycles * macUnits) : 0,
    dramBytes,
  };
}

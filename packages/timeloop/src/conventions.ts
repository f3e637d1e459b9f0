import { DIM_COUNT, DIMS, RELEVANT, type OpResult } from '@trim-dse/core';

/**
 * Timeloop v3's access conventions, all in this file (README "Conventions"). TRIM's engine counts, per level and
 * operand, the elements read from a level (`reads`) and written into it (`writes`), totals over its instances.
 * Timeloop v3 counts per instance and splits them three ways:
 *
 * - reads: elements a level sends to its children (down). TRIM's reads of a partial-sum operand also hold its
 *   drains (the child reading a finished tile to send it up); Timeloop v3 counts a drain only as the parent's
 *   update, never as a read of the child, and charges no energy or bandwidth for it.
 * - fills: elements a level receives from its parent. For the partial-sum operand, a fill is a partial sum sent back
 *   down to be accumulated further; neither TRIM nor Timeloop v3 counts the first touch of a partial sum (nothing
 *   to fetch yet) — the 2022 reference outputs did count that initial fill.
 * - updates: partial sums a level receives from its children (after any reduction across the array).
 *
 * For read-only operands the split is direct (reads = reads, fills = writes). For the partial-sum operand TRIM's
 * counts obey, along the chain of levels that keep it (c₀ < c₁ < … < cₙ, the last the backing store), with ρₖ the
 * product of the spatial factors of output-irrelevant dims between cₖ₋₁ and cₖ (children reduced into one update;
 * a partial sum sent down is multicast to all ρₖ of them):
 *   writes(cₖ) = updates(cₖ) + ρₖ₊₁ · down(cₖ₊₁)      reads(cₖ) = down(cₖ) + ρₖ₊₁ · updates(cₖ₊₁)
 * and fills(cₖ) = ρₖ₊₁ · down(cₖ₊₁). Solved from the backing store inwards (`outputSplit`).
 *
 * Energy: Timeloop v3 charges whole vector accesses (`block-size` words): each instance's reads, fills and updates
 * of one operand over the whole op are rounded up to whole blocks (`BufferLevel::ComputeVectorAccesses`), each
 * block at the ERT energy of its action (`accelergy.ts`).
 */

/** Product of the spatial factors at `level` of the dims not in `relevantMask` (the children one reduction merges). */
export function reductionAt(spatialX: ArrayLike<number>, spatialY: ArrayLike<number>, level: number, relevantMask: number): number {
  let rho = 1;
  const base = level * DIM_COUNT;
  for (let d = 0; d < DIM_COUNT; d++) if (((relevantMask >> d) & 1) === 0) rho *= spatialX[base + d] * spatialY[base + d];
  return rho;
}

/**
 * Splits the partial-sum operand's (slot 2) reads and writes (Cost layout: [level·3 + slot], totals over instances)
 * into Timeloop's updates, down-reads and fills per level (totals over instances; zero where the level does not keep
 * it). `keep` is the mapping's [level·3 + slot]; `reduction[l]` the output-irrelevant spatial product at level l.
 * Writes into `up`, `down`, `fill`; allocates nothing.
 */
export function outputSplit(
  levels: number,
  reads: ArrayLike<number>,
  writes: ArrayLike<number>,
  keep: ArrayLike<number>,
  reduction: ArrayLike<number>,
  up: Float64Array,
  down: Float64Array,
  fill: Float64Array,
): void {
  let parent = -1;
  let upParent = 0;
  let downParent = 0;
  let rho = 1;
  for (let l = levels - 1; l >= 0; l--) {
    const i = l * 3 + 2;
    if (keep[i] === 0) {
      up[l] = 0;
      down[l] = 0;
      fill[l] = 0;
      rho *= reduction[l];
      continue;
    }
    const filled = parent >= 0 ? rho * downParent : 0;
    const drained = parent >= 0 ? rho * upParent : 0;
    up[l] = writes[i] - filled;
    down[l] = reads[i] - drained;
    fill[l] = filled;
    parent = l;
    upParent = up[l];
    downParent = down[l];
    rho = reduction[l];
  }
}

/** Bytes of whole vector accesses for `totalBytes` spread over `instances` (each rounded up to whole blocks). */
export function vectorBytes(totalBytes: number, instances: number, blockBytes: number): number {
  if (totalBytes <= 0) return 0;
  return Math.ceil(totalBytes / instances / blockBytes) * blockBytes * instances;
}

/** Timeloop's counts of one operand at one level, per instance. */
export interface TimeloopCounts {
  reads: number;
  fills: number;
  updates: number;
  /** Active instances of the level (Timeloop's utilised instances). */
  instances: number;
}

/**
 * Timeloop's per-instance reads/fills/updates of every level and tensor, from a layer as `trim eval --format json`
 * prints it (accesses in elements, totals; the mapping it ran, which must be printed). `levels` are the hardware's
 * level names, innermost first. The partial-sum tensor is the layer's third (output) tensor.
 */
export function timeloopCounts(layer: OpResult, levels: readonly string[], tensors: readonly [string, string, string]): Record<string, Record<string, TimeloopCounts>> {
  const mapping = layer.mapping;
  if (!mapping) throw new Error(`layer ${layer.name}: no mapping printed (evaluate with includeMapping)`);
  const L = levels.length;
  const reads = new Float64Array(L * 3);
  const writes = new Float64Array(L * 3);
  const keep = new Uint8Array(L * 3).fill(1);
  const spatialX = new Float64Array(L * DIM_COUNT).fill(1);
  const spatialY = new Float64Array(L * DIM_COUNT).fill(1);
  levels.forEach((name, l) => {
    for (let t = 0; t < 3; t++) {
      const a = layer.accesses[name]?.[tensors[t]];
      reads[l * 3 + t] = a?.reads ?? 0;
      writes[l * 3 + t] = a?.writes ?? 0;
    }
    const d = mapping.levels.find((x) => x.level === name);
    if (!d) return;
    for (const t of d.bypass) keep[l * 3 + tensors.indexOf(t)] = 0;
    DIMS.forEach((dim, k) => {
      spatialX[l * DIM_COUNT + k] = d.spatialX[dim] ?? 1;
      spatialY[l * DIM_COUNT + k] = d.spatialY[dim] ?? 1;
    });
  });
  const reduction = new Float64Array(L);
  for (let l = 0; l < L; l++) reduction[l] = reductionAt(spatialX, spatialY, l, RELEVANT.output);
  const up = new Float64Array(L);
  const down = new Float64Array(L);
  const fill = new Float64Array(L);
  outputSplit(L, reads, writes, keep, reduction, up, down, fill);
  const out: Record<string, Record<string, TimeloopCounts>> = {};
  let above = 1;
  for (let l = L - 1; l >= 0; l--) {
    const instances = above;
    const per: Record<string, TimeloopCounts> = {};
    for (let t = 0; t < 3; t++) {
      if (!keep[l * 3 + t]) continue;
      const i = l * 3 + t;
      per[tensors[t]] =
        t < 2
          ? { reads: reads[i] / instances, fills: writes[i] / instances, updates: 0, instances }
          : { reads: down[l] / instances, fills: fill[l] / instances, updates: up[l] / instances, instances };
    }
    out[levels[l]] = per;
    let unroll = 1;
    for (let d = 0; d < DIM_COUNT; d++) unroll *= spatialX[l * DIM_COUNT + d] * spatialY[l * DIM_COUNT + d];
    above *= unroll;
  }
  return out;
}

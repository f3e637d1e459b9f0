import { composeCost } from '../engine/compose.js';
import type { FusionMode } from '../epilogue.js';
import { Cost } from '../cost.js';
import type { OpCost } from '../evaluate.js';
import type { HardwareModel } from '../hardware.js';
import type { Op, VectorOp } from '../op.js';
import type { EdgeUse, OpEdges } from './edges.js';
import { better, type Goal } from '../evaluate.js';
import { attentionAt, attentionBackwardAt, type AttentionBackward, type AttentionCore } from './attention.js';
import { copyOf, moveToChip, slotOfRole } from './op-cost.js';

/** A tensor passed inside a fused group: from op `writer` to op `reader` (the next op) on the output path. */
export interface FusedTensor {
  readonly tensor: string;
  readonly writer: number;
  readonly reader: number;
  readonly elements: number;
  readonly bytesPerElement: number;
  /** The role the writer's result lists it under (its write edge's). */
  readonly writeRole: string;
  /** Other ops read it too (a skip connection, the backward pass's stash): the writer still stores it. */
  readonly stored: boolean;
}

/** Consecutive ops run as one: the head (any op) and the epilogues applied on its output path, in order. */
export interface FusionGroup {
  readonly head: number;
  readonly members: readonly number[];
  readonly passed: readonly FusedTensor[];
  /** A fused attention core (`--fusion full`): head = the scores op, member = the softmax; the context op reads P on chip. */
  readonly attention?: AttentionCore;
  /** A recomputed attention core and its backward run FlashAttention's way (head, member: the recomputed S and P). */
  readonly backward?: AttentionBackward;
}

export interface FusionPlan {
  readonly mode: FusionMode;
  readonly groups: readonly FusionGroup[];
  /** Per op: the index of the group it heads or belongs to, or −1. */
  readonly groupOf: Int32Array;
  /** The ops' edges as given (`placementEdges` takes the fused hand-offs out once the ops are priced). */
  readonly edges: readonly OpEdges[];
}

/**
 * Which ops fuse (`--fusion epilogue` and `full`). Op j joins the group of op j−1 when it is a vector op whose
 * epilogue kind the template's output path applies (`hw.epilogue`), of the same phase, and reads the one tensor op
 * j−1 writes: the results stream from op j−1's output path through op j's operation before anything is stored.
 * Consecutive only: an op between the two (a parallel branch) would need the tensor stored. The passed tensor is
 * still stored when any other op reads it (a skip connection; in training, the forward tensor the backward pass
 * stashes).
 */
export function planFusion(ops: readonly Op[], edges: readonly OpEdges[], hw: HardwareModel, mode: FusionMode, capacityBytes = 0): FusionPlan {
  const groupOf = new Int32Array(ops.length).fill(-1);
  const kinds = hw.epilogue?.kinds ?? [];
  if (mode === 'none' || hw.levels.length < 2) return { mode, groups: [], groupOf, edges };
  const readers = new Map<string, number>();
  for (const e of edges) for (const r of e.reads) readers.set(r.tensor, (readers.get(r.tensor) ?? 0) + 1);
  const groups: { head: number; members: number[]; passed: FusedTensor[]; attention?: AttentionCore; backward?: AttentionBackward }[] = [];
  for (let j = 1; j < ops.length; j++) {
    const op = ops[j];
    const prev = ops[j - 1];
    if (mode === 'full' && groupOf[j - 1] < 0) {
      // The scores op heads the group; the softmax takes S on its output path.
      const ab = attentionBackwardAt(ops, edges, j);
      const a = ab ? undefined : attentionAt(ops, edges, j, readers, capacityBytes);
      if (ab || a) {
        const s = edges[j - 1].writes[0];
        const read = edges[j].reads[0];
        groupOf[j - 1] = groupOf[j] = groups.length;
        const passed = [{ tensor: s.tensor, writer: j - 1, reader: j, elements: read.elements, bytesPerElement: read.bytes, writeRole: s.role, stored: (readers.get(s.tensor) ?? 0) > 1 }];
        groups.push({ head: j - 1, members: [j], passed, ...(ab ? { backward: ab } : { attention: a }) });
        continue;
      }
    }
    if (op.kind !== 'vector' || op.epilogue === undefined || !kinds.includes(op.epilogue) || op.phase !== prev.phase) continue;
    const w = edges[j - 1].writes;
    if (w.length !== 1) continue;
    const x = w[0];
    const reads = edges[j].reads.filter((r) => r.tensor === x.tensor);
    if (reads.length !== 1) continue;
    let g = groupOf[j - 1];
    if (g < 0) {
      g = groups.length;
      groups.push({ head: j - 1, members: [], passed: [] });
      groupOf[j - 1] = g;
    }
    groups[g].members.push(j);
    groups[g].passed.push({ tensor: x.tensor, writer: j - 1, reader: j, elements: reads[0].elements, bytesPerElement: reads[0].bytes, writeRole: x.role, stored: (readers.get(x.tensor) ?? 0) > 1 });
    groupOf[j] = g;
  }
  return { mode, groups, groupOf, edges };
}

/**
 * The edges the on-chip placement sees once the fused ops are priced: a passed tensor is no longer read by its
 * reader, nor written by its writer unless stored. A MAC producer whose mapping spills partial sums of a passed
 * tensor to the backing store keeps both edges: the placement may then hold the tensor on chip while the group runs,
 * so that the spills stay on chip as they would without fusion; the reader's edge is then in `noMove` (its read of
 * the tensor is already gone: the hand-off must not move another tensor's reads in its place).
 */
export function placementEdges(plan: FusionPlan, out: readonly OpCost[], hw: HardwareModel): { edges: OpEdges[]; noMove: Set<string> } {
  const edges = plan.edges.slice();
  const noMove = new Set<string>();
  const top = (hw.levels.length - 1) * 3;
  for (const g of plan.groups) {
    if (g.attention) {
      // The block's scores and probabilities live in the buffer: no placement of S; P is read there by the context.
      const a = g.attention;
      const dropT = (list: readonly EdgeUse[], tensor: string) => list.filter((u) => u.tensor !== tensor);
      const sT = g.passed[0].tensor;
      if (a.dropout) {
        const dr = a.dropout;
        edges[a.softmax] = { reads: dropT(edges[a.softmax].reads, sT), writes: dropT(edges[a.softmax].writes, dr.input.tensor) };
        let w = dropT(edges[dr.op].writes, a.probs.tensor);
        for (const m of dr.mask) w = dropT(w, m.tensor);
        edges[dr.op] = { reads: dropT(edges[dr.op].reads, dr.input.tensor), writes: w };
      } else edges[a.softmax] = { reads: dropT(edges[a.softmax].reads, sT), writes: a.probsStored ? edges[a.softmax].writes : dropT(edges[a.softmax].writes, a.probs.tensor) };
      if (!g.passed[0].stored) edges[a.scores] = { reads: edges[a.scores].reads, writes: dropT(edges[a.scores].writes, sT) };
      edges[a.context] = { reads: dropT(edges[a.context].reads, a.probs.tensor), writes: edges[a.context].writes };
      continue;
    }
    if (g.backward) {
      const sT = g.passed[0].tensor;
      const drop = (i: number, tensor: string) => (edges[i] = { reads: edges[i].reads.filter((u) => u.tensor !== tensor), writes: edges[i].writes.filter((u) => u.tensor !== tensor) });
      drop(g.head, sT);
      drop(g.members[0], sT);
      for (const l of g.backward.local) for (const i of l.ops) drop(i, l.tensor);
      continue;
    }
    for (const p of g.passed) {
      const w = out[p.writer];
      const t = w.form.kind === 'mac' && !p.stored ? slotOfRole(w, p.writeRole) : -1;
      if (t >= 0 && w.cost.reads[top + t] + w.cost.writes[top + t] > 0) {
        noMove.add(`${p.reader}:${p.tensor}`);
        continue;
      }
      const drop = (list: readonly EdgeUse[]) => list.filter((u) => u.tensor !== p.tensor);
      edges[p.reader] = { reads: drop(edges[p.reader].reads), writes: edges[p.reader].writes };
      if (!p.stored) edges[p.writer] = { reads: edges[p.writer].reads, writes: drop(edges[p.writer].writes) };
    }
  }
  return { edges, noMove };
}

/** Element operations a fused epilogue spends: a folded BatchNorm is one add per element (its scale is in the weights). */
export function epilogueOps(op: VectorOp): number {
  if (op.epilogue !== 'bias') return op.aluOps;
  let n = 0;
  for (const w of op.writes) n += w.elements;
  return n;
}

/** Removes `n` element accesses (and their share of bytes) from slot `i` of one direction of a cost. */
function take(counts: Float64Array, bytes: Float64Array, i: number, n: number, bytesPerElement: number): number {
  const k = Math.min(n, counts[i]);
  if (k <= 0) return 0;
  const b = Math.min(bytes[i], k * bytesPerElement);
  counts[i] -= k;
  bytes[i] -= b;
  return b;
}

/**
 * Prices the fused hand-offs op by op, before the on-chip placement: the reader of a passed tensor no longer fetches
 * it (no backing-store read, no staging write and read: it arrives on the output path); a writer whose tensor is not
 * stored no longer writes it (a MAC producer's final results go to the epilogue instead of the backing store, counted
 * in `fusedWrites`; a vector writer hands its ALU results straight to the next epilogue). Each epilogue's ALU work
 * moves to the output path, at `hw.epilogue.opsPerCycle`. Costs are copied before they change (copy on write).
 */
export function priceFusedOps(plan: FusionPlan, ops: readonly Op[], out: OpCost[], hw: HardwareModel, goal: Goal = 'latency'): FusionPlan {
  const L = hw.levels.length;
  const top = L - 1;
  const stage = L - 2;
  const rate = hw.epilogue?.opsPerCycle ?? hw.vectorOpsPerCycle;
  const own = new Set<number>();
  const mine = (i: number): OpCost => {
    if (!own.has(i)) {
      out[i] = copyOf(out[i]);
      own.add(i);
    }
    return out[i];
  };
  const given = out.slice();
  const rejected = new Set<FusionGroup>();
  for (const g of plan.groups) {
    if (g.attention) {
      priceAttention(g, ops, mine, hw);
      // A choice beside the unfused form: kept only when the goal prefers it (K and V re-read per query block can
      // cost more than the scores' round trip when the scores are small).
      const ids = [g.attention.scores, g.attention.softmax, ...(g.attention.dropout ? [g.attention.dropout.op] : []), g.attention.context];
      for (const i of ids) composeCost(hw, out[i].cost);
      const sum = (list: readonly OpCost[]) => ids.reduce((a, i) => [a[0] + list[i].cost.cycles, a[1] + list[i].cost.energyPj], [0, 0]);
      const [fc, fe] = sum(out);
      const [uc, ue] = sum(given);
      if (!better(goal, fc, fe, uc, ue)) {
        rejected.add(g);
        for (const i of ids) {
          out[i] = given[i];
          own.delete(i);
        }
      }
      continue;
    }
    for (const p of g.passed) {
      const r = mine(p.reader).cost;
      const s = 1; // a vector op counts what it reads under slot 1
      take(r.reads, r.readBytes, top * 3 + s, p.elements, p.bytesPerElement);
      take(r.writes, r.writeBytes, stage * 3 + s, p.elements, p.bytesPerElement);
      take(r.reads, r.readBytes, stage * 3 + s, p.elements, p.bytesPerElement);
      if (p.stored) continue;
      const wc = mine(p.writer);
      const w = wc.cost;
      if (wc.form.kind === 'mac') {
        const t = slotOfRole(wc, p.writeRole);
        if (t < 0) continue;
        const i = top * 3 + t;
        const before = w.writes[i];
        const bytes = take(w.writes, w.writeBytes, i, p.elements, w.writes[i] > 0 ? w.writeBytes[i] / w.writes[i] : p.bytesPerElement);
        w.fusedWrites += before - w.writes[i];
        if (wc.exact) {
          wc.exact.cut.writes[i] += before - w.writes[i];
          wc.exact.cut.dramBytes += bytes;
        }
      } else {
        take(w.writes, w.writeBytes, top * 3 + 2, p.elements, p.bytesPerElement);
        take(w.reads, w.readBytes, stage * 3 + 2, p.elements, p.bytesPerElement);
        take(w.writes, w.writeBytes, stage * 3 + 2, p.elements, p.bytesPerElement);
      }
    }
    if (g.backward) priceBackwardBlock(g, ops, plan.edges, mine, hw);
    for (const j of g.members) {
      const op = ops[j] as VectorOp;
      if (g.attention) continue;
      const c = mine(j).cost;
      const n = epilogueOps(op);
      // A recomputed softmax runs on the vector unit beside the array; epilogues on the output path.
      c.computeCycles = Math.ceil(n / (g.backward ? hw.vectorOpsPerCycle : rate));
      c.aluEnergyPj = n * hw.aluEnergyPj;
    }
  }
  for (const i of own) composeCost(hw, out[i].cost);
  if (rejected.size === 0) return plan;
  const groups = plan.groups.filter((g) => !rejected.has(g));
  const groupOf = new Int32Array(ops.length).fill(-1);
  groups.forEach((g, k) => {
    groupOf[g.head] = k;
    for (const j of g.members) groupOf[j] = k;
  });
  return { ...plan, groups, groupOf };
}

/**
 * FlashAttention's backward block: the recomputed S's partial sums stay in the buffer, and P, dP and dS are written
 * and read only there (each op's backing-store traffic of them moves to the staging level, recorded as a hand-off).
 */
function priceBackwardBlock(g: FusionGroup, ops: readonly Op[], edges: readonly OpEdges[], mine: (i: number) => OpCost, hw: HardwareModel): void {
  const R = hw.levels.length - 2;
  const s = g.passed[0];
  const head = mine(g.head);
  const tS = slotOfRole(head, s.writeRole);
  if (tS >= 0) moveToChip(head, hw, R, tS, Infinity, Infinity, s.bytesPerElement);
  for (const l of g.backward!.local) {
    for (const i of new Set(l.ops)) {
      const c = mine(i);
      const mac = ops[i].kind === 'mac';
      for (const u of edges[i].reads) if (u.tensor === l.tensor) {
        const t = slotOfRole(c, u.role);
        if (t >= 0) moveToChip(c, hw, R, t, mac ? Infinity : u.elements, 0, u.bytes);
      }
      for (const u of edges[i].writes) if (u.tensor === l.tensor) {
        const t = slotOfRole(c, u.role);
        if (t >= 0) moveToChip(c, hw, R, t, 0, mac ? Infinity : u.elements, u.bytes);
      }
    }
  }
}

/**
 * Prices an attention core fused (see `AttentionCore`): the scores' S and the softmax's P move only within the
 * staging level (the scores' final writes go to the softmax on the way out; any partial sums of S stay in the block
 * buffer; the softmax writes P there and the context op reads it there); K and V are read from the backing store
 * once per query block; the online softmax spends its rescaling on the vector unit, beside the array.
 */
function priceAttention(g: FusionGroup, ops: readonly Op[], mine: (i: number) => OpCost, hw: HardwareModel): void {
  const a = g.attention!;
  const L = hw.levels.length;
  const top = L - 1;
  const R = L - 2;
  const sPass = g.passed[0];
  const sc = mine(a.scores);
  const sm = mine(a.softmax).cost;
  const cx = mine(a.context);
  // The softmax reads S from the output path.
  take(sm.reads, sm.readBytes, top * 3 + 1, sPass.elements, sPass.bytesPerElement);
  take(sm.writes, sm.writeBytes, R * 3 + 1, sPass.elements, sPass.bytesPerElement);
  take(sm.reads, sm.readBytes, R * 3 + 1, sPass.elements, sPass.bytesPerElement);
  const tS = slotOfRole(sc, sPass.writeRole);
  if (tS >= 0 && !sPass.stored) {
    const i = top * 3 + tS;
    const before = sc.cost.writes[i];
    take(sc.cost.writes, sc.cost.writeBytes, i, sPass.elements, before > 0 ? sc.cost.writeBytes[i] / before : sPass.bytesPerElement);
    sc.cost.fusedWrites += before - sc.cost.writes[i];
    moveToChip(sc, hw, R, tS, Infinity, Infinity, sPass.bytesPerElement);
  }
  // P: written into the block buffer (no backing-store copy unless another op reads it), read there by the context
  // (or by the dropout, whose output the context reads there; its mask is regenerated per block, never stored).
  const keepInBuffer = (c: OpCost['cost'], e: EdgeUse) => {
    take(c.writes, c.writeBytes, top * 3 + 2, e.elements, e.bytes);
    take(c.reads, c.readBytes, R * 3 + 2, e.elements, e.bytes);
  };
  if (a.dropout) {
    const dr = mine(a.dropout.op);
    keepInBuffer(sm, a.dropout.input);
    moveToChip(dr, hw, R, 1, a.dropout.input.elements, 0, a.dropout.input.bytes);
    keepInBuffer(dr.cost, a.probs);
    for (const m of a.dropout.mask) {
      keepInBuffer(dr.cost, m);
      take(dr.cost.writes, dr.cost.writeBytes, R * 3 + 2, m.elements, m.bytes);
    }
  } else if (!a.probsStored) keepInBuffer(sm, a.probs);
  const tP = slotOfRole(cx, a.probsRead.role);
  if (tP >= 0) moveToChip(cx, hw, R, tP, Infinity, 0, a.probsRead.bytes);
  // K and V: at least once per query block from the backing store.
  const atLeast = (c: OpCost, use: EdgeUse) => {
    const t = slotOfRole(c, use.role);
    if (t < 0) return;
    const i = top * 3 + t;
    const want = a.passes * use.elements;
    if (c.cost.reads[i] >= want) return;
    const extra = want - c.cost.reads[i];
    c.cost.reads[i] += extra;
    c.cost.readBytes[i] += extra * use.bytes;
  };
  atLeast(sc, a.keys);
  atLeast(cx, a.values);
  const softmax = ops[a.softmax] as VectorOp;
  const n = softmax.aluOps + a.rescaleOps;
  sm.computeCycles = Math.ceil(n / hw.vectorOpsPerCycle);
  sm.aluEnergyPj = n * hw.aluEnergyPj;
}

/** What one fused group saved against its ops priced one by one (the figures `trim eval` lists per group). */
export interface FusedGroupRow {
  head: string;
  members: string[];
  kinds: string[];
  /** Passed tensors still stored (read by other ops: a skip, the backward pass's stash), with their bytes. */
  stored: { tensor: string; bytes: number }[];
  /** Passed tensors that never reach memory, with their bytes. */
  onPath: { tensor: string; bytes: number }[];
  dramBytes: number;
  /** A recomputed attention core with FlashAttention's backward: the backward ops and the tensors kept in the buffer. */
  flashBackward?: { ops: string[]; onChip: string[] };
  /** Fused attention: the context op (its own row, reading P on chip), the block sizes and K/V passes. */
  attention?: { context: string; queryBlock: number; keyBlock: number; kvPasses: number; probsStored: boolean };
  /** Saved against the group's ops (and a fused attention's context op) scheduled with `--fusion none`. */
  savedDramBytes: number;
  savedEnergyPj: number;
  savedCycles: number;
}

/**
 * Makes each group one op: the members' remaining accesses (a skip read, the last result's write) join the head's
 * cost slot by slot (a vector op's inputs under slot 1, its result under slot 2, as `evaluateVector` counts them), the
 * output path runs beside the head (compute = the slowest of the head and each epilogue stage), and the one
 * composition (`composeCost`) gives time and energy with the head's overlap rules: the group's last write streams out
 * while the head computes. The members' rows are left empty, marked `fusedInto`. `given` are the costs as priced
 * (shared, read-only); `unfused` the same ops scheduled with `--fusion none`, against which each group's saving is
 * measured.
 */
export function mergeGroups(plan: FusionPlan, ops: readonly Op[], given: readonly OpCost[], unfused: readonly OpCost[], out: OpCost[], hw: HardwareModel): FusedGroupRow[] {
  const L = hw.levels.length;
  const stage = L - 2;
  const rows: FusedGroupRow[] = [];
  for (const g of plan.groups) {
    const head = out[g.head].cost === given[g.head].cost ? copyOf(out[g.head]) : out[g.head];
    const h = head.cost;
    for (const j of g.members) {
      const m = out[j].cost;
      for (let i = 0; i < L * 3; i++) {
        h.reads[i] += m.reads[i];
        h.writes[i] += m.writes[i];
        h.readBytes[i] += m.readBytes[i];
        h.writeBytes[i] += m.writeBytes[i];
      }
      for (let t = 0; t < 3; t++) {
        h.handoffReads[t] += m.handoffReads[t];
        h.handoffWrites[t] += m.handoffWrites[t];
      }
      if (m.handoffLevel >= 0) h.handoffLevel = m.handoffLevel;
      // What the epilogue staged at L−2 (less the on-chip copies a hand-off counts there as its own).
      for (let t = 0; t < 3; t++) h.epilogueFills[t] += m.writes[stage * 3 + t] - (m.handoffLevel === stage ? m.handoffWrites[t] : 0);
      if (m.computeCycles > h.computeCycles) h.computeCycles = m.computeCycles;
      h.aluEnergyPj += m.aluEnergyPj;
      h.networkEnergyPj += m.networkEnergyPj;
    }
    composeCost(hw, h);
    const names = g.members.map((j) => ops[j].name);
    out[g.head] = { ...head, fused: names };
    const empty = new Cost(L);
    empty.reset();
    composeCost(hw, empty);
    for (const j of g.members) out[j] = { ...out[j], cost: empty, fusedInto: ops[g.head].name };
    let dram = 0;
    let energy = 0;
    let cycles = 0;
    const all = [g.head, ...g.members, ...(g.attention ? [g.attention.context] : [])];
    let after = { dram: 0, energy: 0, cycles: 0 };
    for (const i of all) {
      dram += unfused[i].cost.dramBytes;
      energy += unfused[i].cost.energyPj;
      cycles += unfused[i].cost.cycles;
      const c = i === g.head ? h : out[i].cost;
      after = { dram: after.dram + c.dramBytes, energy: after.energy + c.energyPj, cycles: after.cycles + c.cycles };
    }
    rows.push({
      head: ops[g.head].name,
      members: names,
      kinds: g.members.map((j) => (ops[j] as VectorOp).epilogue ?? ''),
      stored: g.passed.filter((p) => p.stored).map((p) => ({ tensor: p.tensor, bytes: p.elements * p.bytesPerElement })),
      onPath: g.passed.filter((p) => !p.stored).map((p) => ({ tensor: p.tensor, bytes: p.elements * p.bytesPerElement })),
      dramBytes: after.dram,
      savedDramBytes: dram - after.dram,
      savedEnergyPj: energy - after.energy,
      savedCycles: cycles - after.cycles,
      ...(g.backward ? { flashBackward: { ops: [...new Set(g.backward.local.flatMap((l) => l.ops))].sort((x, y) => x - y).map((i) => ops[i].name), onChip: g.backward.local.map((l) => l.tensor) } } : {}),
      ...(g.attention
        ? {
            attention: {
              context: ops[g.attention.context].name,
              queryBlock: g.attention.block,
              keyBlock: g.attention.keyBlock,
              kvPasses: g.attention.passes,
              probsStored: g.attention.probsStored,
            },
          }
        : {}),
    });
  }
  return rows;
}

import type { Cost } from './cost.js';
import { TrimInternalError } from './errors.js';
import { levelInstances, portCycles, totalMacUnits, type HardwareModel } from './hardware.js';
import { operandSize, type Op } from './op.js';

/** Relative slack for floating-point sums (counts are exact integers; energies and times are sums of products). */
const EPS = 1e-9;

/**
 * Checks a cost against the model's invariants before anyone reports it, and again after the inter-layer scheduler
 * changed it. A violation is a bug (of TRIM or of a template's cost model): an internal error naming the op.
 * - every count, byte figure, time and energy is finite and non-negative;
 * - MAC ops: the op's MACs, cycles ≥ MACs / PEs, and the backing store (or the on-chip level a scheduled hand-off
 *   moved it to) supplies every input element at least once and receives every output element (compulsory traffic);
 * - energy is the sum of its components;
 * - no level moves more bytes per cycle than its ports allow (time consistent with bytes), and no level uses more
 *   instances than it has;
 * - conservation between levels, per MAC operand: what a level fills is covered by what its parent delivers (times the
 *   multicast fanout between them), and what a level receives from below is covered by what its children drain.
 */
export function checkCost(op: Op, hw: HardwareModel, c: Cost): void {
  const fail = (why: string): never => {
    throw new TrimInternalError(`invariant broken for op ${op.name} (${op.phase}) on ${hw.name}: ${why}`);
  };
  if (!c.legal) fail('illegal mapping reported as a result');
  const L = hw.levels.length;
  if (c.levels !== L) fail(`cost has ${c.levels} levels, hardware ${L}`);
  const top = L - 1;
  for (let i = 0; i < L * 3; i++) {
    for (const v of [c.reads[i], c.writes[i], c.readBytes[i], c.writeBytes[i]]) {
      if (!Number.isFinite(v) || v < 0) fail(`access ${hw.levels[Math.floor(i / 3)].name}[${i % 3}] is ${c.reads[i]}/${c.writes[i]} elements, ${c.readBytes[i]}/${c.writeBytes[i]} bytes`);
    }
  }
  for (const [name, v] of [
    ['cycles', c.cycles],
    ['compute cycles', c.computeCycles],
    ['stall cycles', c.stallCycles],
    ['energy', c.energyPj],
    ['DRAM bytes', c.dramBytes],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) fail(`${name} ${v}`);
  }
  if (c.cycles + EPS < c.computeCycles) fail(`cycles ${c.cycles} below the busy cycles ${c.computeCycles}`);

  if (op.kind === 'mac') {
    if (c.macs !== op.macs) fail(`MACs ${c.macs} differ from the op's ${op.macs}`);
    if (!(c.cycles * totalMacUnits(hw) >= op.macs)) fail(`cycles ${c.cycles} below MACs / PEs = ${op.macs / totalMacUnits(hw)}`);
    for (let t = 0; t < 2; t++) {
      const got = c.reads[top * 3 + t] + c.handoffReads[t];
      if (got < operandSize(op, t)) fail(`${op.operands[t].tensor} read from ${hw.levels[top].name} ${got} times, fewer than its ${operandSize(op, t)} elements`);
    }
    const written = c.writes[top * 3 + 2] + c.handoffWrites[2] + c.fusedWrites;
    if (written < operandSize(op, 2)) fail(`${op.operands[2].tensor} written ${written} times, fewer than its ${operandSize(op, 2)} elements`);
  }

  let sum = c.macEnergyPj + c.aluEnergyPj + c.networkEnergyPj + c.leakageEnergyPj;
  for (let l = 0; l < L; l++) {
    sum += c.levelEnergyPj[l];
    const bySlot = c.slotEnergyPj[l * 3] + c.slotEnergyPj[l * 3 + 1] + c.slotEnergyPj[l * 3 + 2];
    if (Math.abs(bySlot - c.levelEnergyPj[l]) > EPS * Math.max(1, c.levelEnergyPj[l])) fail(`level ${hw.levels[l].name}: its energy ${c.levelEnergyPj[l]} is not the sum over operands ${bySlot}`);
  }
  if (Math.abs(sum - c.energyPj) > EPS * Math.max(1, Math.abs(c.energyPj))) fail(`energy ${c.energyPj} is not the sum of its components ${sum}`);

  // Bandwidth: each level's port time at the op's cycles.
  for (let l = 0; l < L; l++) {
    const lv = hw.levels[l];
    const inst = c.instances[l];
    if (!(inst >= 1) || inst > levelInstances(hw, l)) fail(`level ${lv.name} uses ${inst} instances of ${levelInstances(hw, l)}`);
    const i = l * 3;
    const rb = c.readBytes;
    const wb = c.writeBytes;
    const need = portCycles(lv, rb[i] / inst, rb[i + 1] / inst, rb[i + 2] / inst, wb[i] / inst, wb[i + 1] / inst, wb[i + 2] / inst);
    if (need > c.cycles * (1 + EPS) + EPS) {
      const bytes = rb[i] + rb[i + 1] + rb[i + 2] + wb[i] + wb[i + 1] + wb[i + 2];
      fail(`level ${lv.name} moves ${bytes} bytes in ${c.cycles} cycles, more than its ports allow (${need} cycles needed)`);
    }
  }

  // Vector ops read and write one slot (the optimizer updates weights in place): conservation is per MAC operand.
  if (op.kind === 'mac') conservation(hw, c, fail);
}

/** Levels (innermost first) that take part in an operand's traffic, and the fanout from one level up to another. */
function fanoutBetween(hw: HardwareModel, child: number, parent: number): number {
  let n = 1;
  for (let j = child + 1; j <= parent; j++) n *= hw.levels[j].fanoutX * hw.levels[j].fanoutY;
  return n;
}

function conservation(hw: HardwareModel, c: Cost, fail: (why: string) => never): void {
  const L = hw.levels.length;
  const top = L - 1;
  // What a level got from its loop nest: its writes, less what a fused epilogue staged there (`epilogueFills`).
  const filledAt = (l: number, t: number) => c.writes[l * 3 + t] - (l === top - 1 ? c.epilogueFills[t] : 0);
  for (let t = 0; t < 3; t++) {
    // Read operands: a level is in the chain when it is filled (written) by its parent.
    // The output: a level is in the chain when it receives updates from below.
    let child = -1;
    for (let l = 0; l < top; l++) {
      if (filledAt(l, t) <= 0) continue;
      if (child >= 0) check(child, l);
      child = l;
    }
    if (child >= 0) check(child, top);
    function check(ch: number, p: number): void {
      const name = `${hw.levels[ch].name}→${hw.levels[p].name} [slot ${t}]`;
      if (t < 2) {
        const delivered = c.reads[p * 3 + t] + (p === top ? c.handoffReads[t] : 0);
        const filled = filledAt(ch, t);
        if (filled > delivered * fanoutBetween(hw, ch, p) * (1 + EPS) + EPS) fail(`${name}: the child level fills ${filled} elements, more than the ${delivered} its parent delivers can reach`);
      } else {
        // A level's writes are its children's updates, plus partial sums its own parent sent back down (refills:
        // at most what that parent read), plus — on the hand-off level — the on-chip copy of an output the
        // scheduler moved there from DRAM (counted where the DRAM writes counted). A fused epilogue's results are
        // staged at L−2 (`epilogueFills`); the producer's results it consumed were drained from below but never
        // stored (`fusedWrites`, counted at the top).
        let above = -1;
        for (let l = p + 1; l <= top; l++) if (l === top || filledAt(l, t) > 0) { above = l; break; }
        const returned = above >= 0 ? c.reads[above * 3 + t] : 0;
        const received = filledAt(p, t) - (p === c.handoffLevel ? c.handoffWrites[t] : 0) + (p === top ? c.handoffWrites[t] + c.fusedWrites : 0) - returned;
        const drained = c.reads[ch * 3 + t];
        if (received > drained * (1 + EPS) + EPS) fail(`${name}: the parent receives ${received} partial sums, more than the ${drained} its children drain`);
      }
    }
  }
}

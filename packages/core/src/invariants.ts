import { Cost } from './engine.js';
import { TrimInternalError } from './errors.js';
import { totalMacUnits, type HardwareModel } from './hardware.js';
import { operandSize, type MacOp } from './op.js';

/**
 * Checks a legal Cost against the model's invariants before anyone reports it: finite non-negative numbers, the
 * backing store supplies at least every operand element once (compulsory traffic), cycles at least MACs / PEs, and
 * energy equal to the sum of its components. A violation is a bug: an internal error naming the op.
 */
export function checkCost(op: MacOp, hw: HardwareModel, c: Cost): void {
  const fail = (why: string) => {
    throw new TrimInternalError(`invariant broken for op ${op.name} (${op.phase}) on ${hw.name}: ${why}`);
  };
  if (!c.legal) fail('illegal mapping reported as a result');
  const top = hw.levels.length - 1;
  for (let i = 0; i < c.reads.length; i++) {
    if (!Number.isFinite(c.reads[i]) || c.reads[i] < 0 || !Number.isFinite(c.writes[i]) || c.writes[i] < 0) fail(`access count ${i} is ${c.reads[i]}/${c.writes[i]}`);
  }
  for (let t = 0; t < 2; t++) {
    if (c.reads[top * 3 + t] < operandSize(op, t)) fail(`${op.operands[t].tensor} read from ${hw.levels[top].name} ${c.reads[top * 3 + t]} times, fewer than its ${operandSize(op, t)} elements`);
  }
  if (c.writes[top * 3 + 2] < operandSize(op, 2)) fail(`${op.operands[2].tensor} written ${c.writes[top * 3 + 2]} times, fewer than its ${operandSize(op, 2)} elements`);
  if (c.macs !== op.macs) fail(`MACs ${c.macs} differ from the op's ${op.macs}`);
  if (!(c.cycles * totalMacUnits(hw) >= op.macs)) fail(`cycles ${c.cycles} below MACs / PEs = ${op.macs / totalMacUnits(hw)}`);
  if (!Number.isFinite(c.cycles) || !Number.isFinite(c.energyPj) || c.energyPj < 0) fail(`cycles ${c.cycles}, energy ${c.energyPj}`);
  let sum = c.macEnergyPj + c.networkEnergyPj + c.leakageEnergyPj;
  for (let l = 0; l < c.levelEnergyPj.length; l++) sum += c.levelEnergyPj[l];
  if (Math.abs(sum - c.energyPj) > 1e-9 * Math.max(1, Math.abs(c.energyPj))) fail(`energy ${c.energyPj} is not the sum of its components ${sum}`);
}

import { capabilities } from '../capability.js';
import { Illegal, type Cost } from '../cost.js';
import { engineCostModel, loopNestCostModel, withCostModel } from '../engine/index.js';
import type { Mapping } from '../mapping.js';
import { EPILOGUE_KINDS, epilogueOf } from '../epilogue.js';
import { TrimUserError } from '../errors.js';
import { Port, perSlot, type HardwareModel, type MemoryLevel } from '../hardware.js';
import { defineHardware } from '../plugin.js';
import { precisionOfBits } from '../precision.js';
import { genericSchema, type GenericSpec, type GenericSpecInput } from './schema.js';

function bw(v: number | 'unbounded'): number {
  return v === 'unbounded' ? Infinity : v;
}

/**
 * The spec counts in words of `wordBits` (as Timeloop's architecture files do); the model is in bytes: capacities
 * and bandwidths × bytes per word, energies per word ÷ bytes per word.
 */
export function buildGeneric(spec: GenericSpec, name: string): HardwareModel {
  const wordBytes = spec.wordBits / 8;
  const levels: MemoryLevel[] = spec.levels.map((l, i) => {
    const holds: [boolean, boolean, boolean] = [l.holds.includes('weights'), l.holds.includes('inputs'), l.holds.includes('outputs')];
    const port = l.bandwidthWordsPerCycle;
    const shared = typeof port !== 'object';
    const last = i === spec.levels.length - 1;
    if (!last && (l.capacityWords === 'unbounded' || (l.capacityWords === undefined && l.partitionWords === undefined))) {
      throw new TrimUserError(`architecture "${name}": field levels.${i}.capacityWords: only the last level (the backing store) may be unbounded`, { field: `levels.${i}.capacityWords` });
    }
    if (last && !holds.every(Boolean)) {
      throw new TrimUserError(`architecture "${name}": the last level (${l.name}) is the backing store and must hold weights, inputs and outputs`, { field: `levels.${i}.holds` });
    }
    const partition = l.partitionWords;
    return {
      name: l.name,
      capacityBytes: l.capacityWords === undefined || l.capacityWords === 'unbounded' ? Infinity : l.capacityWords * wordBytes,
      // Always present (possibly undefined) so every level has one hidden class in the engine's hot loops.
      slotCapacityBytes: partition ? ([partition.weights * wordBytes, partition.inputs * wordBytes, partition.outputs * wordBytes] as const) : undefined,
      holds,
      fanoutX: l.fanout.x,
      fanoutY: l.fanout.y,
      readBytesPerCycle: (shared ? bw(port) : bw(port.read)) * wordBytes,
      writeBytesPerCycle: (shared ? bw(port) : bw(port.write)) * wordBytes,
      port: shared ? Port.Shared : Port.Split,
      readPjPerByte: perSlot(l.readEnergyPj / wordBytes),
      writePjPerByte: perSlot((l.writeEnergyPj ?? l.readEnergyPj) / wordBytes),
      networkPjPerByte: l.networkEnergyPj / wordBytes,
      doubleBuffered: l.doubleBuffered,
      leakageMw: l.leakageMw,
    };
  });
  let pes = 1;
  for (const l of levels) pes *= l.fanoutX * l.fanoutY;
  // Levels no operand may skip (`bypassable: false`), with the reason a rejected mapping reports (built once here).
  const fixed: Array<{ level: number; holds: readonly [boolean, boolean, boolean]; why: string }> = [];
  spec.levels.forEach((l, i) => {
    if (!l.bypassable) fixed.push({ level: i, holds: levels[i].holds, why: `level ${l.name} has no bypass (bypassable: false): every operand it holds passes through it` });
  });
  return withCostModel(
    {
      name,
      template: 'generic',
      clockMHz: spec.clockMHz,
      precision: spec.precision ?? precisionOfBits(spec.wordBits),
      levels,
      macEnergyPj: spec.macEnergyPj,
      ...(spec.psumBits !== undefined ? { psumBytes: spec.psumBits / 8 } : {}),
      vectorOpsPerCycle: spec.vectorOpsPerCycle ?? pes,
      aluEnergyPj: spec.aluEnergyPj,
      // A generic accelerator's output path applies the common epilogues at its vector rate, as NVDLA's SDP (bias,
      // BatchNorm, element-wise add, activation) and PDP (pooling, fed on the fly) do (NVDLA hardware architecture
      // document, nvdla.org/hw/v1/hwarch.html).
      epilogue: epilogueOf(spec.epilogue, { kinds: EPILOGUE_KINDS, opsPerCycle: spec.vectorOpsPerCycle ?? pes }),
      // A generic accelerator is scheduled by its compiler: layers may be interleaved band by band (as DeFiNES and
      // Stream schedule such hierarchies).
      depthFirst: spec.depthFirst,
      ...(spec.areaMm2 !== undefined ? { areaMm2: spec.areaMm2 } : {}),
      capabilities: capabilities(),
    },
    fixed.length === 0 ? engineCostModel : (hw) => loopNestCostModel(hw, { rules: (_op, m, out) => keepsFixedLevels(fixed, m, out) }),
  );
}

/** Rejects a mapping that bypasses an operand at a level without a bypass path. */
function keepsFixedLevels(fixed: ReadonlyArray<{ level: number; holds: readonly [boolean, boolean, boolean]; why: string }>, m: Mapping, out: Cost): Cost {
  for (const f of fixed) {
    const k = f.level * 3;
    if ((f.holds[0] && m.keep[k] === 0) || (f.holds[1] && m.keep[k + 1] === 0) || (f.holds[2] && m.keep[k + 2] === 0)) return out.fail(Illegal.Template, f.level, -1, f.why);
  }
  return out;
}

/**
 * Energies per 16-bit access at 45 nm, scaled from M. Horowitz, "Computing's energy problem", ISSCC 2014 (Fig. 1.1.9):
 * 16-bit multiply-add ≈ 1 pJ; 8 KB SRAM 10 pJ and 1 MB SRAM 100 pJ per 64-bit access (2.5 and 25 pJ per 16-bit
 * word); DRAM 1.3–2.6 nJ per 64-bit access (≈ 400 pJ per 16-bit word at the midpoint); a 64-word register file
 * ≈ 0.5 pJ.
 */
const generic16x16: GenericSpecInput = {
  name: 'generic-16x16',
  clockMHz: 500,
  wordBits: 16,
  macEnergyPj: 1.0,
  aluEnergyPj: 0.2,
  levels: [
    { name: 'rf', capacityWords: 64, fanout: { x: 1, y: 1 }, bandwidthWordsPerCycle: 'unbounded', readEnergyPj: 0.5, doubleBuffered: false },
    {
      name: 'glb',
      capacityWords: 131072,
      fanout: { x: 16, y: 16 },
      bandwidthWordsPerCycle: 64,
      readEnergyPj: 25,
      networkEnergyPj: 2,
    },
    // 25.6 GB/s at 500 MHz and 2-byte words = 25.6 words per cycle.
    { name: 'dram', capacityWords: 'unbounded', bandwidthWordsPerCycle: 25.6, readEnergyPj: 400 },
  ],
};

export const genericHardware = defineHardware<GenericSpec>({
  name: 'generic',
  description: 'A user-described hierarchy of memory levels over a PE array (Timeloop-style architecture spec)',
  configSchema: genericSchema as unknown as import('zod').z.ZodType<GenericSpec>,
  builtins: { 'generic-16x16': generic16x16 },
  build: buildGeneric,
});

import { capabilities, epilogueOf, Port, perSlot, precisionOfBits, withCostModel, type HardwareModel, type MemoryLevel } from '@trim-dse/core';
import { estimateAreaMm2 } from './area.js';
import { defaultAluPj, defaultDramPj, defaultMacPj, defaultPeRegisterPj, defaultSramPj } from './energy.js';
import { wiringCode } from './scalesim/codes.js';
import { systolicCostModel } from './scalesim/model.js';
import type { SystolicSpec } from './schema.js';
import { dramBytesPerCycle, kbToBytes } from './units.js';

/**
 * The hardware model of a systolic array, in bytes. Levels, innermost first:
 * 0 `pe`: one register of the datapath's word per operand in each PE;
 * 1 `sram`: the filter, ifmap and ofmap buffers as per-operand partitions (slot 0, 1, 2), fanning out to rows × cols
 *   PEs; ports sized to the array's edges (SCALE-Sim never stalls on SRAM): unbounded;
 * 2 `dram`: the backing store; one port per operand buffer (`interfaces: per-operand`, SCALE-Sim) or one shared;
 *   its transfers overlap compute exactly when the SRAMs double-buffer.
 * Energies per word of the spec become per byte (÷ bytes per word); the SRAMs keep one energy per operand slot.
 * Its cost model is SCALE-Sim's (`scalesim/model.ts`), keyed on the mapping's stationary operand.
 */
export function buildSystolic(spec: SystolicSpec, name: string): HardwareModel {
  const e = spec.energy;
  const bits = spec.wordBits;
  const wordBytes = bits / 8;
  const partition = [kbToBytes(spec.sram.filterKB), kbToBytes(spec.sram.ifmapKB), kbToBytes(spec.sram.ofmapKB)] as const;
  const sramPjPerByte = [
    (e.filterSramPj ?? defaultSramPj(spec.sram.filterKB, bits)) / wordBytes,
    (e.ifmapSramPj ?? defaultSramPj(spec.sram.ifmapKB, bits)) / wordBytes,
    (e.ofmapSramPj ?? defaultSramPj(spec.sram.ofmapKB, bits)) / wordBytes,
  ] as const;
  const dramPjPerByte = (e.dramPj ?? defaultDramPj(bits)) / wordBytes;
  const bw = dramBytesPerCycle(spec);
  const pe: MemoryLevel = {
    name: 'pe',
    capacityBytes: 3 * wordBytes,
    slotCapacityBytes: perSlot(wordBytes),
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBytesPerCycle: Infinity,
    writeBytesPerCycle: Infinity,
    port: Port.Split,
    // Feeding the MAC from its registers is part of the multiply-add figure; latching a word costs `peRegisterPj`.
    readPjPerByte: perSlot(0),
    writePjPerByte: perSlot((e.peRegisterPj ?? defaultPeRegisterPj(bits)) / wordBytes),
    networkPjPerByte: 0,
    doubleBuffered: false,
    leakageMw: 0,
  };
  const sram: MemoryLevel = {
    name: 'sram',
    capacityBytes: partition[0] + partition[1] + partition[2],
    slotCapacityBytes: partition,
    holds: [true, true, true],
    fanoutX: spec.cols,
    fanoutY: spec.rows,
    readBytesPerCycle: Infinity,
    writeBytesPerCycle: Infinity,
    port: Port.Split,
    readPjPerByte: sramPjPerByte,
    writePjPerByte: sramPjPerByte,
    networkPjPerByte: 0,
    doubleBuffered: spec.sram.doubleBuffered,
    leakageMw: 0,
  };
  const dram: MemoryLevel = {
    name: 'dram',
    capacityBytes: Infinity,
    slotCapacityBytes: undefined,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    readBytesPerCycle: bw,
    writeBytesPerCycle: bw,
    port: spec.dram.interfaces === 'per-operand' ? Port.PerOperand : Port.Shared,
    readPjPerByte: perSlot(dramPjPerByte),
    writePjPerByte: perSlot(dramPjPerByte),
    networkPjPerByte: 0,
    // The SRAMs' ping-pong halves are what let DRAM transfers run under compute.
    doubleBuffered: spec.sram.doubleBuffered,
    leakageMw: 0,
  };
  const wiring = wiringCode(spec.dataflow);
  return withCostModel(
    {
      name,
      template: 'systolic',
      clockMHz: spec.clockMHz,
      precision: precisionOfBits(bits),
      levels: [pe, sram, dram],
      macEnergyPj: e.macPj ?? defaultMacPj(bits),
      // Pooling and element-wise work runs on a vector unit as wide as the array's columns (TPU v1's activation unit).
      vectorOpsPerCycle: spec.vectorOpsPerCycle ?? spec.cols,
      aluEnergyPj: e.aluPj ?? defaultAluPj(bits),
      // TPU v1's Activate unit sits between the accumulators and the Unified Buffer: it applies ReLU, sigmoid, tanh
      // and pooling to one accumulator row per cycle (Jouppi et al., ISCA 2017, section 2); a folded BatchNorm's
      // shift is the accumulators' initial value (the bias). No second-tensor read: residual adds run alone.
      epilogue: epilogueOf(spec.epilogue, { kinds: ['activation', 'bias', 'pool'], opsPerCycle: spec.vectorOpsPerCycle ?? spec.cols }),
      // The host issues the array's instructions and the buffer is software-managed (TPU v1): layers can interleave.
      depthFirst: spec.depthFirst,
      areaMm2: spec.areaMm2 ?? estimateAreaMm2(spec),
      // The level whose fanout reaches the PEs, so that 1×1 and N×1 arrays map too.
      arrayLevel: 1,
      capabilities: capabilities(),
    },
    (hw) => systolicCostModel(hw, wiring),
  );
}

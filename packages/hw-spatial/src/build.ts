import { capabilities, epilogueOf, perSlot, Port, precisionOfBits, withCostModel, type HardwareModel, type MemoryLevel } from '@trim-dse/core';
import { spatialCostModel } from './cost-model.js';
import { spatialEffects } from './effects.js';
import { accessEnergiesPj, dramBytesPerCycle, meanHops } from './energy.js';
import { GLB } from './hierarchy.js';
import type { SpatialSpec } from './schema.js';

const bw = (v: number | 'unbounded'): number => (v === 'unbounded' ? Infinity : v);

/**
 * Builds a spatial array as the cost model sees it: [rf (per PE, one MAC below it), glb (fanout cols × rows), dram],
 * in bytes. The spec counts in words of `wordBits` (as the Eyeriss papers do): capacities and bandwidths × bytes per
 * word, energies per word ÷ bytes per word. The GLB's per-slot capacities are each operand's upper bound (filters:
 * the filter buffer; inputs and partial sums: every shared bank); the bank split between those two is a rule of the
 * template's cost model, which also adds its effects (zero gating, staging, RLC, NoC) for every dataflow.
 */
export function buildSpatial(spec: SpatialSpec, name: string): HardwareModel {
  const e = accessEnergiesPj(spec.energy);
  const wordBytes = spec.wordBits / 8;
  const { rows, cols } = spec.array;
  const rfBytes = [spec.rf.weightsWords * wordBytes, spec.rf.inputsWords * wordBytes, spec.rf.outputsWords * wordBytes] as const;
  const rf: MemoryLevel = {
    name: 'rf',
    capacityBytes: rfBytes[0] + rfBytes[1] + rfBytes[2],
    slotCapacityBytes: rfBytes,
    holds: [rfBytes[0] > 0, rfBytes[1] > 0, rfBytes[2] > 0],
    fanoutX: 1,
    fanoutY: 1,
    readBytesPerCycle: Infinity,
    writeBytesPerCycle: Infinity,
    port: Port.Split,
    readPjPerByte: perSlot(e.rf / wordBytes),
    writePjPerByte: perSlot(e.rf / wordBytes),
    networkPjPerByte: 0,
    doubleBuffered: false,
    leakageMw: spec.rf.leakageMw,
  };
  const weightsBytes = Math.floor(spec.glb.weightsKB * 1024);
  const sharedBytes = Math.floor(spec.glb.bankKB * 1024) * spec.glb.banks;
  const nocPjPerWord = spec.noc.energyModel === 'per-hop' ? e.noc * meanHops(rows, cols) : e.noc;
  const glb: MemoryLevel = {
    name: 'glb',
    capacityBytes: weightsBytes + sharedBytes,
    slotCapacityBytes: [weightsBytes, sharedBytes, sharedBytes],
    holds: [weightsBytes > 0, true, true],
    fanoutX: cols,
    fanoutY: rows,
    readBytesPerCycle: bw(spec.glb.readWordsPerCycle) * wordBytes,
    writeBytesPerCycle: bw(spec.glb.writeWordsPerCycle) * wordBytes,
    port: Port.Split,
    readPjPerByte: perSlot(e.glb / wordBytes),
    writePjPerByte: perSlot(e.glb / wordBytes),
    networkPjPerByte: nocPjPerWord / wordBytes,
    doubleBuffered: spec.glb.doubleBuffered,
    leakageMw: spec.glb.leakageMw,
  };
  const link = dramBytesPerCycle(spec.dram, spec.wordBits, spec.clockMHz);
  const dram: MemoryLevel = {
    name: 'dram',
    capacityBytes: Infinity,
    slotCapacityBytes: undefined,
    holds: [true, true, true],
    fanoutX: 1,
    fanoutY: 1,
    // One link carries reads and writes.
    readBytesPerCycle: link,
    writeBytesPerCycle: link,
    port: Port.Shared,
    readPjPerByte: perSlot(e.dram / wordBytes),
    writePjPerByte: perSlot(e.dram / wordBytes),
    networkPjPerByte: 0,
    doubleBuffered: spec.dram.overlapCompute,
    leakageMw: 0,
  };
  const fx = spatialEffects(spec);
  return withCostModel(
    {
      name,
      template: 'spatial',
      clockMHz: spec.clockMHz,
      precision: precisionOfBits(spec.wordBits),
      levels: [rf, glb, dram],
      macEnergyPj: spec.energy.macPj,
      vectorOpsPerCycle: rows * cols,
      aluEnergyPj: spec.energy.aluPj,
      // Eyeriss applies ReLU to the ofmaps on their way from the GLB to the RLC encoder and DRAM (Chen et al., JSSC
      // 2017, Fig. 2); a folded BatchNorm's shift is the partial sums' initial value (the bias). No pooling unit.
      epilogue: epilogueOf(spec.epilogue, { kinds: ['activation', 'bias'], opsPerCycle: rows * cols }),
      // Eyeriss is configured layer by layer (its PE array and GLB are set up per layer, Chen et al., JSSC 2017): no
      // interleaving of layers unless the spec says the controller can (depthFirst: true).
      depthFirst: spec.depthFirst,
      ...(spec.areaMm2 !== undefined ? { areaMm2: spec.areaMm2 } : {}),
      // The goal a run without --goal maps with (read by the pipeline once core supports a hardware default goal).
      ...(spec.mapperGoal !== undefined ? { mapperGoal: spec.mapperGoal } : {}),
      // The GLB's fanout reaches the PEs, also on a 1×1 array.
      arrayLevel: GLB,
      capabilities: capabilities(),
    },
    (hw) => spatialCostModel(hw, fx),
  );
}

import {
  buildGeneric,
  defineDataflow,
  Evaluator,
  genericHardware,
  genericSchema,
  opResultOf,
  tiledMapspace,
  type GenericSpecInput,
  type HardwareModel,
  type Op,
  type OpCost,
  type OpResult,
} from '@trim-dse/core';

/** A small weight-stationary-like dataflow for tests (the real dataflow plug-ins live in their own packages). */
export const testDataflow = defineDataflow({
  name: 'test-ws',
  description: 'K across x, C across y; tiles searched coarsely',
  templates: '*',
  mapspace: (op, hw, emit) =>
    tiledMapspace(op, hw, { spatialX: ['K'], spatialY: ['C'], peOrder: ['N', 'P', 'Q', 'R', 'S'], peDims: ['S'], outerOrders: [['N', 'K', 'C', 'P', 'Q', 'R', 'S']], maxCandidates: 2 }, emit),
});

export function generic16(): HardwareModel {
  const spec = genericSchema.parse(genericHardware.builtins['generic-16x16']);
  return buildGeneric(spec, 'generic-16x16');
}

/** generic-16x16's hierarchy with a global buffer of `glbWords` 16-bit words over an array×array PE array. */
export function genericWithGlb(glbWords: number, array = 16, name = `generic-${array}x${array}-glb-${glbWords}`): HardwareModel {
  const spec: GenericSpecInput = {
    name,
    clockMHz: 500,
    wordBits: 16,
    macEnergyPj: 1,
    levels: [
      { name: 'rf', capacityWords: 64, bandwidthWordsPerCycle: 'unbounded', readEnergyPj: 0.5, doubleBuffered: false },
      { name: 'glb', capacityWords: glbWords, fanout: { x: array, y: array }, bandwidthWordsPerCycle: 64, readEnergyPj: 25, networkEnergyPj: 2 },
      { name: 'dram', capacityWords: 'unbounded', bandwidthWordsPerCycle: 25.6, readEnergyPj: 400 },
    ],
  };
  return buildGeneric(genericSchema.parse(spec), name);
}

/** Every op priced with the test dataflow (energy goal): what the scheduler takes. */
export function priceAll(ops: readonly Op[], hw: HardwareModel): OpCost[] {
  const ev = new Evaluator(hw, [{ plugin: testDataflow, config: {} }], 'energy');
  return ops.map((op) => ev.evaluateOp(op));
}

/** Priced ops as reported (names, roles, counts). */
export function reportAll(costs: readonly OpCost[], hw: HardwareModel): OpResult[] {
  return costs.map((c) => opResultOf(c, hw));
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

import { capabilities, Port, precisionOfBits, TrimUserError, withCostModel, type MemoryLevel } from '@trim-dse/core';
import { actionEnergyPj, readAreaTable, readEnergyTable, type EnergyTable } from './accelergy.js';
import { compileConstraints, readConstraintTargets } from './constraints.js';
import { timeloopCostModel, type TimeloopHardwareModel } from './cost-model.js';
import type { StorageSpec, TimeloopSpec } from './spec.js';

/** Vector access energies of one level, pJ (read, fill, update), from the ERT or the spec. */
function levelEnergies(lv: StorageSpec, i: number, ert: EnergyTable | undefined, name: string): [number, number, number] {
  const table = ert?.get(lv.name);
  if (table) return [actionEnergyPj(table, 'read'), actionEnergyPj(table, 'fill'), actionEnergyPj(table, 'update')];
  const read = lv.readEnergyPj;
  if (read === undefined) {
    throw new TrimUserError(
      `architecture "${name}": field levels.${i}.readEnergyPj: no energy for level ${lv.name}${ert ? ' (the energy table has no component of that name)' : ''}`,
      { field: `levels.${i}.readEnergyPj`, fix: 'give the Accelergy ERT of this architecture with --energy-table ERT.yaml, or set the level\'s readEnergyPj' },
    );
  }
  const fill = lv.fillEnergyPj ?? read;
  return [read, fill, lv.updateEnergyPj ?? fill];
}

function meshOf(instances: number, meshX: number | undefined, what: string, field: string, name: string): [number, number] {
  const x = meshX ?? instances;
  const y = instances / x;
  if (!Number.isInteger(y)) throw new TrimUserError(`architecture "${name}": field ${field}: meshX ${x} does not divide the ${instances} instances of ${what}`, { field });
  return [x, y];
}

/**
 * Builds the hardware model of a Timeloop architecture. Each storage level becomes a TRIM level:
 * - fanout = the children's mesh over its own (Timeloop: `meshX(child) / meshX(level)` along x, the same along y);
 * - capacity: Timeloop fits tiles in `size / multiple-buffering` words and overlaps every transfer with compute
 *   (its performance model throttles compute by each level's bandwidth, whatever its buffering). In TRIM's terms
 *   that is a double-buffered level (transfers overlap) whose two halves each hold `size / multiple-buffering` words;
 * - ports: `read_bandwidth`/`write_bandwidth` (words/cycle) a split read and write port, `shared_bandwidth` one
 *   shared port, none unbounded (Timeloop's default);
 * - energy per byte: the ERT's vector access energy over the block's bytes (the cost model charges whole blocks).
 */
export function buildTimeloop(spec: TimeloopSpec, name: string): TimeloopHardwareModel {
  const ert = spec.energyTable !== undefined ? readEnergyTable(spec.energyTable) : undefined;
  const art = spec.areaTable !== undefined ? readAreaTable(spec.areaTable) : undefined;
  const L = spec.levels.length;
  const constraints = spec.constraints !== undefined ? compileConstraints(readConstraintTargets(spec.constraints), spec.levels.map((lv) => lv.name), spec.constraints) : undefined;
  const holdsOf = (l: number, slot: number) => constraints?.keep[l * 3 + slot] !== 0;
  const blockBytes = new Float64Array(L);
  const c = spec.compute;
  let [childX, childY] = meshOf(c.instances, c.meshX, c.name, 'compute.meshX', name);
  let childName = c.name;
  let area = 0;
  let areaKnown = true;
  const addArea = (component: string, perInstance: number | undefined, instances: number) => {
    const a = art?.get(component) ?? perInstance;
    if (a === undefined) areaKnown = false;
    else area += a * instances;
  };
  addArea(c.name, c.areaUm2, c.instances);
  const levels: MemoryLevel[] = spec.levels.map((lv, i) => {
    const field = `levels.${i}`;
    const [x, y] = meshOf(lv.instances, lv.meshX, lv.name, `${field}.meshX`, name);
    const fanoutX = childX / x;
    const fanoutY = childY / y;
    if (!Number.isInteger(fanoutX) || !Number.isInteger(fanoutY) || fanoutX < 1 || fanoutY < 1) {
      throw new TrimUserError(
        `architecture "${name}": field ${field}.instances: ${lv.name} (${x}×${y}) cannot feed ${childName} (${childX}×${childY}): each instance must serve a whole block of children along x and y`,
        { field: `${field}.instances` },
      );
    }
    [childX, childY] = [x, y];
    childName = lv.name;
    const last = i === L - 1;
    if (last && lv.instances !== 1) {
      throw new TrimUserError(`architecture "${name}": field ${field}.instances: the outermost level (${lv.name}) is the backing store and has one instance, not ${lv.instances}`, { field: `${field}.instances` });
    }
    if (!last && lv.sizeWords === 'unbounded') {
      throw new TrimUserError(`architecture "${name}": field ${field}.sizeWords: only the outermost level (the backing store) may be unbounded; give ${lv.name} a depth`, { field: `${field}.sizeWords` });
    }
    const wordBytes = lv.wordBits / 8;
    blockBytes[i] = lv.blockWords * wordBytes;
    const [read, fill, update] = levelEnergies(lv, i, ert, name);
    const perByte = 1 / (lv.clusterSize * blockBytes[i]);
    addArea(lv.name, lv.areaUm2, lv.instances);
    const shared = lv.sharedBandwidth !== undefined || (lv.readBandwidth === undefined && lv.writeBandwidth === undefined);
    return {
      name: lv.name,
      capacityBytes: lv.sizeWords === 'unbounded' ? Infinity : (lv.sizeWords * wordBytes * 2) / lv.multipleBuffering,
      slotCapacityBytes: undefined,
      // A level the constraints make bypass an operand cannot hold it (a hardware fact: Eyeriss's spads).
      holds: [holdsOf(i, 0), holdsOf(i, 1), holdsOf(i, 2)],
      fanoutX,
      fanoutY,
      readBytesPerCycle: (shared ? (lv.sharedBandwidth ?? Infinity) : (lv.readBandwidth ?? Infinity)) * wordBytes,
      writeBytesPerCycle: (shared ? (lv.sharedBandwidth ?? Infinity) : (lv.writeBandwidth ?? Infinity)) * wordBytes,
      port: shared ? Port.Shared : Port.Split,
      readPjPerByte: [read * perByte, read * perByte, read * perByte],
      // Weights and inputs are only ever filled; the partial-sum operand's writes are mostly updates.
      writePjPerByte: [fill * perByte, fill * perByte, update * perByte],
      networkPjPerByte: 0,
      doubleBuffered: true,
      leakageMw: 0,
    };
  });
  const computeTable = ert?.get(c.name);
  const macEnergyPj = computeTable ? actionEnergyPj(computeTable, 'compute') : c.energyPj;
  if (macEnergyPj === undefined) {
    throw new TrimUserError(`architecture "${name}": field compute.energyPj: no energy per MAC for ${c.name}${ert ? ' (the energy table has no component of that name)' : ''}`, {
      field: 'compute.energyPj',
      fix: 'give the Accelergy ERT of this architecture with --energy-table ERT.yaml, or set compute.energyPj',
    });
  }
  const hw = withCostModel(
    {
      name,
      template: 'timeloop',
      clockMHz: spec.clockMHz,
      precision: precisionOfBits(c.wordBits),
      levels,
      macEnergyPj,
      // Timeloop models no vector unit: element-wise work runs on the MACs, one op per MAC per cycle at a MAC's energy.
      vectorOpsPerCycle: c.instances,
      aluEnergyPj: macEnergyPj,
      ...(areaKnown && area > 0 ? { areaMm2: area / 1e6 } : {}),
      capabilities: capabilities(),
    },
    (model) => timeloopCostModel(model, blockBytes, constraints),
  );
  // The constraints travel with the model (copies of it included) for mappers that propose within them.
  return constraints ? { ...hw, timeloopConstraints: constraints } : hw;
}

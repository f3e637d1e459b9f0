import { readYamlFile, TrimUserError } from '@trim-dse/core';
import { baseName } from './arch.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Energy per action of each component of an Accelergy ERT, pJ, keyed by the component's base name. */
export type EnergyTable = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Timeloop v3's choice of ERT action for each access it counts (`model/topology.hpp` storageOperationMappings and
 * arithmeticOperationMappings): the first action of the list that the component's table has. A read is `read`, a
 * fill (data from the level above) `write`, an update (a partial sum from below) `write` too unless the table has
 * `random_update`/`random_fill`; one MAC is `mac_random` (Accelergy's MAC on random operands).
 */
export const TIMELOOP_ACTIONS = {
  read: ['random_read', 'read'],
  fill: ['random_fill', 'write'],
  update: ['random_update', 'random_fill', 'write'],
  compute: ['mac_random', 'mult_random', 'mac', 'mult', 'compute'],
} as const;
export type TimeloopAction = keyof typeof TIMELOOP_ACTIONS;

/**
 * An action's energy in Timeloop v3's reading of an ERT (`Topology::Specs::ParseAccelergyERT`): the largest energy
 * among the action's argument combinations. Timeloop v3 keeps no data or address statistics, so it charges every
 * access the worst case (for Accelergy's smartbuffers: `address_delta: 1, data_delta: 1`, a new address and new
 * data). An action the table lacks falls back to the component's most expensive action, as Timeloop does.
 */
export function actionEnergyPj(table: ReadonlyMap<string, number>, action: TimeloopAction): number {
  for (const name of TIMELOOP_ACTIONS[action]) {
    const e = table.get(name);
    if (e !== undefined) return e;
  }
  let max = 0;
  for (const e of table.values()) if (e > max) max = e;
  return max;
}

function energyOf(entry: unknown): number | undefined {
  if (!isRecord(entry)) return undefined;
  const e = entry.energy;
  return typeof e === 'number' && Number.isFinite(e) && e >= 0 ? e : undefined;
}

/** The largest energy of an action's entries (a list of argument combinations, or one entry). */
function maxEnergy(entries: unknown): number | undefined {
  const list = Array.isArray(entries) ? entries : [entries];
  let max: number | undefined;
  for (const e of list) {
    const v = energyOf(e);
    if (v !== undefined && (max === undefined || v > max)) max = v;
  }
  return max;
}

function tablesOf(doc: unknown, key: 'ERT' | 'ART', file: string): unknown {
  const root = isRecord(doc) && isRecord(doc[key]) ? doc[key] : doc;
  if (!isRecord(root) || root.tables === undefined) {
    throw new TrimUserError(`${file}: not an Accelergy ${key} (expected ${key}: { version, tables })`, { field: `${key}.tables`, fix: `give the ${key}.yaml Accelergy wrote for this architecture` });
  }
  return root.tables;
}

/**
 * Reads an Accelergy ERT (v0.2: `tables` maps component → action → entries; v0.3/v0.4: `tables` lists components
 * with their `actions`), keeping per action the largest energy over its arguments (Timeloop v3's reading).
 */
export function readEnergyTable(file: string): EnergyTable {
  const tables = tablesOf(readYamlFile(file), 'ERT', file);
  const out = new Map<string, Map<string, number>>();
  const put = (component: string, action: string, e: number | undefined) => {
    if (e === undefined) return;
    const key = lastSegment(component);
    const t = out.get(key) ?? new Map<string, number>();
    t.set(action, Math.max(e, t.get(action) ?? 0));
    out.set(key, t);
  };
  if (Array.isArray(tables)) {
    tables.forEach((t, i) => {
      if (!isRecord(t) || typeof t.name !== 'string' || !Array.isArray(t.actions)) {
        throw new TrimUserError(`${file}: field ERT.tables[${i}]: expected { name, actions: [...] }`, { field: `ERT.tables[${i}]` });
      }
      for (const a of t.actions) if (isRecord(a) && typeof a.name === 'string') put(t.name, a.name, maxEnergy(a));
    });
  } else if (isRecord(tables)) {
    for (const [component, actions] of Object.entries(tables)) {
      if (!isRecord(actions)) continue;
      for (const [action, entries] of Object.entries(actions)) put(component, action, maxEnergy(entries));
    }
  } else throw new TrimUserError(`${file}: field ERT.tables: expected a list of components`, { field: 'ERT.tables' });
  if (out.size === 0) throw new TrimUserError(`${file}: the ERT has no energies`, { field: 'ERT.tables' });
  return out;
}

/** Reads an Accelergy ART: area per component instance, µm², keyed by the component's base name. */
export function readAreaTable(file: string): ReadonlyMap<string, number> {
  const tables = tablesOf(readYamlFile(file), 'ART', file);
  const out = new Map<string, number>();
  const list = Array.isArray(tables) ? tables : isRecord(tables) ? Object.entries(tables).map(([name, v]) => ({ name, ...(isRecord(v) ? v : { area: v }) })) : [];
  for (const t of list) {
    if (isRecord(t) && typeof t.name === 'string' && typeof t.area === 'number' && Number.isFinite(t.area) && t.area >= 0) out.set(baseName(lastSegment(t.name)), t.area);
  }
  if (out.size === 0) throw new TrimUserError(`${file}: the ART has no areas`, { field: 'ART.tables' });
  return out;
}

/**
 * The component's own name in a hierarchical ERT name (`System.Chip.PE.RegisterFile[0..15]` → `RegisterFile`), as
 * Timeloop matches ERT entries to its levels (the ranges removed before splitting: `[0..15]` holds dots).
 */
export function lastSegment(name: string): string {
  const plain = baseName(name);
  const dot = plain.lastIndexOf('.');
  return dot >= 0 ? plain.slice(dot + 1) : plain;
}

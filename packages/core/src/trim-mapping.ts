import { DIMS, type Dim } from './dims.js';
import { TrimUserError } from './errors.js';
import type { HardwareModel } from './hardware.js';
import { emptyMapping, type Mapping, type MappingDescription } from './mapping.js';
import type { MacOp } from './op.js';
import type { FixedMapping, MappingReader } from './plugin.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

interface PrintedLayer {
  readonly name: string;
  readonly phase: string;
  readonly mapping: MappingDescription;
}

function fail(path: string, field: string, why: string, fix?: string): never {
  throw new TrimUserError(`--mapping ${path}: field ${field}: ${why}`, { field, ...(fix ? { fix } : {}) });
}

function factorsOf(v: unknown, path: string, at: string): Partial<Record<Dim, number>> {
  if (v === undefined) return {};
  if (!isRecord(v)) fail(path, at, 'expected { dim: factor }');
  for (const [k, f] of Object.entries(v)) {
    if (!(DIMS as readonly string[]).includes(k)) fail(path, `${at}.${k}`, `unknown loop dim (known: ${DIMS.join(', ')})`);
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) fail(path, `${at}.${k}`, `expected a positive integer factor, got ${JSON.stringify(f)}`);
  }
  return v as Partial<Record<Dim, number>>;
}

/** The layers of a `trim.eval/v1` document that carry their mapping, checked field by field. */
function printedLayers(data: unknown, path: string): PrintedLayer[] {
  const layers = isRecord(data) && Array.isArray(data.layers) ? data.layers : fail(path, 'layers', 'expected the layers of a trim.eval/v1 document');
  const out: PrintedLayer[] = [];
  layers.forEach((l, i) => {
    const at = `layers[${i}]`;
    if (!isRecord(l) || typeof l.name !== 'string' || typeof l.phase !== 'string') fail(path, at, 'expected a layer with a name and a phase');
    if (l.mapping === undefined) return;
    const m = l.mapping;
    if (!isRecord(m) || !Array.isArray(m.levels)) fail(path, `${at}.mapping.levels`, 'expected the list of levels, outermost first');
    const levels = m.levels.map((lv, j) => {
      const la = `${at}.mapping.levels[${j}]`;
      if (!isRecord(lv) || typeof lv.level !== 'string') fail(path, la, 'expected a level with a name');
      if (lv.order !== undefined && typeof lv.order !== 'string') fail(path, `${la}.order`, 'expected the loop order, outermost first (e.g. "KCP")');
      const bypass = lv.bypass === undefined ? [] : lv.bypass;
      if (!Array.isArray(bypass) || !bypass.every((b) => typeof b === 'string')) fail(path, `${la}.bypass`, 'expected a list of tensor names');
      return {
        level: lv.level,
        temporal: factorsOf(lv.temporal, path, `${la}.temporal`),
        spatialX: factorsOf(lv.spatialX, path, `${la}.spatialX`),
        spatialY: factorsOf(lv.spatialY, path, `${la}.spatialY`),
        order: typeof lv.order === 'string' ? lv.order : '',
        bypass: bypass as string[],
      };
    });
    out.push({ name: l.name, phase: l.phase, mapping: { levels } });
  });
  if (out.length === 0) {
    fail(path, 'layers', 'no layer carries its mapping', "write the file with `trim eval --format json` and the option that prints each layer's mapping");
  }
  return out;
}

/** A printed mapping description as a TRIM mapping on `hw` (levels matched by name; undescribed levels iterate nothing). */
export function mappingOfDescription(d: MappingDescription, op: MacOp, hw: HardwareModel, path: string, at: string): Mapping {
  const m = emptyMapping(hw.levels.length, op.dims.length);
  // A level keeps what it can hold unless the printed mapping says otherwise (an arch's bypass rules may forbid some).
  hw.levels.forEach((lv, l) => lv.holds.forEach((h, s) => { m.keep[l * 3 + s] = h ? 1 : 0; }));
  const names: string[] = op.operands.map((o) => o.tensor);
  d.levels.forEach((lv, j) => {
    const l = hw.levels.findIndex((x) => x.name === lv.level);
    if (l < 0) fail(path, `${at}.levels[${j}].level`, `"${lv.level}" is not a level of ${hw.name} (levels: ${hw.levels.map((x) => x.name).join(', ')})`);
    const D = op.dims.length;
    const base = l * D;
    op.dims.forEach((dim, k) => {
      m.temporal[base + k] = lv.temporal[dim] ?? 1;
      m.spatialX[base + k] = lv.spatialX[dim] ?? 1;
      m.spatialY[base + k] = lv.spatialY[dim] ?? 1;
    });
    // The printed order lists the dims with a factor above 1, outermost first (one letter each for the conv dims,
    // names separated by spaces otherwise); the others (factor 1) go outside.
    const listed: number[] = [];
    const names0 = lv.order.includes(' ') || !op.dims.every((n) => n.length === 1) ? lv.order.split(' ').filter((x) => x !== '') : [...lv.order];
    for (const ch of names0) {
      const k = op.dims.indexOf(ch);
      if (k < 0 || listed.includes(k)) fail(path, `${at}.levels[${j}].order`, `"${lv.order}" is not an order of distinct loop dims`);
      listed.push(k);
    }
    const rest = op.dims.map((_, k) => k).filter((k) => !listed.includes(k));
    [...rest, ...listed].forEach((k, i) => (m.order[base + i] = k));
    for (const t of lv.bypass) {
      const s = names.indexOf(t);
      if (s < 0) fail(path, `${at}.levels[${j}].bypass`, `tensor "${t}" is not an operand of ${op.name} (${names.join(', ')})`);
      m.keep[l * 3 + s] = 0;
    }
  });
  return m;
}

/**
 * Reads back the mappings `trim eval --format json` prints per layer (schema `trim.eval/v1`): each op gets the
 * mapping printed for its layer and phase. Any template's mapping reads back, so this reader belongs with core's
 * `describeMapping` (see the package README).
 */
export const trimMappingReader: MappingReader = {
  kind: 'mapping-reader',
  name: 'trim-json',
  description: 'the per-layer mappings of `trim eval --format json` (schema trim.eval/v1)',
  accepts: (data) => isRecord(data) && data.schema === 'trim.eval/v1' && Array.isArray(data.layers),
  read(data: unknown, path: string): FixedMapping {
    const layers = printedLayers(data, path);
    return {
      mappingFor(op, hw) {
        const i = layers.findIndex((l) => l.name === op.name && l.phase === op.phase);
        if (i < 0) return undefined;
        return mappingOfDescription(layers[i].mapping, op, hw, path, `layers[${i}].mapping`);
      },
    };
  },
};

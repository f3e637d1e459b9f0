import { memoryLevel } from '../src/testkit/index.js';
import { capabilities, emptyMapping, engineCostModel, macOp, withCostModel, type HardwareModel, type MacOp, type Mapping, type MemoryLevel, type Operand } from '../src/index.js';

export function level(name: string, o: Partial<MemoryLevel> = {}): MemoryLevel {
  return memoryLevel({ ...o, name });
}

/** Test hardware priced by the loop-nest engine alone (16-bit native word; levels in bytes). */
export function hardware(levels: MemoryLevel[], o: Partial<Omit<HardwareModel, 'cost'>> = {}): HardwareModel {
  return withCostModel(
    { name: 'test', template: 'generic', clockMHz: 1000, precision: 'int16', levels, macEnergyPj: 1, vectorOpsPerCycle: 1, aluEnergyPj: 0, capabilities: capabilities(), ...o },
    engineCostModel,
  );
}

const conv: readonly [Operand, Operand, Operand] = [
  { tensor: 'weights', projection: 'filter', bytes: 2, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
  { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 },
];
/** Backward-weight's projections: dY (output-shaped) and X (window) in, dW (filter-shaped) out. */
const bwdWeight: readonly [Operand, Operand, Operand] = [
  { tensor: 'grad-outputs', projection: 'output', bytes: 2, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 },
  { tensor: 'grad-weights', projection: 'filter', bytes: 2, density: 1 },
];

export function convOp(bounds: Partial<Record<'N' | 'G' | 'K' | 'C' | 'P' | 'Q' | 'R' | 'S', number>>, o: { stride?: number; dilation?: number; backwardWeight?: boolean } = {}): MacOp {
  return macOp({
    name: 'op',
    layer: 'op',
    layerKind: 'conv2d',
    phase: o.backwardWeight ? 'backward-weight' : 'forward',
    bounds,
    strideH: o.stride ?? 1,
    strideW: o.stride ?? 1,
    dilationH: o.dilation ?? 1,
    dilationW: o.dilation ?? 1,
    operands: o.backwardWeight ? bwdWeight : conv,
  });
}

/** Sets factors from a compact description: per level `{ t: {K: 2}, x: {C: 2}, y: {}, order: 'NKCPQRSG' }`. */
export function mapping(levels: number, spec: Array<{ t?: Record<string, number>; x?: Record<string, number>; y?: Record<string, number>; order?: string; keep?: [boolean, boolean, boolean] }>): Mapping {
  const m = emptyMapping(levels);
  const D = 'NGKCPQRS';
  spec.forEach((s, l) => {
    for (const [d, f] of Object.entries(s.t ?? {})) m.temporal[l * 8 + D.indexOf(d)] = f;
    for (const [d, f] of Object.entries(s.x ?? {})) m.spatialX[l * 8 + D.indexOf(d)] = f;
    for (const [d, f] of Object.entries(s.y ?? {})) m.spatialY[l * 8 + D.indexOf(d)] = f;
    if (s.order) {
      const seen = s.order.split('').map((c) => D.indexOf(c));
      const rest = [...Array(8).keys()].filter((d) => !seen.includes(d));
      [...rest, ...seen].forEach((d, i) => (m.order[l * 8 + i] = d));
    }
    if (s.keep) s.keep.forEach((k, t) => (m.keep[l * 3 + t] = k ? 1 : 0));
  });
  return m;
}

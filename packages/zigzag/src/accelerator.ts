import { basename, extname } from 'node:path';
import { TrimUserError, type GenericSpecInput } from '@trim-dse/core';
import { readEnergyPerWordPj } from './words.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True when a parsed YAML document is a ZigZag accelerator (`memories:` and `operational_array:`). */
export function isZigZagAccelerator(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.memories) && isRecord(doc.operational_array);
}

/** ZigZag's memory operands → TRIM's tensor slots (memory_operand_links: W → I2, I → I1, O → O). */
const TENSOR_OF: Readonly<Record<string, 'weights' | 'inputs' | 'outputs'>> = { I2: 'weights', I1: 'inputs', O: 'outputs' };

interface Port {
  readonly type: 'read' | 'write' | 'read_write';
  readonly maxBits: number;
}

interface Memory {
  readonly name: string;
  readonly sizeBits: number;
  readonly readCostPj: number;
  readonly writeCostPj: number;
  readonly operands: readonly string[];
  readonly served: ReadonlySet<string>;
  readonly ports: readonly Port[];
  readonly doubleBuffered: boolean;
  /** The array dims this memory and every memory below it (for a shared operand) spans. */
  effective: Set<string>;
}

function fail(file: string, field: string, why: string, fix?: string): never {
  throw new TrimUserError(`${file}: field ${field}: ${why}`, { field, ...(fix ? { fix } : {}) });
}

function positive(v: unknown, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(file, field, `expected a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function memoryOf(name: string, m: unknown, dims: readonly string[], file: string): Memory {
  const at = `memories.${name}`;
  if (!isRecord(m)) fail(file, at, 'expected a memory (size, r_cost, w_cost, operands, ports, served_dimensions)');
  const operands = Array.isArray(m.operands) ? m.operands : fail(file, `${at}.operands`, 'expected a list of I1, I2, O');
  for (const o of operands) if (typeof o !== 'string' || !TENSOR_OF[o]) fail(file, `${at}.operands`, `unknown memory operand ${JSON.stringify(o)} (I1, I2 or O)`);
  const served = Array.isArray(m.served_dimensions) ? m.served_dimensions : fail(file, `${at}.served_dimensions`, 'expected a list of array dimensions');
  for (const d of served) if (typeof d !== 'string' || !dims.includes(d)) fail(file, `${at}.served_dimensions`, `unknown array dimension ${JSON.stringify(d)} (${dims.join(', ')})`);
  const ports = (Array.isArray(m.ports) ? m.ports : fail(file, `${at}.ports`, 'expected a list of ports')).map((p, i): Port => {
    if (!isRecord(p) || (p.type !== 'read' && p.type !== 'write' && p.type !== 'read_write')) fail(file, `${at}.ports[${i}].type`, 'expected read, write or read_write');
    return { type: p.type, maxBits: positive(p.bandwidth_max, file, `${at}.ports[${i}].bandwidth_max`) };
  });
  return {
    name,
    sizeBits: positive(m.size, file, `${at}.size`),
    readCostPj: typeof m.r_cost === 'number' && m.r_cost >= 0 ? m.r_cost : fail(file, `${at}.r_cost`, 'expected the energy per read access, pJ'),
    writeCostPj: typeof m.w_cost === 'number' && m.w_cost >= 0 ? m.w_cost : fail(file, `${at}.w_cost`, 'expected the energy per write access, pJ'),
    operands: operands as string[],
    served: new Set(served as string[]),
    ports,
    doubleBuffered: m.force_double_buffering === true,
    effective: new Set(served as string[]),
  };
}

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].every((x) => b.has(x));

/**
 * Translates a ZigZag accelerator into the generic template's spec (one chain of levels, innermost first):
 * - each memory is a level holding its operands (I2 weights, I1 inputs, O outputs), its `size` in bits over the
 *   word (`input_precision`, default 8 bits) as `capacityWords`;
 * - `served_dimensions`: one instance serves the MACs of those array dimensions. A memory spans at least what the
 *   memories below it for a shared operand span (ZigZag's per-operand hierarchy); levels are ordered by that span,
 *   and each level's fanout is the product of the dimensions it adds to the level below (the first along x, the
 *   rest along y). TRIM's hierarchy is one chain, so the spans must nest: a memory serving D3, D4 for one operand
 *   beside one serving D2 for another cannot be expressed (a user error naming both);
 * - ports: ZigZag's read ports added up into the level's read port, write ports into its write port; read_write
 *   ports count for both (TRIM has one read and one write port, or one shared port, per level);
 * - energy per word: ZigZag charges `r_cost`/`w_cost` per access of the port's `bandwidth_max` bits (words.ts).
 */
export function zigzagToGenericSpec(doc: unknown, file: string): GenericSpecInput {
  if (!isZigZagAccelerator(doc)) fail(file, 'memories', 'not a ZigZag accelerator (expected memories: and operational_array:)');
  const d = doc as Rec;
  const array = d.operational_array as Rec;
  const dims = Array.isArray(array.dimensions) && array.dimensions.every((x) => typeof x === 'string') ? (array.dimensions as string[]) : fail(file, 'operational_array.dimensions', 'expected a list of dimension names');
  const sizes = Array.isArray(array.sizes) && array.sizes.length === dims.length ? array.sizes.map((s, i) => positive(s, file, `operational_array.sizes[${i}]`)) : fail(file, 'operational_array.sizes', 'expected one size per dimension');
  const sizeOf = new Map(dims.map((x, i) => [x, sizes[i]]));
  const precision = Array.isArray(array.input_precision) ? positive(array.input_precision[0], file, 'operational_array.input_precision') : 8;
  if (precision !== 4 && precision !== 8 && precision !== 16 && precision !== 32) fail(file, 'operational_array.input_precision', `${precision}-bit operands are not a TRIM precision (4, 8, 16 or 32)`);
  const unitEnergy = typeof array.unit_energy === 'number' && array.unit_energy >= 0 ? array.unit_energy : fail(file, 'operational_array.unit_energy', 'expected the energy per MAC, pJ');

  const memories = Object.entries(d.memories as Rec).map(([name, m]) => memoryOf(name, m, dims, file));
  // A memory spans at least what the memories below it for a shared operand span (YAML order is ZigZag's order).
  memories.forEach((m, i) => {
    for (let j = 0; j < i; j++) if (memories[j].operands.some((o) => m.operands.includes(o))) for (const x of memories[j].effective) m.effective.add(x);
  });
  const chain = memories.map((m, i) => ({ m, i })).sort((a, b) => a.m.effective.size - b.m.effective.size || a.i - b.i).map((x) => x.m);
  for (let k = 0; k + 1 < chain.length; k++) {
    const [lo, hi] = [chain[k], chain[k + 1]];
    if (!subset(lo.effective, hi.effective)) {
      fail(
        file,
        `memories.${hi.name}.served_dimensions`,
        `${lo.name} serves ${[...lo.effective].join(', ') || 'one MAC'} and ${hi.name} serves ${[...hi.effective].join(', ')}: TRIM's levels form one chain, so each level must serve all the MACs of the level below it`,
        'an accelerator whose per-operand memories serve crossing array dimensions cannot be expressed as one chain',
      );
    }
  }
  const top = chain[chain.length - 1];
  if (!['I1', 'I2', 'O'].every((o) => top.operands.includes(o))) fail(file, `memories.${top.name}.operands`, 'the outermost memory is the backing store and must hold I1, I2 and O');

  let below = new Set<string>();
  const levels = chain.map((m, k) => {
    // The outermost level serves the whole array whatever ZigZag says of DRAM.
    const span = k === chain.length - 1 ? new Set(dims) : m.effective;
    const added = dims.filter((x) => span.has(x) && !below.has(x));
    below = span;
    const x = added.length > 0 ? sizeOf.get(added[0])! : 1;
    const y = added.slice(1).reduce((p, a) => p * sizeOf.get(a)!, 1);
    const readBits = m.ports.filter((p) => p.type !== 'write').reduce((s, p) => s + p.maxBits, 0);
    const writeBits = m.ports.filter((p) => p.type !== 'read').reduce((s, p) => s + p.maxBits, 0);
    const firstRead = m.ports.find((p) => p.type !== 'write');
    const firstWrite = m.ports.find((p) => p.type !== 'read');
    if (!firstRead || !firstWrite) fail(file, `memories.${m.name}.ports`, 'expected a port that reads and a port that writes');
    const onlyShared = m.ports.every((p) => p.type === 'read_write');
    return {
      name: m.name,
      capacityWords: Math.floor(m.sizeBits / precision),
      holds: m.operands.map((o) => TENSOR_OF[o]),
      fanout: { x, y },
      bandwidthWordsPerCycle: onlyShared ? readBits / precision : { read: readBits / precision, write: writeBits / precision },
      readEnergyPj: readEnergyPerWordPj(m.readCostPj, precision, firstRead.maxBits),
      writeEnergyPj: readEnergyPerWordPj(m.writeCostPj, precision, firstWrite.maxBits),
      doubleBuffered: m.doubleBuffered,
      // ZigZag moves every operand through each memory that lists it (an operand's memories are its fixed
      // hierarchy; a level may take no loops but the data still passes through it): no bypass path.
      bypassable: false,
    };
  });
  const pes = sizes.reduce((a, b) => a * b, 1);
  return {
    name: typeof d.name === 'string' ? d.name : basename(file, extname(file)),
    // ZigZag reports cycles and gives no clock: seconds assume 1 GHz (only cycles compare).
    clockMHz: 1000,
    wordBits: precision,
    // Partial sums at twice the operand width: ZigZag's default intermediate-output precision (2 × the activation
    // precision, zigzag/parser/onnx/onnx_operator_parser.py `get_intermediate_output_precision`), the accumulator a
    // product of two such operands needs; final outputs leave at the operand width (its `O_final`).
    ...(2 * precision <= 32 ? { psumBits: (2 * precision) as 8 | 16 | 32 } : {}),
    macEnergyPj: unitEnergy,
    // No vector unit in ZigZag's operational array: element-wise work runs on the MACs at a MAC's energy.
    aluEnergyPj: unitEnergy,
    vectorOpsPerCycle: pes,
    levels,
  };
}

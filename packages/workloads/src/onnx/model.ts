import onnxProto from 'onnx-proto';
import { TrimUserError } from '@trim-dse/core';

const { onnx } = onnxProto;

/** A protobuf int64 arrives as a number or a Long. */
type IntLike = number | { toNumber(): number };
const toInt = (v: IntLike | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/** A constant tensor: its shape always, its values only when small (shapes, axes, scalars), never weights. */
export interface ConstTensor {
  readonly dims: readonly number[];
  readonly values: readonly number[] | undefined;
}

export type AttrValue = number | string | readonly number[] | ConstTensor;

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttrValue>;
}

export interface OnnxInput {
  readonly name: string;
  /** A number per fixed dimension, the symbol (e.g. "batch") for a symbolic one. */
  readonly dims: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly inputs: readonly OnnxInput[];
  readonly initializers: ReadonlyMap<string, ConstTensor>;
  readonly nodes: readonly OnnxNode[];
}

/** Values of constants with at most this many elements are decoded (shape vectors, clip bounds, scalars). */
const MAX_DECODED_ELEMENTS = 64;

// TensorProto.DataType numbers (onnx.proto).
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const DOUBLE = 11;

function rawValues(raw: Uint8Array, dataType: number, count: number): number[] | undefined {
  const size = dataType === INT64 || dataType === DOUBLE ? 8 : dataType === INT32 || dataType === FLOAT ? 4 : 0;
  // A corrupt file can declare more elements than its raw bytes hold: those values are unreadable, not a crash.
  if (size === 0 || raw.byteLength < count * size) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (dataType === INT64) out.push(Number(view.getBigInt64(i * 8, true)));
    else if (dataType === INT32) out.push(view.getInt32(i * 4, true));
    else if (dataType === FLOAT) out.push(view.getFloat32(i * 4, true));
    else if (dataType === DOUBLE) out.push(view.getFloat64(i * 8, true));
    else return undefined;
  }
  return out;
}

function constTensor(t: InstanceType<typeof onnx.TensorProto>): ConstTensor {
  const dims = t.dims.map(toInt);
  const count = dims.reduce((a, d) => a * d, 1);
  let values: number[] | undefined;
  if (count <= MAX_DECODED_ELEMENTS) {
    if (t.rawData && t.rawData.length > 0) values = rawValues(t.rawData, t.dataType, count);
    else if (t.int64Data.length > 0) values = t.int64Data.map(toInt);
    else if (t.int32Data.length > 0) values = [...t.int32Data];
    else if (t.floatData.length > 0) values = [...t.floatData];
    else if (t.doubleData.length > 0) values = [...t.doubleData];
  }
  return { dims, values };
}

function attrValue(a: InstanceType<typeof onnx.AttributeProto>): AttrValue | undefined {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f;
    case T.INT:
      return toInt(a.i);
    case T.STRING:
      return new TextDecoder().decode(a.s);
    case T.TENSOR:
      return a.t ? constTensor(onnx.TensorProto.fromObject(a.t)) : undefined;
    case T.FLOATS:
      return [...a.floats];
    case T.INTS:
      return a.ints.map(toInt);
    default:
      return undefined;
  }
}

/** Decodes an ONNX ModelProto into the plain graph the importer walks. */
export function decodeOnnx(bytes: Uint8Array, where: string): OnnxGraph {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new TrimUserError(`${where} is not an ONNX model (${(e as Error).message})`, { field: '--workload', fix: 'give a .onnx file saved by torch.onnx.export or onnx.save' });
  }
  const g = model.graph;
  const nodeProtos = g?.node ?? [];
  if (!g || nodeProtos.length === 0) throw new TrimUserError(`${where} is not an ONNX model: it has no graph nodes`, { field: '--workload' });
  const initializers = new Map<string, ConstTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', constTensor(onnx.TensorProto.fromObject(t)));
  const inputs: OnnxInput[] = [];
  for (const vi of g.input ?? []) {
    const name = vi.name ?? '';
    if (initializers.has(name)) continue; // pre-IR-4 models list weights as inputs too
    const dims = vi.type?.tensorType?.shape?.dim ?? [];
    inputs.push({ name, dims: dims.map((d) => (d.dimValue != null && toInt(d.dimValue) > 0 ? toInt(d.dimValue) : d.dimParam || '?')) });
  }
  const nodes: OnnxNode[] = nodeProtos.map((n) => {
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) {
      const v = attrValue(onnx.AttributeProto.fromObject(a));
      if (v !== undefined) attrs.set(a.name ?? '', v);
    }
    return { name: n.name ?? '', opType: n.opType ?? '', domain: n.domain ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs };
  });
  return { name: g.name ?? '', inputs, initializers, nodes };
}

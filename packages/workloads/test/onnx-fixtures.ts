import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;

export type Attr = number | string | readonly number[] | { float: number };

function attribute(name: string, v: Attr): InstanceType<typeof onnx.AttributeProto> {
  if (typeof v === 'number') return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...v] });
}

/** Writes real ONNX ModelProto bytes (protobufjs encoding of the official schema) for tests. */
export class OnnxModelBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private count = 0;

  constructor(
    readonly name: string,
    readonly opset = 20,
  ) {}

  input(name: string, dims: readonly (number | string)[]): string {
    const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
    this.inputs.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1, shape: { dim } } } }));
    return name;
  }

  output(name: string): void {
    this.outputs.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1 } } }));
  }

  /** A float32 weight filled with small values, stored as raw little-endian bytes like PyTorch's exporter. */
  weight(name: string, dims: readonly number[]): string {
    const n = dims.reduce((a, d) => a * d, 1);
    const data = new Float32Array(n).map((_, i) => ((i % 7) - 3) / 64);
    this.initializers.push(onnx.TensorProto.create({ name, dims: [...dims], dataType: 1, rawData: new Uint8Array(data.buffer) }));
    return name;
  }

  /** An int64 vector (Reshape shapes, axes). */
  ints(name: string, values: readonly number[]): string {
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: 7, int64Data: [...values] }));
    return name;
  }

  /** An int64 tensor of any shape (constant token positions, indices). */
  intTensor(name: string, dims: readonly number[], values: readonly number[]): string {
    this.initializers.push(onnx.TensorProto.create({ name, dims: [...dims], dataType: 7, int64Data: [...values] }));
    return name;
  }

  /** A node with several outputs (Split). */
  multi(opType: string, inputs: readonly string[], outputs: number, attrs: Record<string, Attr> = {}, name?: string): string[] {
    const nodeName = name ?? `${opType}_${this.count++}`;
    const outs = [...Array(outputs).keys()].map((k) => `${nodeName}:out${k}`);
    this.nodes.push(onnx.NodeProto.create({ name: nodeName, opType, domain: '', input: [...inputs], output: outs, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) }));
    return outs;
  }

  node(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, name?: string, domain = ''): string {
    const nodeName = name ?? `${opType}_${this.count++}`;
    const output = `${nodeName}:out`;
    this.nodes.push(
      onnx.NodeProto.create({
        name: nodeName,
        opType,
        domain,
        input: [...inputs],
        output: [output],
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return output;
  }

  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'trim-tests',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

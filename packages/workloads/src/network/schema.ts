import { z } from 'zod';

/**
 * TRIM's network file (YAML or JSON; see docs/network-format.md): named inputs and a list of layers, each reading
 * earlier tensors by name (default: the previous layer's output). Sizes are integers or the symbols `batch` and
 * `seq` (the run's `--batch` and `--seq`). A `repeat` block stamps its layers `count` times.
 */
export const sizeSchema = z.union([z.number().int().positive(), z.enum(['batch', 'seq'])]);
export type Size = z.infer<typeof sizeSchema>;

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.\-[\]]*$/, 'a name of letters, digits, _ . - [ ]');
/** A tensor read: an input or earlier layer by name, or `$in` (the input of the current repeat iteration). */
const ref = z.union([name, z.literal('$in')]);
const base = { name, input: ref.optional() };
const pair = { name, inputs: z.tuple([ref, ref]) };
/** One value for every spatial axis, or a list of one per axis. */
const perAxis = (v: z.ZodNumber) => z.union([v, z.array(v).min(1).max(3)]);

const layer = z.discriminatedUnion('kind', [
  /** A binary einsum over named dims: `axes` per input, `weight` the axes of a parameter operand (one input). */
  z.object({
    kind: z.literal('einsum'),
    name,
    inputs: z.array(ref).min(1).max(2),
    dims: z.record(z.string(), sizeSchema),
    axes: z.array(z.string()).min(1).max(2),
    weight: z.string().optional(),
    out: z.string(),
    tiedTo: name.optional(),
    /** Per input, one [before, after] zero count per axis: that input read through a padded window (core's `EinsumParams.pad`). */
    pad: z.array(z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]))).max(2).optional(),
  }).strict(),
  /** `a @ b` with NumPy broadcasting over the leading dims (`transB`: b is `[…, n, k]`). */
  z.object({ kind: z.literal('matmul'), ...pair, transB: z.boolean().default(false) }).strict(),
  /** A dense layer over the last axis: `out` features (`tiedTo`: reuse that layer's weight). */
  z.object({ kind: z.literal('linear'), ...base, out: sizeSchema, tiedTo: name.optional() }).strict(),
  z.object({ kind: z.literal('embedding'), ...base, vocab: z.number().int().positive(), dim: z.number().int().positive() }).strict(),
  z.object({
    kind: z.literal('attention'),
    ...base,
    heads: z.number().int().positive(),
    kvHeads: z.number().int().positive().optional(),
    headDim: z.number().int().positive().optional(),
    rotary: z.boolean().default(false),
    causal: z.boolean().default(false),
  }).strict(),
  z.object({ kind: z.literal('mlp'), ...base, hidden: z.number().int().positive(), activation: z.enum(['gelu', 'silu']).default('gelu'), gated: z.boolean().default(false) }).strict(),
  z.object({ kind: z.literal('swiglu'), ...base, hidden: z.number().int().positive() }).strict(),
  /**
   * Convolutions over `[N, C, L]`, `[N, C, H, W]`, `[N, C, D, H, W]`: `out` channels; kernel, stride, padding
   * (symmetric, stored zeros) and dilation one number or one per spatial axis.
   */
  z.object({
    kind: z.enum(['conv1d', 'conv2d', 'conv3d']),
    ...base,
    out: z.number().int().positive(),
    kernel: perAxis(z.number().int().positive()),
    stride: perAxis(z.number().int().positive()).default(1),
    padding: perAxis(z.number().int().nonnegative()).default(0),
    dilation: perAxis(z.number().int().positive()).default(1),
    groups: z.number().int().positive().default(1),
  }).strict(),
  /** A transposed convolution over 1–3 spatial axes (PyTorch `ConvTranspose*d`): the fields of a conv and `outputPadding`. */
  z.object({
    kind: z.literal('convtranspose'),
    ...base,
    out: z.number().int().positive(),
    kernel: perAxis(z.number().int().positive()),
    stride: perAxis(z.number().int().positive()).default(1),
    padding: perAxis(z.number().int().nonnegative()).default(0),
    outputPadding: perAxis(z.number().int().nonnegative()).default(0),
    dilation: perAxis(z.number().int().positive()).default(1),
    groups: z.number().int().positive().default(1),
  }).strict(),
  /** Mixture of experts: a router, top-k routing under uniform load, E expert MLPs (all parameters), the combine. */
  z.object({
    kind: z.literal('moe'),
    ...base,
    experts: z.number().int().min(2),
    topK: z.number().int().positive(),
    hidden: z.number().int().positive(),
    activation: z.enum(['gelu', 'silu']).default('silu'),
    gated: z.boolean().default(true),
    capacityFactor: z.number().min(1).default(1),
  }).strict(),
  z.object({ kind: z.enum(['layernorm', 'rmsnorm']), ...base, affine: z.boolean().default(true) }).strict(),
  z.object({ kind: z.enum(['rotary', 'softmax', 'gelu', 'silu', 'relu', 'sigmoid', 'tanh']), ...base }).strict(),
  z.object({ kind: z.literal('dropout'), ...base, p: z.number().min(0).lt(1) }).strict(),
  z.object({ kind: z.enum(['add', 'mul']), ...pair }).strict(),
  z.object({ kind: z.literal('concat'), name, inputs: z.array(ref).min(2), axis: z.number().int() }).strict(),
  /** Views (no data moved): a part of the input along `axis`, or the same elements in another shape. */
  z.object({ kind: z.literal('slice'), ...base, axis: z.number().int(), start: z.number().int().nonnegative(), end: sizeSchema }).strict(),
  z.object({ kind: z.literal('split'), ...base, axis: z.number().int(), sizes: z.array(sizeSchema).min(2) }).strict(),
  z.object({ kind: z.literal('reshape'), ...base, shape: z.array(sizeSchema).min(1) }).strict(),
]);

export type NetworkLayer = z.infer<typeof layer>;
export type RepeatBlock = { repeat: { name: string; count: number; layers: Array<NetworkLayer | RepeatBlock> } };

const entry: z.ZodType<NetworkLayer | RepeatBlock> = z.lazy(() =>
  z.union([z.object({ repeat: z.object({ name, count: z.number().int().positive(), layers: z.array(entry).min(1) }).strict() }).strict(), layer]),
);

export const networkFileSchema = z
  .object({
    /** The network's name. */
    network: z.string().min(1),
    /** Tokens per sequence when the run gives no `--seq`. */
    seq: z.number().int().positive().optional(),
    inputs: z.array(z.object({ name, shape: z.array(sizeSchema).min(1) }).strict()).min(1),
    layers: z.array(entry).min(1),
  })
  .strict();

export type NetworkFile = z.infer<typeof networkFileSchema>;

/** True when a parsed YAML/JSON document is a network file (a `layers` list), not a Timeloop problem. */
export function isNetworkFile(doc: unknown): boolean {
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as Record<string, unknown>).layers);
}

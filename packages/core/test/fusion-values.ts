import { defineDataflow, tiledMapspace, type EpilogueKind, type HardwareModel, type Layer, type Network } from '../src/index.js';
import { hardware, level } from './helpers.js';

/**
 * Value-level execution shared by the fusion references: tensors as [C, H, W] arrays, a backing store that counts
 * element accesses, deterministic parameters, convolution and element-wise stages, layer-by-layer values, and the
 * small test hardware and dataflow the references evaluate on.
 */

export type Tensor = { shape: [number, number, number]; data: Float64Array };

export class BackingStore {
  reads = 0;
  writes = 0;
  readonly tensors = new Map<string, Tensor>();
  load(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`reference: ${name} was never stored`);
    return t;
  }
}

const KIND_OF: Record<string, EpilogueKind | undefined> = { relu: 'activation', bn: 'bias', add: 'residual-add', pool: 'pool' };

/** The epilogue kind of a layer, from the layer itself (the reference's own reading of DESIGN/epilogue docs). */
export function kindOf(l: Layer): EpilogueKind | undefined {
  if (l.kind === 'eltwise' && l.params.op === 'relu') return KIND_OF.relu;
  if (l.kind === 'eltwise' && l.params.op === 'add' && l.inputs.length === 2) return KIND_OF.add;
  if (l.kind === 'norm' && l.params.mode === 'batch') return KIND_OF.bn;
  if (l.kind === 'pool') return KIND_OF.pool;
  return undefined;
}

export const idx = (s: readonly number[], c: number, h: number, w: number) => (c * s[1] + h) * s[2] + w;

/** Deterministic parameters: weights and BatchNorm scale/shift from the layer name. */
export function param(name: string, i: number): number {
  let h = 2166136261;
  for (const ch of `${name}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 2001) / 1000 - 1;
}

export function convValues(l: Layer & { kind: 'conv2d' }, x: Tensor, outShape: readonly number[]): Tensor {
  const [K, P, Q] = outShape as [number, number, number];
  const [C, H, W] = x.shape;
  const [R, S] = l.params.kernel;
  const [pt, pl] = [l.params.padding[0], l.params.padding[1]];
  const out = new Float64Array(K * P * Q);
  for (let k = 0; k < K; k++)
    for (let p = 0; p < P; p++)
      for (let q = 0; q < Q; q++) {
        let acc = 0;
        for (let c = 0; c < C; c++)
          for (let r = 0; r < R; r++)
            for (let s = 0; s < S; s++) {
              const h = p * l.params.stride[0] + r - pt;
              const w = q * l.params.stride[1] + s - pl;
              if (h >= 0 && h < H && w >= 0 && w < W) acc += param(l.name, ((k * C + c) * R + r) * S + s) * x.data[idx(x.shape, c, h, w)];
            }
        out[idx([K, P, Q], k, p, q)] = acc;
      }
  return { shape: [K, P, Q], data: out };
}

/** One element through a layer of the chain; pooling returns the pooled outputs the element completes. */
export type Stage = (c: number, h: number, w: number, v: number) => Array<[number, number, number, number]>;

export function stageOf(l: Layer, inShape: readonly number[], store: BackingStore, skipName?: string): Stage {
  if (l.kind === 'eltwise' && l.params.op === 'relu') return (c, h, w, v) => [[c, h, w, Math.max(0, v)]];
  if (l.kind === 'norm') return (c, h, w, v) => [[c, h, w, v * param(l.name, 2 * c) + param(l.name, 2 * c + 1)]];
  if (l.kind === 'eltwise') {
    const skip = store.load(skipName!);
    return (c, h, w, v) => {
      store.reads++;
      return [[c, h, w, v + skip.data[idx(skip.shape, c, h, w)]]];
    };
  }
  if (l.kind === 'pool') {
    // A line buffer: partial window maxima until every element of the window has arrived.
    const [kh, kw] = l.params.kernel;
    const Po = Math.floor(inShape[1] / kh);
    const Qo = Math.floor(inShape[2] / kw);
    const acc = new Map<number, { v: number; n: number }>();
    return (c, h, w, v) => {
      const p = Math.floor(h / kh);
      const q = Math.floor(w / kw);
      if (p >= Po || q >= Qo) return [];
      const key = idx([inShape[0], Po, Qo], c, p, q);
      const a = acc.get(key) ?? { v: -Infinity, n: 0 };
      a.v = Math.max(a.v, v);
      a.n++;
      acc.set(key, a);
      if (a.n < kh * kw) return [];
      acc.delete(key);
      return [[c, p, q, a.v]];
    };
  }
  throw new Error(`reference: no stage for ${l.kind}`);
}

/** Layer-by-layer values (every layer reads and writes whole tensors). */
export function plainValues(net: Network, x0: Tensor): Map<string, Tensor> {
  const v = new Map<string, Tensor>([[net.inputs[0], x0]]);
  for (const l of net.layers) {
    const x = v.get(l.inputs[0])!;
    const outShape = net.tensors.get(l.output)!.shape.slice(1) as [number, number, number];
    if (l.kind === 'conv2d') {
      v.set(l.output, convValues(l, x, outShape));
      continue;
    }
    const out = new Float64Array(outShape[0] * outShape[1] * outShape[2]);
    const scratch = new BackingStore();
    if (l.kind === 'eltwise' && l.params.op === 'add') scratch.tensors.set('skip', v.get(l.inputs[1])!);
    const stage = stageOf(l, x.shape, scratch, 'skip');
    for (let c = 0; c < x.shape[0]; c++) for (let h = 0; h < x.shape[1]; h++) for (let w = 0; w < x.shape[2]; w++) for (const [cc, hh, ww, y] of stage(c, h, w, x.data[idx(x.shape, c, h, w)])) out[idx(outShape, cc, hh, ww)] = y;
    v.set(l.output, { shape: outShape, data: out });
  }
  return v;
}


export const ws = defineDataflow({
  name: 'ws',
  description: 'weight-stationary test dataflow',
  templates: '*',
  mapspace: (op, h, emit) => tiledMapspace(op, h, { spatialX: ['C'], spatialY: ['K'], peOrder: ['P', 'Q'], outerOrders: [['K', 'C', 'P', 'Q', 'R', 'S']], maxCandidates: 4 }, emit),
});

/** rf · glb (2×2 fanout) · dram, with an output path applying `kinds`. */
export function fusionHardware(kinds: readonly EpilogueKind[], glbBytes = 16384, o: { fanout?: number; glbBytesPerCycle?: number; dramBytesPerCycle?: number; opsPerCycle?: number; vectorOpsPerCycle?: number; depthFirst?: boolean } = {}): HardwareModel {
  return hardware(
    [
      level('rf', { capacityBytes: 64, doubleBuffered: false }),
      level('glb', { capacityBytes: glbBytes, fanoutX: o.fanout ?? 2, fanoutY: o.fanout ?? 2, readBytesPerCycle: o.glbBytesPerCycle ?? 16, writeBytesPerCycle: o.glbBytesPerCycle ?? 16 }),
      level('dram', { readBytesPerCycle: o.dramBytesPerCycle ?? 4, writeBytesPerCycle: o.dramBytesPerCycle ?? 4 }),
    ],
    { epilogue: { kinds, opsPerCycle: o.opsPerCycle ?? 2 }, vectorOpsPerCycle: o.vectorOpsPerCycle ?? 4, ...(o.depthFirst ? { depthFirst: true } : {}) },
  );
}

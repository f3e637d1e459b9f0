import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPILOGUE_KINDS, evaluateNetwork, inferenceOps, NetworkBuilder, type EpilogueKind, type MacOp, type Network } from '../src/index.js';
import { BackingStore, convValues, fusionHardware as hw, idx, kindOf, param, plainValues, stageOf, ws, type Stage, type Tensor } from './fusion-values.js';
import { simulate } from './reference-sim.js';

/**
 * A brute-force reference for epilogue fusion: it executes small networks value by value, streaming each fused
 * producer's results tile by tile (in a random tile order) through the epilogues, with an explicit backing store
 * that counts every element read and written. Its grouping rule is written here from the documented semantics, not
 * taken from the scheduler; a MAC producer's own backing-store traffic comes from the loop-nest reference simulator
 * (`simulate`, every access of its mapping counted), its final results from the producer's computed values. The
 * model (`evaluateNetwork`, `--fusion epilogue`, hand-off off) must give exactly the same element counts, and the
 * fused execution the same network output as layer-by-layer execution.
 */

/** Output tiles of a producer in a random order: the stream the epilogues see. */
function tileOrder(shape: readonly number[], th: number, tw: number, seed: number): Array<[number, number, number]> {
  const tiles: Array<[number, number]> = [];
  for (let h = 0; h < shape[1]; h += th) for (let w = 0; w < shape[2]; w += tw) tiles.push([h, w]);
  let s = seed;
  for (let i = tiles.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [tiles[i], tiles[j]] = [tiles[j], tiles[i]];
  }
  const out: Array<[number, number, number]> = [];
  for (const [h0, w0] of tiles) for (let c = 0; c < shape[0]; c++) for (let h = h0; h < Math.min(shape[1], h0 + th); h++) for (let w = w0; w < Math.min(shape[2], w0 + tw); w++) out.push([c, h, w]);
  return out;
}

/**
 * Executes the network with fusion: returns the backing store's element counts and the network output's values.
 * `macCounts(layer)` gives a MAC layer's own backing-store reads and output writes (partial sums included) as the
 * reference simulator counted them for its mapping.
 */
function runFused(net: Network, kinds: readonly EpilogueKind[], x0: Tensor, macCounts: (name: string) => { reads: number; writes: number }, seed: number) {
  const store = new BackingStore();
  store.tensors.set(net.inputs[0], x0);
  const readers = new Map<string, number>();
  for (const l of net.layers) for (const t of l.inputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  const plain = plainValues(net, x0);
  const layers = net.layers;
  let i = 0;
  while (i < layers.length) {
    // The group: layer i and every following layer of an allowed kind that reads the previous layer's output.
    const group = [layers[i]];
    while (i + group.length < layers.length) {
      const n = layers[i + group.length];
      const k = kindOf(n);
      if (k === undefined || !kinds.includes(k) || !n.inputs.includes(group[group.length - 1].output) || n.inputs.filter((t) => t === group[group.length - 1].output).length !== 1) break;
      group.push(n);
    }
    const head = group[0];
    const headShape = net.tensors.get(head.output)!.shape.slice(1) as [number, number, number];
    let produced: Tensor;
    if (head.kind === 'conv2d') {
      const own = macCounts(head.name);
      const elems = headShape[0] * headShape[1] * headShape[2];
      store.reads += own.reads;
      // Its final results: stored only when someone besides the next layer reads them (or nothing follows).
      const stored = group.length === 1 || (readers.get(head.output) ?? 0) > 1;
      store.writes += own.writes - (stored ? 0 : elems);
      produced = convValues(head, store.load(head.inputs[0]), headShape);
    } else {
      // A vector head: reads its inputs, computes; stores its result below like any stage's.
      const x = store.load(head.inputs[0]);
      store.reads += x.data.length + (head.kind === 'eltwise' && head.params.op === 'add' ? x.data.length : 0) + (head.kind === 'norm' ? 2 * x.shape[0] : 0);
      produced = plain.get(head.output)!;
      if (group.length === 1 || (readers.get(head.output) ?? 0) > 1) store.writes += produced.data.length;
    }
    if (group.length === 1 || (readers.get(head.output) ?? 0) > 1) store.tensors.set(head.output, produced);
    // Stream the head's results, tile by tile in a random order, through the epilogues.
    let shape: readonly number[] = headShape;
    const stages: Stage[] = [];
    const outs: Tensor[] = [];
    for (let g = 1; g < group.length; g++) {
      const l = group[g];
      if (l.kind === 'norm') store.reads += 2 * shape[0]; // the folded BatchNorm's per-channel shift (and scale)
      stages.push(stageOf(l, shape, store, l.inputs.find((t) => t !== group[g - 1].output)));
      shape = net.tensors.get(l.output)!.shape.slice(1);
      outs.push({ shape: shape as [number, number, number], data: new Float64Array(shape[0] * shape[1] * shape[2]) });
    }
    const push = (g: number, c: number, h: number, w: number, v: number): void => {
      if (g === stages.length) return;
      for (const [cc, hh, ww, y] of stages[g](c, h, w, v)) {
        const out = outs[g];
        out.data[idx(out.shape, cc, hh, ww)] = y;
        const l = group[g + 1];
        if (g === stages.length - 1 || (readers.get(l.output) ?? 0) > 1) store.writes++;
        push(g + 1, cc, hh, ww, y);
      }
    };
    for (const [c, h, w] of tileOrder(headShape, 1 + (seed % 3), 2, seed)) push(0, c, h, w, produced.data[idx(headShape, c, h, w)]);
    outs.forEach((t, g) => store.tensors.set(group[g + 1].output, t));
    i += group.length;
  }
  return { store, output: store.load(net.layers[net.layers.length - 1].output), plain: plain.get(net.layers[net.layers.length - 1].output)! };
}


function randomNet(r: { c0: number; hw: number; blocks: Array<{ k: number; kernel: number; bn: boolean; relu: boolean; add: 'none' | 'input' | 'conv'; relu2: boolean; pool: boolean }> }): Network {
  const b = new NetworkBuilder('tiny', 'int16');
  let x = b.input('x', [1, r.c0, r.hw, r.hw]);
  r.blocks.forEach((blk, i) => {
    const input = x;
    const conv = b.conv(`c${i}`, x, { outChannels: blk.k, kernel: blk.kernel, padding: blk.kernel === 3 ? 1 : 0 });
    x = conv;
    if (blk.bn) x = b.norm(`bn${i}`, x, 'batch');
    if (blk.relu) x = b.relu(`r${i}`, x);
    const sameShape = b.shapeOf(input).join() === b.shapeOf(x).join();
    if (blk.add === 'input' && sameShape) x = b.eltwise(`add${i}`, [x, input], 'add');
    else if (blk.add === 'conv' && x !== conv) x = b.eltwise(`add${i}`, [x, conv], 'add');
    if (blk.relu2) x = b.relu(`rr${i}`, x);
    const s = b.shapeOf(x);
    if (blk.pool && s[2] >= 2 && s[2] % 2 === 0) x = b.pool(`p${i}`, x, { mode: 'max', kernel: 2, stride: 2 });
  });
  return b.build();
}

const blockArb = fc.record({
  k: fc.constantFrom(2, 4),
  kernel: fc.constantFrom(1, 3),
  bn: fc.boolean(),
  relu: fc.boolean(),
  add: fc.constantFrom('none' as const, 'input' as const, 'conv' as const),
  relu2: fc.boolean(),
  pool: fc.boolean(),
});

describe('epilogue fusion against a brute-force reference', () => {
  it('property: on random tiny networks the model counts exactly the backing-store accesses of a tile-by-tile fused execution, which computes the layer-by-layer output', () => {
    fc.assert(
      fc.property(
        fc.record({ c0: fc.constantFrom(2, 4), hw: fc.constantFrom(4, 6, 8), blocks: fc.array(blockArb, { minLength: 1, maxLength: 3 }) }),
        fc.subarray([...EPILOGUE_KINDS]),
        fc.integer({ min: 1, max: 1000 }),
        (shape, kinds, seed) => {
          const net = randomNet(shape);
          const h = hw(kinds);
          const ops = inferenceOps(net);
          const r = evaluateNetwork(h, net, ops, [{ plugin: ws, config: {} }], { goal: 'latency', interlayer: false, fusion: 'epilogue' });
          let modelReads = 0;
          let modelWrites = 0;
          for (const l of r.layers) for (const a of Object.values(l.accesses.dram ?? {})) {
            modelReads += a.reads;
            modelWrites += a.writes;
          }
          // Each MAC op's own traffic at the backing store, counted access by access for the mapping it was given.
          const byName = new Map(r.costs.map((c) => [c.op.name, c]));
          const top = h.levels.length - 1;
          const macCounts = (name: string) => {
            const c = byName.get(name)!;
            const sim = simulate(c.form as MacOp, h, c.mapping!);
            return { reads: sim.reads[top * 3] + sim.reads[top * 3 + 1] + sim.reads[top * 3 + 2], writes: sim.writes[top * 3 + 2] };
          };
          const x0: Tensor = { shape: [shape.c0, shape.hw, shape.hw], data: Float64Array.from({ length: shape.c0 * shape.hw * shape.hw }, (_, i) => param('x', i)) };
          const ref = runFused(net, kinds, x0, macCounts, seed);
          expect({ reads: modelReads, writes: modelWrites }).toEqual({ reads: ref.store.reads, writes: ref.store.writes });
          expect([...ref.output.data]).toEqual([...ref.plain.data]);
          // Fused groups are reported; every fused op's row is empty and points at its head.
          for (const l of r.layers) if (l.fusedInto !== undefined) expect(l.dramBytes).toBe(0);
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  });
});

describe('fusion modes on random networks and buffers', () => {
  it('property: DRAM bytes full ≤ epilogue ≤ none, never below the compulsory traffic; every scheduled op passes the invariants', () => {
    fc.assert(
      fc.property(
        fc.record({ c0: fc.constantFrom(2, 4), hw: fc.constantFrom(8, 12, 16), blocks: fc.array(blockArb, { minLength: 2, maxLength: 4 }) }),
        fc.subarray([...EPILOGUE_KINDS]),
        fc.integer({ min: 9, max: 15 }),
        fc.boolean(),
        (shape, kinds, glbLog2, interlayer) => {
          const net = randomNet(shape);
          const h = hw(kinds, 2 ** glbLog2);
          const ops = inferenceOps(net);
          const at = (fusion: 'none' | 'epilogue' | 'full') => {
            try {
              return evaluateNetwork(h, net, ops, [{ plugin: ws, config: {} }], { goal: 'energy', interlayer, fusion }).totals.dramBytes;
            } catch (e) {
              if (e instanceof Error && e.name === 'TrimUserError') return undefined; // a buffer too small to map a layer
              throw e;
            }
          };
          const none = at('none');
          if (none === undefined) return;
          const epi = at('epilogue')!;
          const full = at('full')!;
          // Weights, the network input and its output, at 2 bytes.
          let compulsory = 0;
          for (const op of ops) if (op.kind === 'mac') compulsory += op.bounds.reduce((a, b, d) => (op.nest.mask[0] & (1 << d) ? a * b : a), 1) * 2;
          compulsory += shape.c0 * shape.hw * shape.hw * 2;
          expect(epi).toBeLessThanOrEqual(none);
          expect(full).toBeLessThanOrEqual(epi);
          expect(full).toBeGreaterThanOrEqual(compulsory);
        },
      ),
      { numRuns: 40, seed: 21 },
    );
  });
});


import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandOp, evaluateNetwork, inferenceOps, NetworkBuilder, type Layer, type Network } from '../src/index.js';
import { fusionHardware, idx, param, plainValues, ws, type Tensor } from './fusion-values.js';

describe('depth-first stacks', () => {
  const chain = () => {
    const b = new NetworkBuilder('chain', 'int16');
    let x = b.input('x', [1, 16, 32, 32]);
    for (let i = 0; i < 3; i++) x = b.relu(`r${i}`, b.conv(`c${i}`, x, { outChannels: 16, kernel: 3, padding: 1 }));
    return b.build();
  };
  // 32 KB per activation: the 16 KB buffer keeps none of them whole; bands of rows fit.
  const h = () => fusionHardware(['activation'], 16384, { fanout: 4, glbBytesPerCycle: 32, opsPerCycle: 16, vectorOpsPerCycle: 16, depthFirst: true });

  it('a chain whose activations do not fit runs in bands: the intermediate activations never reach DRAM', () => {
    const net = chain();
    const hw = h();
    const ops = inferenceOps(net);
    const run = (fusion: 'epilogue' | 'full') => evaluateNetwork(hw, net, ops, [{ plugin: ws, config: {} }], { goal: 'energy', interlayer: true, fusion });
    const epi = run('epilogue');
    const full = run('full');
    const stacks = full.interlayer.fusion!.stacks;
    expect(stacks.length).toBeGreaterThan(0);
    const s = stacks[0];
    expect(s.ops.length).toBeGreaterThanOrEqual(2);
    expect(s.bufferBytes).toBeLessThanOrEqual(16384);
    expect(s.bands * s.rowsPerBand[s.rowsPerBand.length - 1]).toBeGreaterThanOrEqual(32);
    // The stack's units do not write their results to DRAM except the last; the first reads the network input.
    const layer = (name: string) => full.layers.find((l) => l.name === name)!;
    expect(layer(s.ops[1]).accesses.dram.inputs).toBeUndefined();
    expect(full.totals.dramBytes).toBeLessThan(epi.totals.dramBytes);
    // Cache-halo stacks compute each row once: MACs as the network's; recompute adds the halo rows' MACs.
    if (s.policy === 'cache') expect(s.recomputedMacs).toBe(0);
    else expect(s.recomputedMacs).toBeGreaterThan(0);
  });

  it('a controller configured layer by layer (depthFirst false) forms no stack', () => {
    const net = chain();
    const hw = { ...h(), depthFirst: false };
    const r = evaluateNetwork(hw, net, inferenceOps(net), [{ plugin: ws, config: {} }], { goal: 'energy', interlayer: true, fusion: 'full' });
    expect(r.interlayer.fusion!.stacks).toEqual([]);
  });

  it('band op: the bands folded into the batch, rows per band in P', () => {
    const op = inferenceOps(chain())[0];
    if (op.kind !== 'mac') throw new Error('expected a conv');
    const b = bandOp(op, 4, 8);
    expect(b.bounds[0]).toBe(8); // N
    expect(b.bounds[4]).toBe(4); // P
    expect(b.macs).toBe(op.macs); // 8 bands × 4 rows = the 32 rows
  });

});

/**
 * A band-by-band reference for depth-first stacks: for each band of the last unit's result rows, it works out which
 * rows each unit must produce (pooling windows and conv windows, padding clipped), checks the model's band op covers
 * them (rows per band ≥ rows needed; with `cache`, only the rows no earlier band produced), and computes them value by
 * value from the rows the previous unit holds in its band buffer (cache: every row it produced stays until used;
 * recompute: only this band's). The last unit's rows must equal layer-by-layer execution, and the model must not
 * touch DRAM for the tensors between the units.
 */
describe('depth-first stacks against a band-by-band reference', () => {
  type Unit = { conv: Layer & { kind: 'conv2d' }; relu: boolean; pool?: Layer & { kind: 'pool' } };
  function unitsOf(net: Network, heads: readonly string[]): Unit[] {
    return heads.map((name) => {
      const conv = net.layers.find((l) => l.name === name) as Layer & { kind: 'conv2d' };
      let out = conv.output;
      let relu = false;
      let pool: (Layer & { kind: 'pool' }) | undefined;
      for (;;) {
        const next = net.layers.find((l) => l.inputs[0] === out && (l.kind === 'pool' || (l.kind === 'eltwise' && l.params.op === 'relu')));
        if (!next || net.layers.filter((l) => l.inputs.includes(out)).length !== 1) break;
        if (next.kind === 'pool') pool = next;
        else relu = true;
        out = next.output;
      }
      return { conv, relu, ...(pool ? { pool } : {}) };
    });
  }

  it('property: every band gets the rows it needs from the band buffers, and the stack computes the layer-by-layer output', () => {
    let stacksSeen = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.array(fc.record({ k: fc.constantFrom(1, 3), stride: fc.constantFrom(1, 1, 2), pool: fc.boolean() }), { minLength: 2, maxLength: 3 }),
        fc.integer({ min: 12, max: 15 }),
        (hwSize, convs, glbLog2) => {
          const b = new NetworkBuilder('band-chain', 'int16');
          let x = b.input('x', [1, 8, hwSize, hwSize]);
          for (const [i, c] of convs.entries()) {
            x = b.relu(`r${i}`, b.conv(`c${i}`, x, { outChannels: 8, kernel: c.k, stride: c.stride, padding: c.k === 3 ? 1 : 0 }));
            const side = b.shapeOf(x)[2];
            if (c.pool && side >= 4 && side % 2 === 0) x = b.pool(`p${i}`, x, { mode: 'max', kernel: 2, stride: 2 });
          }
          const net = b.build();
          const hw = fusionHardware(['activation', 'pool'], 2 ** glbLog2, { dramBytesPerCycle: 2, opsPerCycle: 4, depthFirst: true });
          let r: ReturnType<typeof evaluateNetwork>;
          try {
            r = evaluateNetwork(hw, net, inferenceOps(net), [{ plugin: ws, config: {} }], { goal: 'energy', interlayer: true, fusion: 'full' });
          } catch (e) {
            if (e instanceof Error && e.name === 'TrimUserError') return;
            throw e;
          }
          const x0: Tensor = { shape: [8, hwSize, hwSize], data: Float64Array.from({ length: 8 * hwSize * hwSize }, (_, i) => param('x', i)) };
          const plain = plainValues(net, x0);
          for (const s of r.interlayer.fusion!.stacks) {
            stacksSeen++;
            const units = unitsOf(net, s.ops);
            const resultOf = (u: Unit) => (u.pool ?? (u.relu ? net.layers.find((l) => l.inputs[0] === u.conv.output)! : u.conv)).output;
            const shapeOf = (t: string) => net.tensors.get(t)!.shape.slice(1) as [number, number, number];
            // No DRAM traffic of the tensors between the units in the model.
            for (let k = 1; k < units.length; k++) expect(r.layers.find((l) => l.name === units[k].conv.name)!.accesses.dram.inputs, units[k].conv.name).toBeUndefined();
            // Band buffers: rows of each unit's result, by row index.
            const held: Array<Map<number, Float64Array>> = units.map(() => new Map());
            const produced: Array<Set<number>> = units.map(() => new Set());
            const first = plain.get(units[0].conv.inputs[0]) ?? x0;
            const lastRows = shapeOf(resultOf(units[units.length - 1]))[1];
            const bandRows = Math.ceil(lastRows / s.bands);
            const rowsOfInput = (k: number, h: number): Float64Array => {
              if (k < 0) {
                const [C, , W] = first.shape;
                const row = new Float64Array(C * W);
                for (let c = 0; c < C; c++) for (let w = 0; w < W; w++) row[c * W + w] = first.data[idx(first.shape, c, h, w)];
                return row;
              }
              const row = held[k].get(h);
              if (!row) throw new Error(`band reference: unit ${k}'s row ${h} is not in its band buffer`);
              return row;
            };
            // Result rows [a, b) of unit k, computed from unit k−1's rows.
            const produce = (k: number, a: number, bEnd: number): void => {
              const u = units[k];
              const [K, P, Q] = shapeOf(u.conv.output);
              const inShape = k === 0 ? first.shape : shapeOf(resultOf(units[k - 1]));
              const [C, H, W] = inShape;
              const pk = u.pool ? u.pool.params.kernel[0] : 1;
              const ps = u.pool ? u.pool.params.stride[0] : 1;
              const c0 = a * ps;
              const c1 = Math.min(P, (bEnd - 1) * ps + pk);
              const [R, S] = u.conv.params.kernel;
              const st = u.conv.params.stride[0];
              const pad = u.conv.params.padding[0];
              // Input rows this band needs from the previous unit (padding rows are zeros, not stored).
              const i0 = Math.max(0, c0 * st - pad);
              const i1 = Math.min(H, (c1 - 1) * st - pad + R);
              if (k > 0) {
                const missing: number[] = [];
                for (let h = i0; h < i1; h++) if (s.policy === 'recompute' || !held[k - 1].has(h)) missing.push(h);
                if (missing.length > 0) produce(k - 1, Math.min(...missing), Math.max(...missing) + 1);
              }
              const newRows = s.policy === 'cache' ? [...Array(c1 - c0).keys()].map((i) => c0 + i).filter((p) => !produced[k].has(p)) : [...Array(c1 - c0).keys()].map((i) => c0 + i);
              // Recompute: each band's op covers what the band needs. Cache: the model's band op is the average band
              // (each row once: ⌈P / bands⌉); an early band also produces the next unit's halo rows ahead (held in the
              // next unit's input band, which the model's buffer counts), at most its kernel rows more.
              const ahead = s.policy === 'cache' && k < units.length - 1 ? units[k + 1].conv.params.kernel[0] * (u.pool ? u.pool.params.stride[0] : 1) + pk : 0;
              expect(newRows.length, `${u.conv.name} (${s.policy}, ${s.bands} bands, band ${JSON.stringify([a, bEnd])}, rows ${JSON.stringify(s.rowsPerBand)}): rows per band`).toBeLessThanOrEqual(s.rowsPerBand[k] + ahead);
              const conv = new Map<number, Float64Array>();
              for (let p = c0; p < c1; p++) {
                const row = new Float64Array(K * Q);
                for (let kk = 0; kk < K; kk++)
                  for (let q = 0; q < Q; q++) {
                    let acc = 0;
                    for (let rr = 0; rr < R; rr++) {
                      const h = p * st + rr - pad;
                      if (h < 0 || h >= H) continue;
                      const inRow = rowsOfInput(k - 1, h);
                      for (let c = 0; c < C; c++)
                        for (let ss = 0; ss < S; ss++) {
                          const w = q * u.conv.params.stride[1] + ss - u.conv.params.padding[1];
                          if (w >= 0 && w < W) acc += param(u.conv.name, ((kk * C + c) * R + rr) * S + ss) * inRow[c * W + w];
                        }
                    }
                    row[kk * Q + q] = u.relu ? Math.max(0, acc) : acc;
                  }
                conv.set(p, row);
                produced[k].add(p);
              }
              for (let o = a; o < bEnd; o++) {
                if (!u.pool) {
                  held[k].set(o, conv.get(o)!);
                  continue;
                }
                const Qo = shapeOf(u.pool.output)[2];
                const row = new Float64Array(K * Qo);
                for (let kk = 0; kk < K; kk++)
                  for (let q = 0; q < Qo; q++) {
                    let m = -Infinity;
                    for (let dy = 0; dy < pk; dy++) for (let dx = 0; dx < pk; dx++) m = Math.max(m, conv.get(o * ps + dy)![kk * Q + q * ps + dx]);
                    row[kk * Qo + q] = m;
                  }
                held[k].set(o, row);
              }
              void P;
            };
            const last = units.length - 1;
            const want = plain.get(resultOf(units[last]))!;
            const checkOnce = () => {
              // Cache: every conv row computed exactly once over the bands (the model reports no recomputed MACs).
              if (s.policy !== 'cache') return;
              units.forEach((u, k) => expect(produced[k].size, u.conv.name).toBe(shapeOf(u.conv.output)[1]));
              expect(s.recomputedMacs).toBe(0);
            };
            for (let band = 0; band < s.bands; band++) {
              const a = band * bandRows;
              const bEnd = Math.min(lastRows, a + bandRows);
              if (a >= bEnd) continue;
              if (s.policy === 'recompute') for (const m of held) m.clear();
              produce(last, a, bEnd);
              for (let o = a; o < bEnd; o++) {
                const row = held[last].get(o)!;
                const [K, , W] = want.shape;
                for (let kk = 0; kk < K; kk++) for (let w = 0; w < W; w++) expect(row[kk * W + w]).toBeCloseTo(want.data[idx(want.shape, kk, o, w)], 9);
              }
            }
            checkOnce();
          }
        },
      ),
      { numRuns: 25, seed: 5 },
    );
    expect(stacksSeen).toBeGreaterThan(0); // the property is not vacuous: some random chains formed stacks
  });
});

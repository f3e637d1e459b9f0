import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCost, Cost, DEFAULT_MAP_SEARCH, evaluate, perSlot, tiledMapspace, type HardwareModel, type Mapping } from '../src/index.js';
import { convOp, hardware, level, mapping } from './helpers.js';

// Outputs are 2-byte words (the helpers' int16); partial sums 4 bytes (32-bit accumulators). Slot 2 is the output:
// index 2 is the rf's, 5 the DRAM's.
const op = convOp({ C: 4, P: 2 });
const price = (m: ReturnType<typeof mapping>, psumBytes?: number) => {
  const hw = hardware([level('rf'), level('dram')], psumBytes === undefined ? {} : { psumBytes });
  const c = evaluate(op, hw, m, new Cost(2));
  checkCost(op, hw, c);
  return c;
};

describe('partial sums wider than the output (psumBytes)', () => {
  it('reduction inside the rf: 6 read-backs and 6 partial updates at 4 bytes, 2 final values at 2 bytes', () => {
    // rf: C = 4 (the reduction), DRAM: P = 2. Each output: 4 updates in the rf, 3 read back; drained once, final.
    const c = price(mapping(2, [{ t: { C: 4 } }, { t: { P: 2 } }]), 4);
    expect([c.reads[2], c.writes[2]]).toEqual([8, 8]);
    expect([c.readBytes[2], c.writeBytes[2]]).toEqual([6 * 4 + 2 * 2, 6 * 4 + 2 * 2]);
    expect([c.readBytes[5], c.writeBytes[5]]).toEqual([0, 2 * 2]);
    // The rf's output tile (1 element, double-buffered) at the accumulator's width.
    expect(c.footprintBytes[2]).toBe(1 * 4 * 2);
  });

  it('the reduction loop at DRAM around a resident rf tile: the same accesses, the same bytes', () => {
    // rf: P = 2 (both outputs resident), DRAM: C = 4. The rf tile never leaves during the reduction.
    const c = price(mapping(2, [{ t: { P: 2 } }, { t: { C: 4 } }]), 4);
    expect([c.readBytes[2], c.writeBytes[2], c.readBytes[5], c.writeBytes[5]]).toEqual([28, 28, 0, 4]);
    expect(c.footprintBytes[2]).toBe(2 * 4 * 2);
  });

  it('partial sums spilled to DRAM and read back: all rf traffic partial, DRAM gets 2 partial and 2 final', () => {
    // rf: C = 2, DRAM: C = 2 outer, P = 2 inner. The rf tile (1 output) is drained after 2 updates, read back later.
    const c = price(mapping(2, [{ t: { C: 2 } }, { t: { C: 2, P: 2 }, order: 'CP' }]), 4);
    // DRAM: 4 drains (2 partial, 2 final), 2 read-backs.
    expect([c.reads[5], c.writes[5]]).toEqual([2, 4]);
    expect([c.readBytes[5], c.writeBytes[5]]).toEqual([2 * 4, 2 * 4 + 2 * 2]);
    // rf: 8 MAC updates and 2 refills from DRAM, all partial (more accumulation waits above); 6 read-backs to the
    // MAC (every update but each element's very first reads its partial sum, refilled ones included), partial; 4
    // drains up (2 partial, 2 final).
    expect([c.reads[2], c.writes[2]]).toEqual([10, 10]);
    expect(c.writeBytes[2]).toBe(10 * 4);
    expect(c.readBytes[2]).toBe(6 * 4 + 2 * 4 + 2 * 2);
  });

  it('a partial-sum width equal to the output is the default, to the byte', () => {
    for (const m of [mapping(2, [{ t: { C: 4 } }, { t: { P: 2 } }]), mapping(2, [{ t: { C: 2 } }, { t: { C: 2, P: 2 }, order: 'CP' }])]) {
      const a = price(m);
      const b = price(m, 2);
      expect([...b.readBytes]).toEqual([...a.readBytes]);
      expect([...b.writeBytes]).toEqual([...a.writeBytes]);
      expect([b.cycles, b.energyPj]).toEqual([a.cycles, a.energyPj]);
    }
  });

  it('no reduction loop: nothing is a partial sum', () => {
    const noReduce = convOp({ K: 2, P: 2 });
    const hw = hardware([level('rf'), level('dram')], { psumBytes: 4 });
    const c = evaluate(noReduce, hw, mapping(2, [{ t: { K: 2 } }, { t: { P: 2 } }]), new Cost(2));
    expect(c.writeBytes[5]).toBe(4 * 2);
    expect(c.footprintBytes[2]).toBe(2 * 2 * 2);
  });
});

describe('partial-sum width, every mapping of random ops on a 3-level hierarchy', () => {
  const levels = [
    level('rf', { capacityBytes: 64, doubleBuffered: false, readPjPerByte: perSlot(0.25) }),
    level('glb', { capacityBytes: 4096, fanoutX: 4, fanoutY: 4, readPjPerByte: perSlot(3) }),
    level('dram', { readPjPerByte: perSlot(100) }),
  ];
  const narrow: HardwareModel = hardware(levels);
  const wide: HardwareModel = hardware(levels, { psumBytes: 4 });
  it('the same accesses; output bytes between 2 and 4 per element; the invariants hold', () => {
    let checked = 0;
    let widened = 0;
    fc.assert(
      fc.property(
        fc.record({ K: fc.integer({ min: 1, max: 8 }), C: fc.integer({ min: 1, max: 8 }), P: fc.integer({ min: 1, max: 6 }), R: fc.integer({ min: 1, max: 3 }) }),
        (b) => {
          const o = convOp({ K: b.K, C: b.C, P: b.P, Q: b.P, R: b.R, S: b.R });
          let seen = 0;
          const spec = { spatialX: ['C'], spatialY: ['K'], peOrder: ['P', 'Q', 'C', 'R', 'S'], outerOrders: [['K', 'C', 'R', 'S', 'N', 'P', 'Q'], ['N', 'P', 'Q', 'C', 'K', 'R', 'S']], maxCandidates: 3 };
          tiledMapspace(o, narrow, spec, (m: Mapping) => {
            if (seen++ > 40) return;
            const a = evaluate(o, narrow, m, new Cost(3));
            const w = evaluate(o, wide, m, new Cost(3));
            if (!a.legal) return;
            if (!w.legal) {
              // Only the wider partial sums may overflow a buffer.
              expect(w.illegal).toBe(3);
              return;
            }
            checkCost(o, wide, w);
            checked++;
            if (w.writeBytes[8] > a.writeBytes[8] || w.readBytes[2] > a.readBytes[2]) widened++;
            for (let l = 0; l < 3; l++) {
              const i = l * 3 + 2;
              expect([w.reads[i], w.writes[i]]).toEqual([a.reads[i], a.writes[i]]);
              expect(w.readBytes[i]).toBeGreaterThanOrEqual(a.readBytes[i]);
              expect(w.readBytes[i]).toBeLessThanOrEqual(2 * a.readBytes[i]);
              expect(w.writeBytes[i]).toBeGreaterThanOrEqual(a.writeBytes[i]);
              expect(w.writeBytes[i]).toBeLessThanOrEqual(2 * a.writeBytes[i]);
            }
            // Every output element's final value reaches DRAM at the output's width: at least 2 bytes each.
            expect(w.writeBytes[8]).toBeGreaterThanOrEqual(2 * o.bounds[2] * o.bounds[4] * o.bounds[5]);
          }, DEFAULT_MAP_SEARCH);
        },
      ),
      { numRuns: 30, seed: 7 },
    );
    // Not vacuous: many legal mappings, and partial sums widened traffic in some.
    expect(checked).toBeGreaterThan(100);
    expect(widened).toBeGreaterThan(10);
  });
});

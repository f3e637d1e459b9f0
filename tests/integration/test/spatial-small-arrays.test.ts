import { corePlugin, evaluateRequest, Registry, TrimInternalError } from '@trim-dse/core';
import dataflowIs from '@trim-dse/dataflow-is';
import dataflowNlr from '@trim-dse/dataflow-nlr';
import dataflowOs from '@trim-dse/dataflow-os';
import dataflowRs from '@trim-dse/dataflow-rs';
import dataflowWs from '@trim-dse/dataflow-ws';
import spatial from '@trim-dse/hw-spatial';
import workloads from '@trim-dse/workloads';
import { describe, expect, it } from 'vitest';

/**
 * Every dataflow that maps onto `spatial`, on Eyeriss and on degenerate arrays (one PE, a single column, a single
 * row): each evaluates through the one pipeline, and every result passes the invariants (an internal error — exit 2
 * in the CLI — fails the test). The template's array level is the GLB whatever its fanout, so a 1×1 array is an
 * array, not a hierarchy without one.
 */
describe('rs, nlr, ws, os and is on spatial arrays of any shape', () => {
  const registry = new Registry().use(corePlugin).use(workloads).use(spatial).use(dataflowRs).use(dataflowNlr).use(dataflowWs).use(dataflowOs).use(dataflowIs);
  for (const name of ['rs', 'nlr', 'ws', 'os', 'is']) registry.setOptions(name, { maxCandidates: 4 }, 'test');
  const shapes: Record<string, string[]> = {
    'eyeriss 12×14': [],
    '1×1': ['array.rows=1', 'array.cols=1'],
    '4×1': ['array.rows=4', 'array.cols=1'],
    '1×4': ['array.rows=1', 'array.cols=4'],
  };
  for (const [shape, sets] of Object.entries(shapes)) {
    for (const dataflow of ['rs', 'nlr', 'ws', 'os', 'is']) {
      it(`${dataflow} on ${shape}: AlexNet CONV1–5 evaluates`, async () => {
        let r: Awaited<ReturnType<typeof evaluateRequest>>;
        try {
          r = await evaluateRequest(registry, { arch: 'eyeriss', sets, workload: 'alexnet', only: 'conv', batch: 1, dataflow, goal: 'edp' });
        } catch (e) {
          if (e instanceof TrimInternalError) throw new Error(`exit 2: ${e.message}`);
          throw e;
        }
        const pes = sets.length === 0 ? 168 : Number(sets[0].split('=')[1]) * Number(sets[1].split('=')[1]);
        expect(r.layers.map((l) => l.dataflow)).toEqual([dataflow, dataflow, dataflow, dataflow, dataflow]);
        expect(r.totals.utilization).toBeGreaterThan(0);
        expect(r.totals.utilization).toBeLessThanOrEqual(1);
        expect(r.totals.cycles * pes).toBeGreaterThanOrEqual(r.totals.macs);
        expect(Number.isFinite(r.totals.energyPj)).toBe(true);
      });
    }
  }
});
